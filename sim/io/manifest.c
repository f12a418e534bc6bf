/* sim/io/manifest.c - writes manifest.cfg and scenario.cfg for a results folder. */
#include "io/manifest.h"

#include <errno.h>
#include <gsl/gsl_version.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/build_info.h"

/* A shell word that pastes back as the same argument. */
static void put_shell_word(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
                strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'')
      fputs("'\\''", f);
    else
      fputc(*s, f);
  }
  fputc('\'', f);
}

void manifest_put_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    if (*s == '\n')
      fputs("\\n", f);
    else
      fputc(*s, f);
  }
  fputc('"', f);
}

void manifest_print_scenario_file(FILE *f, const scenario *s) {
  fputs("# The resolved scenario of this run: every key with the value it had.\n"
        "# `burnsim run scenario.cfg` repeats the run.\n",
        f);
  scenario_write(s, f, 1);
}

char *manifest_command_line(const sim_invocation *inv) {
  char *line = NULL;
  size_t line_len = 0;
  FILE *cmd = open_memstream(&line, &line_len);
  if (!cmd) return NULL;
  fputs("burnsim", cmd); /* argv holds the subcommand and its arguments */
  for (int i = 0; i < inv->argc; i++) {
    fputc(' ', cmd);
    put_shell_word(cmd, inv->argv[i]);
  }
  if (fclose(cmd) != 0) {
    free(line);
    return NULL;
  }
  return line;
}

char *manifest_label(const scenario *s, const sim_invocation *inv) {
  char *label = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&label, &len);
  if (!f) return NULL;
  fputs(s->name, f);
  for (size_t i = 0; i < inv->n_overrides; i++)
    if (strncmp(inv->overrides[i].text, "switches=", 9) != 0) /* (each switch follows, in words) */
      fprintf(f, " + %s", inv->overrides[i].text);
  for (size_t i = 0; i < s->n_switches; i++)
    fprintf(f, " + from day %lld: %s", (long long)s->switches[i].day, s->switches[i].set);
  if (fclose(f) != 0) {
    free(label);
    return NULL;
  }
  return label;
}

/* Folder suffixes longer than this are cut, with a hash of the whole. */
enum { FOLDER_SUFFIX_MAX = 64 };

char *manifest_folder_suffix(const sim_invocation *inv) {
  size_t n = 1;
  for (size_t i = 0; i < inv->n_overrides; i++) n += strlen(inv->overrides[i].text) + 1;
  char *suffix = malloc(n);
  if (!suffix) return NULL;
  size_t o = 0;
  uint64_t hash = 1469598103934665603ULL; /* FNV-1a of the changes as given */
  for (size_t i = 0; i < inv->n_overrides; i++) {
    suffix[o++] = '+';
    for (const char *c = inv->overrides[i].text; *c; c++) {
      hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
      int safe = strchr("._=,-", *c) || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9');
      if (safe)
        suffix[o++] = *c;
      else if (o > 0 && suffix[o - 1] != '_')
        suffix[o++] = '_'; /* (a run of unsafe characters becomes one) */
    }
    hash = (hash ^ '+') * 1099511628211ULL;
  }
  suffix[o] = '\0';
  if (o > FOLDER_SUFFIX_MAX) snprintf(suffix + FOLDER_SUFFIX_MAX - 9, 10, "+%08x", (unsigned)(hash ^ (hash >> 32)));
  return suffix;
}

