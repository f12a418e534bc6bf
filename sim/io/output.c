/* sim/io/output.c - results folders staged and renamed into place; CSV writing. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_info.h"

#define MANIFEST_NAME "manifest.cfg"

struct sim_output {
  char *dir;
  char *staging;
  int replace; /* dir exists and will be replaced on commit */
  sim_provenance prov;
  char *scenario_name;
};

struct sim_csv {
  FILE *f;
  char *path;
  sim_atomic_file *atomic; /* atomic files: moved into place when closed */
  int column;
  int failed;
};

char *sim_path_join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int sim_output_remove_tree(const char *path) {
  return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p for the folders above a results folder. */
int sim_make_parents(const char *dir, FILE *err) {
  char *copy = strdup(dir);
  if (!copy) return -1;
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
      fprintf(err, "burnsim: cannot create the folder %s: %s\n", copy, strerror(errno));
      free(copy);
      return -1;
    }
    *p = '/';
  }
  free(copy);
  return 0;
}

void sim_provenance_quote(const char *s, char *buf, size_t n) {
  size_t used = 0;
#define PUT(...) (used += (size_t)snprintf(buf + (used < n ? used : n), used < n ? n - used : 0, __VA_ARGS__))
  PUT("\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      PUT("\\%c", c);
    else if (c == '\n')
      PUT("\\n");
    else if (c == '\r')
      PUT("\\r");
    else if (c == '\t')
      PUT("\\t");
    else if (c < 0x20 || c == 0x7f)
      PUT("\\x%02x", c);
    else
      PUT("%c", c);
  }
  PUT("\"");
#undef PUT
}

void sim_output_provenance_line(const sim_provenance *prov, char *buf, size_t n) {
  char name[4 * SIM_PROVENANCE_NAME_MAX + 3];
  sim_provenance_quote(prov->scenario_name ? prov->scenario_name : "", name, sizeof name);
  snprintf(buf, n, "# burnsim %s (revision %s) scenario %s seed %" PRIu64, burnsim_version, burnsim_git_revision,
           name, prov->seed);
}

/* The umask can only be read by setting it; campaigns open results
 * folders from several threads, so it is read once. */
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t process_umask;

static void read_umask(void) {
  process_umask = umask(0);
  umask(process_umask);
}

sim_output *sim_output_open(const char *dir, int force, const sim_provenance *prov, FILE *err) {
  size_t len = strlen(dir);
  while (len > 1 && dir[len - 1] == '/') len--;
  if (len == 0) {
    fprintf(err, "burnsim: the results folder name is empty\n");
    return NULL;
  }
  struct stat st;
  int replace = 0;
  char *clean = strndup(dir, len);
  if (!clean) return NULL;
  if (stat(clean, &st) == 0) {
    char *manifest = sim_path_join(clean, MANIFEST_NAME);
    int is_results = S_ISDIR(st.st_mode) && manifest && access(manifest, F_OK) == 0;
    free(manifest);
    if (!is_results) {
      fprintf(err,
              "burnsim: %s exists and is not a burnsim results folder (it has no %s); "
              "refusing to write there, choose another folder with -o\n",
              clean, MANIFEST_NAME);
      free(clean);
      return NULL;
    }
    if (!force) {
      fprintf(err,
              "burnsim: the results folder %s already exists; pass --force to replace it, "
              "or choose another folder with -o\n",
              clean);
      free(clean);
      return NULL;
    }
    replace = 1;
  }
  if (sim_make_parents(clean, err) != 0) {
    free(clean);
    return NULL;
  }
  size_t slen = len + sizeof ".partial-XXXXXX";
  char *staging = malloc(slen);
  sim_output *out = calloc(1, sizeof *out);
  if (!staging || !out) {
    free(staging);
    free(out);
    free(clean);
    return NULL;
  }
  snprintf(staging, slen, "%s.partial-XXXXXX", clean);
  if (!mkdtemp(staging)) {
    fprintf(err, "burnsim: cannot create a staging folder next to %s: %s\n", clean, strerror(errno));
    free(staging);
    free(out);
    free(clean);
    return NULL;
  }
  /* mkdtemp makes the folder private; results are ordinary files. */
  pthread_once(&umask_once, read_umask);
  chmod(staging, 0777 & ~process_umask);
  out->dir = clean;
  out->staging = staging;
  out->replace = replace;
  out->scenario_name = strdup(prov->scenario_name ? prov->scenario_name : "");
  out->prov.scenario_name = out->scenario_name;
  out->prov.seed = prov->seed;
  return out;
}

