/* sim/io/manifest.c - writes manifest.cfg and scenario.cfg for a results folder. */
#include "manifest.h"

#include <gsl/gsl_version.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"

/* A libconfig string literal. */
static void put_quoted(FILE *f, const char *s) {
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

static int write_scenario_file(sim_output *out, const scenario *s, FILE *err) {
  FILE *f = sim_output_file(out, "scenario.cfg", err);
  if (!f) return -1;
  fputs("# The resolved scenario of this run: every key with the value it had.\n"
        "# `burnsim run scenario.cfg` repeats the run.\n",
        f);
  scenario_write(s, f, 1);
  return fclose(f) == 0 ? 0 : -1;
}

int manifest_write(sim_output *out, const scenario *s, uint64_t seed, const sim_invocation *inv,
                   FILE *err) {
  if (write_scenario_file(out, s, err) != 0) return -1;
  FILE *f = sim_output_file(out, "manifest.cfg", err);
  if (!f) return -1;

  char stamp[32] = "unknown";
  time_t now = time(NULL);
  struct tm utc;
  if (gmtime_r(&now, &utc)) strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char host[256] = "unknown";
  if (gethostname(host, sizeof host) != 0) strcpy(host, "unknown");
  host[sizeof host - 1] = '\0';

  fputs("# How this results folder was made.  started and host differ between\n"
        "# repeats of a run; the CSV files and scenario.cfg are identical for the same\n"
        "# scenario and seed (figures may differ with the gnuplot version).\n",
        f);
  fputs("burnsim_version = ", f);
  put_quoted(f, burnsim_version);
  fputs(";\ngit_revision = ", f);
  put_quoted(f, burnsim_git_revision);
  fprintf(f, ";\nlibraries = \"GSL %s, libconfig %d.%d.%d\";\n", gsl_version, LIBCONFIG_VER_MAJOR,
          LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);

  char *line = NULL;
  size_t line_len = 0;
  FILE *cmd = open_memstream(&line, &line_len);
  if (cmd) {
    for (int i = 0; i < inv->argc; i++) {
      if (i) fputc(' ', cmd);
      put_shell_word(cmd, inv->argv[i]);
    }
    fclose(cmd);
  }
  fputs("command_line = ", f);
  put_quoted(f, line ? line : "");
  free(line);
  fputs(";\nscenario_file = ", f);
  put_quoted(f, inv->scenario_path);
  fputs(";\nscenario_name = ", f);
  put_quoted(f, s->name);
  fprintf(f, ";\nseed = %lluL;\nstarted = ", (unsigned long long)seed);
  put_quoted(f, stamp);
  fputs(";\nhost = ", f);
  put_quoted(f, host);
  fputs(";\n\n# The resolved scenario (also in scenario.cfg).\nscenario = {\n", f);

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
  return fclose(f) == 0 ? 0 : -1;
}
