/* tests/fuzz/fuzz_scenario.c - libFuzzer target: the scenario loader and the
 * --set parser.
 *
 * An input is a scenario file, then optionally any number of overrides,
 * each after a line "--set" (an override may span lines, as a shell
 * argument can).  The file is written into a private folder, which is also
 * the current folder, beside files an @include may name: base.cfg (a valid
 * scenario), dir (a folder), fifo (a FIFO), nul.cfg (a NUL byte) and
 * big.cfg (past the size bound).  Then it is loaded with the overrides.
 *
 * Besides crashes, leaks, sanitizer reports and hangs, these are findings
 * (abort): the loader reports an internal error (unless the input holds
 * those words, which a message may quote); it returns an error count
 * that disagrees with the messages it printed; a scenario it accepted,
 * written out with scenario_write, does not load back to the same bytes.
 */
#define _GNU_SOURCE /* memmem */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/scenario.h"

#define MAX_OVERRIDES 8

static char dir[] = "/tmp/burnsim-fuzz-XXXXXX";
static scenario *loaded, *reloaded;

static void write_file(const char *name, const void *data, size_t len) {
  int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) != 0) {
    perror(name);
    abort();
  }
}

static void remove_dir(void) {
  const char *names[] = {"input.cfg", "resolved.cfg", "base.cfg", "nul.cfg", "big.cfg", "fifo"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unlink(names[i]);
  rmdir("dir");
  if (chdir("/") == 0) rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (!mkdtemp(dir) || chdir(dir) != 0) {
    perror(dir);
    abort();
  }
  static const char base[] = "name = \"base\";\ndescription = \"a scenario to include\";\ndays = 3.0;\n"
                             "cluster = { gpus = 8; };\n";
  write_file("base.cfg", base, sizeof base - 1);
  write_file("nul.cfg", "name = \"a\0b\";\n", 14);
  char *big = malloc((2u << 20) + 1);
  memset(big, '#', 2u << 20);
  write_file("big.cfg", big, 2u << 20);
  free(big);
  if (mkdir("dir", 0700) != 0 || mkfifo("fifo", 0600) != 0) {
    perror("fuzz setup");
    abort();
  }
  loaded = malloc(sizeof *loaded);
  reloaded = malloc(sizeof *reloaded);
  atexit(remove_dir);
  return 0;
}

/* Whether the input itself holds the words (messages quote what they found). */
static int input_says_internal;

/* Loads path with the overrides; returns the error count and checks it
 * against the messages. */
static int load(scenario *s, const char *path, const simc_override *ovr, size_t n_ovr) {
  char *msgs = NULL;
  size_t len = 0;
  FILE *err = open_memstream(&msgs, &len);
  int n = scenario_load(s, path, ovr, n_ovr, err);
  fclose(err);
  if (!input_says_internal && strstr(msgs, "internal error")) {
    fprintf(stderr, "the loader reported an internal error:\n%s", msgs);
    abort();
  }
  if ((n == 0) != (len == 0) || n < 0) {
    fprintf(stderr, "%d errors, but the messages were:\n%s", n, msgs);
    abort();
  }
  free(msgs);
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char sep[] = "\n--set\n";
  const char *text = (const char *)data;
  input_says_internal = memmem(data, size, "internal error", 14) != NULL;
  const char *cut = memmem(text, size, sep, sizeof sep - 1);
  size_t file_len = cut ? (size_t)(cut - text) : size;
  write_file("input.cfg", data, file_len);

  char *copies[MAX_OVERRIDES];
  simc_override ovr[MAX_OVERRIDES];
  size_t n_ovr = 0;
  while (cut && n_ovr < MAX_OVERRIDES) {
    const char *start = cut + sizeof sep - 1, *end = text + size;
    cut = memmem(start, (size_t)(end - start), sep, sizeof sep - 1);
    size_t len = (size_t)((cut ? cut : end) - start);
    if (memchr(start, '\0', len)) break; /* an argument cannot hold a NUL byte */
    copies[n_ovr] = strndup(start, len);
    ovr[n_ovr].text = copies[n_ovr];
    n_ovr++;
  }

  if (load(loaded, "input.cfg", ovr, n_ovr) == 0) {
    /* What was accepted, written out, loads back to the same scenario. */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    scenario_write(loaded, f, 1);
    fclose(f);
    write_file("resolved.cfg", out, len);
    if (load(reloaded, "resolved.cfg", NULL, 0) != 0 || memcmp(loaded, reloaded, sizeof *loaded) != 0) {
      fprintf(stderr, "the resolved scenario does not load back the same:\n%s", out);
      abort();
    }
    unlink("resolved.cfg");
    free(out);
  }
  for (size_t i = 0; i < n_ovr; i++) free(copies[i]);
  return 0;
}
