/* sim/io/data_dirs.c - where burnsim finds the files it ships with. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "io/data_dirs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/output.h"

/* Set by the build (sim/CMakeLists.txt). */
#ifndef BURNSIM_SOURCE_DATA_DIR
#define BURNSIM_SOURCE_DATA_DIR "."
#endif
#ifndef BURNSIM_BIN_TO_DATA
#define BURNSIM_BIN_TO_DATA "../share/burnsim"
#endif

static const char *const folder_names[] = {"plots", "scenarios"};
static const char *const variables[] = {"BURNSIM_PLOTS_DIR", "BURNSIM_SCENARIOS_DIR"};

const char *sim_data_dir_variable(sim_data_kind kind) {
  return variables[kind];
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* BIN/BURNSIM_BIN_TO_DATA/NAME for the folder BIN holding this executable,
 * when that folder exists. */
static char *installed_dir(const char *name) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = '\0';
  char *data = sim_path_join(exe, BURNSIM_BIN_TO_DATA);
  char *dir = data ? sim_path_join(data, name) : NULL;
  free(data);
  char *real = dir && is_dir(dir) ? realpath(dir, NULL) : NULL; /* without the bin/.. */
  free(dir);
  return real;
}

char *sim_data_dir(sim_data_kind kind) {
  const char *env = getenv(variables[kind]);
  if (env && *env) return strdup(env);
  char *dir = installed_dir(folder_names[kind]);
  return dir ? dir : sim_path_join(BURNSIM_SOURCE_DATA_DIR, folder_names[kind]);
}
