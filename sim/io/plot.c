/* sim/io/plot.c - runs gnuplot on a results folder. */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

extern char **environ;

#ifndef BURNSIM_PLOTS_DIR
#define BURNSIM_PLOTS_DIR "plots"
#endif

/* A gnuplot single-quoted string: a quote is written twice. */
static void put_gnuplot_string(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', f);
    fputc(*s, f);
  }
  fputc('\'', f);
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", a, b);
  return p;
}

static void copy_file(const char *path, FILE *to) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, to);
  fclose(f);
}

sim_plot_status sim_plot(const char *dir, const char *script, const char *fmt, FILE *err) {
  const char *plots = getenv("BURNSIM_PLOTS_DIR");
  if (!plots || !*plots) plots = BURNSIM_PLOTS_DIR;
  char *script_path = NULL, *out_dir = NULL, *log_path = NULL, *setup = NULL;
  size_t setup_len = 0;
  sim_plot_status status = SIM_PLOT_FAILED;
  script_path = join(plots, script);
  out_dir = join(dir, "plots");
  log_path = out_dir ? join(out_dir, "gnuplot.log") : NULL;
  FILE *mem = open_memstream(&setup, &setup_len);
  if (!script_path || !out_dir || !log_path || !mem) goto done;
  fputs("dir=", mem);
  put_gnuplot_string(mem, dir);
  fputs("; out=", mem);
  put_gnuplot_string(mem, out_dir);
  fprintf(mem, "; fmt='%s'", fmt);
  fclose(mem);
  mem = NULL;
  if (access(script_path, R_OK) != 0) {
    fprintf(err, "burnsim: cannot read the plot script %s (set BURNSIM_PLOTS_DIR to burnsim's plots/ folder)\n",
            script_path);
    goto done;
  }
  if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "burnsim: cannot create %s: %s\n", out_dir, strerror(errno));
    goto done;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  char *argv[] = {"gnuplot", "-e", setup, script_path, NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, "gnuplot", &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT) {
    status = SIM_PLOT_NO_GNUPLOT;
  } else if (rc != 0) {
    fprintf(err, "burnsim: cannot run gnuplot: %s\n", strerror(rc));
  } else {
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
      status = SIM_PLOT_DONE;
    } else {
      fprintf(err, "burnsim: gnuplot failed on %s:\n", script_path);
      copy_file(log_path, err);
    }
  }
  unlink(log_path);
  if (status != SIM_PLOT_DONE) sim_output_remove_tree(out_dir);
done:
  if (mem) fclose(mem);
  free(script_path);
  free(out_dir);
  free(log_path);
  free(setup);
  return status;
}