void manifest_print_provenance(FILE *f, const sim_invocation *inv, const scenario *s) {
  const char *scenario_name = s->name;
  fputs("burnsim_version = ", f);
  manifest_put_string(f, burnsim_version);
  fputs(";\ngit_revision = ", f);
  manifest_put_string(f, burnsim_git_revision);
  fprintf(f, ";\nlibraries = \"GSL %s, libconfig %d.%d.%d\";\n", gsl_version, LIBCONFIG_VER_MAJOR,
          LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
  char *line = manifest_command_line(inv);
  fputs("command_line = ", f);
  manifest_put_string(f, line ? line : "");
  free(line);
  fputs(";\nscenario_file = ", f);
  manifest_put_string(f, inv->scenario_path);
  fputs(";\nscenario_name = ", f);
  manifest_put_string(f, scenario_name);
  char *label = manifest_label(s, inv);
  fputs(";\nlabel = ", f);
  manifest_put_string(f, label ? label : scenario_name);
  free(label);
  fputs(";\noverrides = [", f);
  for (size_t i = 0; i < inv->n_overrides; i++) {
    if (i) fputs(", ", f);
    manifest_put_string(f, inv->overrides[i].text);
  }
  fputs("];\n", f);
}

void manifest_origin_now(char *stamp, size_t stamp_len, char *host, size_t host_len) {
  snprintf(stamp, stamp_len, "unknown");
  time_t now = time(NULL);
  struct tm utc;
  if (gmtime_r(&now, &utc)) strftime(stamp, stamp_len, "%Y-%m-%dT%H:%M:%SZ", &utc);
  if (gethostname(host, host_len) != 0) snprintf(host, host_len, "unknown");
  host[host_len - 1] = '\0';
}

void manifest_print_origin(FILE *f) {
  char stamp[32], host[256];
  manifest_origin_now(stamp, sizeof stamp, host, sizeof host);
  fputs("started = ", f);
  manifest_put_string(f, stamp);
  fputs(";\nhost = ", f);
  manifest_put_string(f, host);
  fputs(";\n", f);
}

void manifest_print_scenario(FILE *f, const scenario *s) {
  fputs("\n# The resolved scenario (also in scenario.cfg).\nscenario = {\n", f);
  char *body = NULL;
  size_t body_len = 0;
  FILE *mem = open_memstream(&body, &body_len);
  if (mem) {
    scenario_write(s, mem, 0);
    fclose(mem);
  }
  for (char *p = body; p && *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(f, "  %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  free(body);
  fputs("};\n", f);
}

/* Closes f, a file of out's; says on err why it could not be written. */
static int closed(FILE *f, const sim_output *out, const char *name, FILE *err) {
  int e = ferror(f) ? EIO : 0;
  if (fflush(f) != 0) e = errno;
  if (fclose(f) != 0 && !e) e = errno;
  if (e) fprintf(err, "burnsim: cannot write %s/%s: %s\n", sim_output_dir(out), name, strerror(e));
  return e ? -1 : 0;
}

int manifest_read(config_t *cfg, const char *path, char *why, size_t n) {
  size_t len = 0;
  char *text = sim_read_own_file(path, (size_t)16 << 20, &len, why, n);
  if (!text) return -1;
  int rc = -1;
  const char *line = text;
  for (size_t no = 1; line; no++) {
    const char *p = line + strspn(line, " \t");
    if (strncmp(p, "@include", 8) == 0) {
      snprintf(why, n, "%s:%zu: expected a file burnsim wrote, found an @include", path, no);
      free(text);
      return -1;
    }
    line = strchr(line, '\n');
    if (line) line++;
  }
  if (strlen(text) != len)
    snprintf(why, n, "%s: expected text, found a NUL byte", path);
  else if (config_read_string(cfg, text) != CONFIG_TRUE)
    snprintf(why, n, "%s:%d: %s", path, config_error_line(cfg), config_error_text(cfg));
  else
    rc = 0;
  free(text);
  return rc;
}

int manifest_write(sim_output *out, const scenario *s, uint64_t seed, const sim_invocation *inv,
                   FILE *err) {
  FILE *f = sim_output_file(out, "scenario.cfg", err);
  if (!f) return -1;
  manifest_print_scenario_file(f, s);
  if (closed(f, out, "scenario.cfg", err) != 0) return -1;
  f = sim_output_file(out, "manifest.cfg", err);
  if (!f) return -1;
  fputs("# How this results folder was made.  started and host differ between\n"
        "# repeats of a run; the CSV files and scenario.cfg are identical for the same\n"
        "# scenario and seed (figures may differ with the gnuplot version).\n",
        f);
  manifest_print_provenance(f, inv, s);
  fprintf(f, "seed = %lluL;\n", (unsigned long long)seed);
  manifest_print_origin(f);
  manifest_print_scenario(f, s);
  return closed(f, out, "manifest.cfg", err);
}
