/* sim/cli/scenarios.c - the bundled scenarios by name, and the list command. */
#include "cli/scenarios.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "org/behaviour.h"
#include "policies/budget.h"
#include "cli/cli.h"
#include "io/data_dirs.h"
#include "policies/enforcement.h"
#include "policies/kpi.h"
#include "io/output.h"
#include "config/scenario.h"
#include "policies/scheduler.h"

const char cli_list_usage[] =
    "usage: burnsim list\n"
    "\n"
    "Prints the bundled scenarios, each with the question it asks (the first\n"
    "question of its description), and the types of every policy lever with what\n"
    "each does.  A bundled scenario runs by name, e.g. burnsim run quickstart; a\n"
    "lever type is chosen with --set, e.g. --set kpi.type=output.  The scenarios\n"
    "are in $BURNSIM_SCENARIOS_DIR when set, else where burnsim is installed\n"
    "(PREFIX/share/burnsim/scenarios), else in its source tree.\n";

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), k = strlen(tail);
  return n >= k && strcmp(s + n - k, tail) == 0;
}

char *cli_find_scenario(const char *arg) {
  struct stat st;
  if (!*arg || arg[0] == '/' || lstat(arg, &st) == 0) return NULL;
  char *dir = sim_data_dir(SIM_DATA_SCENARIOS);
  char *path = dir ? sim_path_join(dir, arg) : NULL;
  free(dir);
  if (path && !ends_with(path, ".cfg")) {
    size_t n = strlen(path) + 5;
    char *with_cfg = malloc(n);
    if (with_cfg) snprintf(with_cfg, n, "%s.cfg", path);
    free(path);
    path = with_cfg;
  }
  if (path && !is_file(path)) {
    free(path);
    path = NULL;
  }
  return path;
}

/* The question a description asks: its first sentence ending in '?' (a
 * sentence starts after ".  ", "?  " or "!  ", as descriptions are
 * written), or its first sentence when it asks none.  Points *start and
 * *len into text. */
static void first_question(const char *text, const char **start, int *len) {
  const char *q = strchr(text, '?');
  const char *from = text;
  for (const char *p = text; *p && (!q || p < q); p++)
    if ((*p == '.' || *p == '?' || *p == '!') && p[1] == ' ' && p[2] == ' ') from = p + 3;
  if (!q) {
    from = text;
    const char *end = strstr(text, ".  ");
    q = end ? end : text + strlen(text) - 1;
  }
  *start = from;
  *len = (int)(q - from + 1);
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

/* Prints the scenarios in dir/sub (sub is "" or ends with '/'), and those
 * in its folders. */
static void list_folder(const char *dir, const char *sub, scenario *s) {
  char *folder = sim_path_join(dir, sub);
  struct dirent **entries = NULL;
  int n = folder ? scandir(folder, &entries, NULL, by_name) : -1;
  for (int i = 0; i < n; i++) {
    const char *name = entries[i]->d_name;
    char *path = name[0] != '.' ? sim_path_join(folder, name) : NULL;
    struct stat st;
    if (path && stat(path, &st) == 0) {
      if (S_ISREG(st.st_mode) && ends_with(name, ".cfg")) {
        FILE *quiet = fopen("/dev/null", "w");
        int errors = quiet ? scenario_load(s, path, NULL, 0, quiet) : 1;
        if (quiet) fclose(quiet);
        const char *q = "(does not load: burnsim check shows why)";
        int len = (int)strlen(q);
        if (!errors) first_question(s->description, &q, &len);
        printf("  %s%-*.*s %.*s\n", sub, (int)(22 - strlen(sub)), (int)(strlen(name) - 4), name, len, q);
      } else if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(sub) + strlen(name) + 2;
        char *deeper = malloc(n);
        if (deeper) {
          snprintf(deeper, n, "%s%s/", sub, name);
          list_folder(dir, deeper, s);
        }
        free(deeper);
      }
    }
    free(path);
    free(entries[i]);
  }
  free(entries);
  free(folder);
}

typedef struct lever_list {
  const char *key;
  const char *(*name_at)(size_t i);
  const char *(*doc_at)(size_t i);
} lever_list;

#define DOC_AT(prefix)                                     \
  static const char *prefix##_doc_at(size_t i) {           \
    return prefix##_at(i) ? prefix##_at(i)->doc : NULL;    \
  }
DOC_AT(kpi)
DOC_AT(budget)
DOC_AT(enforcement)
DOC_AT(scheduler)
DOC_AT(behaviour)

int cli_list(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(cli_list_usage, stdout);
    return CLI_OK;
  }
  if (argc > 1) return cli_usage_error("list", "unexpected argument '%s'", argv[1]);
  char *dir = sim_data_dir(SIM_DATA_SCENARIOS);
  scenario *s = malloc(sizeof *s);
  if (!dir || !s) {
    free(dir);
    free(s);
    fputs("burnsim: out of memory\n", stderr);
    return CLI_FAILED;
  }
  printf("Bundled scenarios (burnsim run NAME), in %s/:\n", dir);
  list_folder(dir, "", s);
  free(s);
  free(dir);
  static const lever_list levers[] = {
      {"kpi.type", kpi_name_at, kpi_doc_at},
      {"budget.type", budget_name_at, budget_doc_at},
      {"enforcement.type", enforcement_name_at, enforcement_doc_at},
      {"cluster.scheduler.type", scheduler_name_at, scheduler_doc_at},
      {"org.behaviour", behaviour_name_at, behaviour_doc_at},
  };
  printf("\nLever types (--set KEY=TYPE; docs/levers.md):\n");
  for (size_t k = 0; k < sizeof levers / sizeof levers[0]; k++) {
    printf("  %s\n", levers[k].key);
    for (size_t i = 0; levers[k].name_at(i); i++) printf("    %-16s %s\n", levers[k].name_at(i), levers[k].doc_at(i));
  }
  return CLI_OK;
}
