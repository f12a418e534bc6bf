/* sim/io/manifest.c - writes manifest.cfg and scenario.cfg for a results folder. */
#include "manifest.h"

#include <errno.h>
#include <gsl/gsl_version.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"

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

void manifest_print_provenance(FILE *f, const sim_invocation *inv, const char *scenario_name) {
  fputs("burnsim_version = ", f);
  manifest_put_string(f, burnsim_version);
  fputs(";\ngit_revision = ", f);
  manifest_put_string(f, burnsim_git_revision);
  fprintf(f, ";\nlibraries = \"GSL %s, libconfig %d.%d.%d\";\n", gsl_version, LIBCONFIG_VER_MAJOR,
          LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
  char *line = NULL;
  size_t line_len = 0;
  FILE *cmd = open_memstream(&line, &line_len);
  if (cmd) {
    fputs("burnsim", cmd); /* argv holds the subcommand and its arguments */
    for (int i = 0; i < inv->argc; i++) {
      fputc(' ', cmd);
      put_shell_word(cmd, inv->argv[i]);
    }
    fclose(cmd);
  }
  fputs("command_line = ", f);
  manifest_put_string(f, line ? line : "");
  free(line);
  fputs(";\nscenario_file = ", f);
  manifest_put_string(f, inv->scenario_path);
  fputs(";\nscenario_name = ", f);
  manifest_put_string(f, scenario_name);
  fputs(";\n", f);
}

void manifest_print_origin(FILE *f) {
  char stamp[32] = "unknown";
  time_t now = time(NULL);
  struct tm utc;
  if (gmtime_r(&now, &utc)) strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char host[256] = "unknown";
  if (gethostname(host, sizeof host) != 0) strcpy(host, "unknown");
  host[sizeof host - 1] = '\0';
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
  manifest_print_provenance(f, inv, s->name);
  fprintf(f, "seed = %lluL;\n", (unsigned long long)seed);
  manifest_print_origin(f);
  manifest_print_scenario(f, s);
  return closed(f, out, "manifest.cfg", err);
}