const char *sim_output_staging_dir(const sim_output *out) {
  return out->staging;
}

static void free_output(sim_output *out) {
  free(out->dir);
  free(out->staging);
  free(out->scenario_name);
  free(out);
}

FILE *sim_output_file(sim_output *out, const char *name, FILE *err) {
  char *path = sim_path_join(out->staging, name);
  if (!path) return NULL;
  FILE *f = fopen(path, "w");
  if (!f) fprintf(err, "burnsim: cannot write %s: %s\n", path, strerror(errno));
  free(path);
  return f;
}

/* ---- files that appear whole or not at all ------------------------------ */

struct sim_atomic_file {
  FILE *f;
  char *path, *partial;
};

sim_atomic_file *sim_atomic_open(const char *path, FILE *err) {
  sim_atomic_file *a = calloc(1, sizeof *a);
  size_t n = strlen(path) + 48;
  if (!a || !(a->path = strdup(path)) || !(a->partial = malloc(n))) {
    fprintf(err, "burnsim: out of memory writing %s\n", path);
    sim_atomic_close(a, 0, err);
    return NULL;
  }
  /* A new name beside path (O_EXCL: never another writer's file). */
  int fd = -1;
  for (int k = 0; k < 100 && fd < 0; k++) {
    snprintf(a->partial, n, "%s.partial-%ld-%d", path, (long)getpid(), k);
    fd = open(a->partial, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  a->f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!a->f) {
    fprintf(err, "burnsim: cannot write %s: %s\n", path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(a->partial);
    }
    sim_atomic_close(a, 0, err);
    return NULL;
  }
  return a;
}

FILE *sim_atomic_stream(sim_atomic_file *a) {
  return a->f;
}

int sim_atomic_close(sim_atomic_file *a, int keep, FILE *err) {
  if (!a) return -1;
  int rc = 0;
  if (a->f) {
    int failed = ferror(a->f) != 0;
    if (fclose(a->f) != 0) failed = 1;
    if (keep && (failed || rename(a->partial, a->path) != 0)) {
      if (err) fprintf(err, "burnsim: cannot write %s: %s\n", a->path, strerror(errno));
      rc = -1;
    }
    if (!keep || rc != 0) unlink(a->partial);
  }
  free(a->path);
  free(a->partial);
  free(a);
  return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

/* Starts a CSV file on f: the provenance line and the header row.  path
 * (taken over) names the file.  Returns NULL when out of memory. */
static sim_csv *csv_start(FILE *f, char *path, const char *provenance, const char *const *columns) {
  sim_csv *csv = calloc(1, sizeof *csv);
  if (!csv) return NULL;
  csv->f = f;
  csv->path = path;
  setvbuf(csv->f, NULL, _IOFBF, 1 << 16);
  fprintf(csv->f, "%s\n", provenance);
  for (size_t i = 0; columns[i]; i++) sim_csv_str(csv, columns[i]);
  sim_csv_end_row(csv);
  return csv;
}

sim_csv *sim_output_csv(sim_output *out, const char *name, const char *const *columns, FILE *err) {
  char line[512];
  sim_output_provenance_line(&out->prov, line, sizeof line);
  char *path = sim_path_join(out->staging, name);
  FILE *f = path ? fopen(path, "w") : NULL;
  sim_csv *csv = f ? csv_start(f, path, line, columns) : NULL;
  if (!csv) {
    fprintf(err, "burnsim: cannot write %s: %s\n", path ? path : name, f ? "out of memory" : strerror(errno));
    if (f) fclose(f);
    free(path);
  }
  return csv;
}

sim_csv *sim_csv_create_atomic(const char *path, const char *provenance, const char *const *columns,
                               FILE *err) {
  sim_atomic_file *a = sim_atomic_open(path, err);
  char *name = a ? strdup(path) : NULL;
  sim_csv *csv = name ? csv_start(sim_atomic_stream(a), name, provenance, columns) : NULL;
  if (!csv) {
    if (a && !name) fprintf(err, "burnsim: out of memory writing %s\n", path);
    free(name);
    sim_atomic_close(a, 0, err);
    return NULL;
  }
  csv->atomic = a;
  return csv;
}

static void separator(sim_csv *csv) {
  if (csv->column++ > 0) fputc(',', csv->f);
}

void sim_csv_int(sim_csv *csv, int64_t v) {
  separator(csv);
  fprintf(csv->f, "%" PRId64, v);
}

void sim_csv_uint(sim_csv *csv, uint64_t v) {
  separator(csv);
  fprintf(csv->f, "%" PRIu64, v);
}

/* Ten significant digits; NaN and infinities spelled the same on every
 * platform (printf may print "-nan"). */
void sim_csv_float(sim_csv *csv, double v) {
  separator(csv);
  if (isnan(v))
    fputs("nan", csv->f);
  else if (isinf(v))
    fputs(v > 0 ? "inf" : "-inf", csv->f);
  else
    fprintf(csv->f, "%.10g", v == 0 ? 0.0 : v);
}

void sim_csv_raw(sim_csv *csv, const char *fields) {
  separator(csv);
  fputs(fields, csv->f);
}

/* RFC 4180 quoting, only where a field needs it. */
void sim_csv_str(sim_csv *csv, const char *v) {
  separator(csv);
  if (!strpbrk(v, ",\"\r\n")) {
    fputs(v, csv->f);
    return;
  }
  fputc('"', csv->f);
  for (; *v; v++) {
    if (*v == '"') fputc('"', csv->f);
    fputc(*v, csv->f);
  }
  fputc('"', csv->f);
}

void sim_csv_end_row(sim_csv *csv) {
  fputc('\n', csv->f);
  csv->column = 0;
}

int sim_csv_close(sim_csv *csv) {
  if (!csv) return -1;
  int failed;
  if (csv->atomic) {
    failed = sim_atomic_close(csv->atomic, 1, NULL) != 0; /* callers say what failed */
  } else {
    failed = ferror(csv->f) != 0;
    if (fclose(csv->f) != 0) failed = 1;
  }
  free(csv->path);
  free(csv);
  return failed ? -1 : 0;
}

void sim_csv_discard(sim_csv *csv) {
  if (!csv) return;
  if (csv->atomic)
    sim_atomic_close(csv->atomic, 0, NULL);
  else
    fclose(csv->f);
  free(csv->path);
  free(csv);
}

int sim_output_commit(sim_output *out, FILE *err) {
  char *old = NULL;
  if (out->replace) {
    /* Move the earlier results aside first, so that a failure below
     * leaves one complete folder in place, never a mix. */
    size_t n = strlen(out->dir) + sizeof ".replaced-XXXXXX";
    old = malloc(n);
    if (!old) return -1;
    snprintf(old, n, "%s.replaced-XXXXXX", out->dir);
    if (!mkdtemp(old) || rename(out->dir, old) != 0) {
      fprintf(err, "burnsim: cannot move the earlier results %s aside: %s\n", out->dir,
              strerror(errno));
      free(old);
      sim_output_abort(out);
      return -1;
    }
  }
  if (rename(out->staging, out->dir) != 0) {
    fprintf(err, "burnsim: cannot move the results into %s: %s\n", out->dir, strerror(errno));
    if (old) rename(old, out->dir);
    free(old);
    sim_output_abort(out);
    return -1;
  }
  if (old) {
    sim_output_remove_tree(old);
    free(old);
  }
  free_output(out);
  return 0;
}

void sim_output_abort(sim_output *out) {
  if (!out) return;
  sim_output_remove_tree(out->staging);
  free_output(out);
}
