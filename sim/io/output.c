/* sim/io/output.c - results folders staged and renamed into place; CSV writing. */
#define _XOPEN_SOURCE 700 /* nftw */
#define _DEFAULT_SOURCE   /* flock */
#include "io/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <libconfig.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/build_info.h"
#include "io/manifest.h"

#define MANIFEST_NAME "manifest.cfg"

struct sim_output {
  char *dir;     /* the results folder as named (messages) */
  char *target;  /* the folder written: dir, or the folder a link dir points to */
  char *staging; /* TARGET.partial-staging, locked by lock_fd until committed */
  int lock_fd;
  int replace;   /* target exists and will be replaced on commit */
  sim_provenance prov;
  char *scenario_name;
};

struct sim_csv {
  FILE *f;
  char *path;
  char *shown;             /* the file as messages name it (in the results folder) */
  FILE *err;               /* where a failed close says so; NULL: the caller does */
  sim_atomic_file *atomic; /* atomic files: moved into place when closed */
  int column;
  int error;               /* errno of the first failed write, 0 if none */
};

char *sim_path_join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* path with suffix appended, in a new string. */
static char *with_suffix(const char *path, const char *suffix) {
  size_t n = strlen(path) + strlen(suffix) + 1;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s%s", path, suffix);
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

/* ---- staging folders and partial files, and what a killed writer leaves ---- */

/* A writer holds an exclusive flock on its staging folder or partial file for
 * as long as it works.  The kernel releases it when the writer dies, however
 * it dies, so one that nobody holds was left by a process that is gone. */
#define STAGING_SUFFIX ".partial-staging"
#define ASIDE_SUFFIX ".replaced-old"

/* Opens and locks path (a folder or a regular file, never through a link).
 * Returns the descriptor, or -1 (errno EWOULDBLOCK: a live writer holds it). */
static int open_locked(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    errno = EINVAL;
    return -1;
  }
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat locked;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &locked) != 0 || lstat(path, &st) != 0 ||
      st.st_dev != locked.st_dev || st.st_ino != locked.st_ino) {
    /* held, or the name moved on to another file meanwhile: someone else's */
    close(fd);
    errno = EWOULDBLOCK;
    return -1;
  }
  return fd;
}

/* Removes path if no live writer holds it.  Returns 1 if it did. */
static int remove_if_stale(const char *path) {
  int fd = open_locked(path);
  if (fd < 0) return 0;
  struct stat st;
  int removed = fstat(fd, &st) == 0 &&
                (S_ISDIR(st.st_mode) ? sim_output_remove_tree(path) == 0 : unlink(path) == 0);
  close(fd);
  return removed;
}

void sim_remove_stale_partials(const char *folder, const char *prefix) {
  size_t np = prefix ? strlen(prefix) : 0;
  DIR *dp = opendir(folder);
  struct dirent *ent;
  while (dp && (ent = readdir(dp))) {
    const char *tag = strstr(ent->d_name, ".partial-");
    if (!tag || (prefix && (tag - ent->d_name != (ptrdiff_t)np || strncmp(ent->d_name, prefix, np) != 0)))
      continue;
    char *p = sim_path_join(folder, ent->d_name);
    if (p) remove_if_stale(p);
    free(p);
  }
  if (dp) closedir(dp);
}

/* Creates the staging folder path and locks it.  Returns the descriptor, or
 * -1: errno EEXIST when a live writer holds it.  One left by a dead writer is
 * removed first.  Only the lock makes a folder ours: a writer that sees a
 * fresh folder it did not lock, and one that finds its own gone, try again. */
static int claim(const char *path) {
  for (int attempt = 0; attempt < 8; attempt++) {
    if (mkdir(path, 0777) != 0) {
      if (errno != EEXIST) return -1;
      if (!remove_if_stale(path)) break;
      continue;
    }
    int fd = open_locked(path);
    if (fd >= 0) return fd;
  }
  errno = EEXIST;
  return -1;
}

int sim_staging_claim(const char *path) {
  return claim(path);
}

/* Lets go of a staging folder: removes it (what is in it too) and unlocks. */
static void release(const char *staging, int fd) {
  sim_output_remove_tree(staging);
  close(fd);
}

char *sim_read_own_file(const char *path, size_t max, size_t *len, char *why, size_t n) {
  /* O_NONBLOCK: a FIFO put in the file's place must not hang the open. */
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  memset(&st, 0, sizeof st);
  if (fd < 0) {
    struct stat link;
    if (errno == ELOOP && lstat(path, &link) == 0 && S_ISLNK(link.st_mode))
      snprintf(why, n, "%s is a symbolic link; expected the file burnsim wrote", path);
    else
      snprintf(why, n, "cannot read %s: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max) {
    if (S_ISREG(st.st_mode))
      snprintf(why, n, "%s: expected at most %zu bytes, found %jd", path, max, (intmax_t)st.st_size);
    else
      snprintf(why, n, "%s is not a regular file; expected the file burnsim wrote", path);
    close(fd);
    return NULL;
  }
  size_t cap = (size_t)st.st_size + 1, got = 0;
  char *data = malloc(cap + 1);
  ssize_t k = 0;
  while (data && got < cap && (k = read(fd, data + got, cap - got)) > 0) got += (size_t)k;
  close(fd);
  if (!data || k < 0 || got > max) {
    snprintf(why, n, "cannot read %s: %s", path, !data ? "out of memory" : k < 0 ? strerror(errno) : "it grew while read");
    free(data);
    return NULL;
  }
  data[got] = '\0';
  if (len) *len = got;
  return data;
}

/* ---- what burnsim wrote -------------------------------------------------- */

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int all_digits(const char *s) {
  return *s && strspn(s, "0123456789") == strlen(s);
}

/* A manifest burnsim wrote: a regular file libconfig reads, with burnsim's
 * version in it.  *campaign: it describes a campaign (it has a kind). */
static int burnsim_manifest(const char *path, int *campaign) {
  config_t cfg;
  config_init(&cfg);
  char why[256];
  const char *version = NULL;
  int ok = manifest_read(&cfg, path, why, sizeof why) == 0 &&
           config_lookup_string(&cfg, "burnsim_version", &version) == CONFIG_TRUE;
  *campaign = ok && config_lookup(&cfg, "kind") != NULL;
  config_destroy(&cfg);
  return ok;
}

enum { IN_RESULTS, IN_RUN, IN_RUNS, IN_PLOTS };

/* Whether everything in dir is something burnsim writes in a folder of that
 * kind (rel: dir's path in the results folder, for messages).  Returns 0, or
 * -1 with the first entry burnsim does not write in what. */
static int own_entries(const char *dir, const char *rel, int kind, int campaign, char *what, size_t n) {
  DIR *dp = opendir(dir);
  if (!dp) {
    snprintf(what, n, "%s (which cannot be read: %s)", *rel ? rel : ".", strerror(errno));
    return -1;
  }
  int rc = 0, manifest = 0;
  struct dirent *ent;
  while (rc == 0 && (ent = readdir(dp))) {
    const char *name = ent->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    char *path = sim_path_join(dir, name);
    char sub[1024];
    snprintf(sub, sizeof sub, "%s%s", rel, name);
    struct stat st;
    if (!path || lstat(path, &st) != 0) {
      snprintf(what, n, "%s (which cannot be read)", sub);
      free(path);
      rc = -1;
      break;
    }
    int file = S_ISREG(st.st_mode), folder = S_ISDIR(st.st_mode), ok = 0;
    char below[1040];
    snprintf(below, sizeof below, "%s/", sub);
    if (strstr(name, ".partial-") && (file || folder)) {
      ok = 1; /* what an interrupted writer left */
    } else if (kind == IN_PLOTS) {
      ok = file && (ends_with(name, ".png") || ends_with(name, ".svg") || ends_with(name, ".pdf"));
    } else if (kind == IN_RUNS) {
      if (folder && all_digits(name)) {
        if (own_entries(path, below, IN_RUN, 0, what, n) != 0) rc = -1;
        ok = 1;
      }
    } else if (file) {
      manifest |= strcmp(name, "manifest.cfg") == 0;
      ok = strcmp(name, "manifest.cfg") == 0 || strcmp(name, "scenario.cfg") == 0 ||
           strcmp(name, "calibrated.cfg") == 0 || strcmp(name, "report.html") == 0 ||
           strcmp(name, "summary.json") == 0 || ends_with(name, ".csv");
    } else if (folder && (strcmp(name, "plots") == 0 || (campaign && strcmp(name, "runs") == 0))) {
      if (own_entries(path, below, name[0] == 'p' ? IN_PLOTS : IN_RUNS, 0, what, n) != 0) rc = -1;
      ok = 1;
    }
    if (!ok) {
      snprintf(what, n, "%s%s", folder ? below : sub, S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
      rc = -1;
    }
    free(path);
  }
  closedir(dp);
  if (rc == 0 && kind == IN_RUN && !manifest) {
    snprintf(what, n, "%s without its manifest.cfg", *rel ? rel : ".");
    rc = -1;
  }
  return rc;
}

/* Whether dir is a results folder burnsim wrote, all of it: a burnsim
 * manifest, and nothing burnsim does not write.  If not, says why on err
 * (naming the folder as shown). */
static int ours_alone(const char *dir, const char *shown, FILE *err) {
  char *manifest = sim_path_join(dir, MANIFEST_NAME);
  int campaign = 0;
  int ok = manifest && burnsim_manifest(manifest, &campaign);
  free(manifest);
  if (!ok) {
    fprintf(err,
            "burnsim: %s exists and is not a burnsim results folder (it has no %s written by burnsim); "
            "it is never replaced, choose another folder with -o\n",
            shown, MANIFEST_NAME);
    return 0;
  }
  char what[1100];
  if (own_entries(dir, "", IN_RESULTS, campaign, what, sizeof what) != 0) {
    fprintf(err,
            "burnsim: %s is not a burnsim results folder: burnsim did not write %s in it; it is never "
            "replaced, choose another folder with -o\n",
            shown, what);
    return 0;
  }
  return 1;
}

/* The folder to write for the results folder dir: dir itself, or the folder
 * a link dir points to (which must exist).  NULL with a message on err. */
static char *resolve(const char *dir, FILE *err) {
  struct stat st;
  if (lstat(dir, &st) != 0 || !S_ISLNK(st.st_mode)) return strdup(dir);
  char *target = realpath(dir, NULL);
  if (!target || stat(target, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(err,
            "burnsim: %s is a symbolic link to %s, not to a folder; burnsim follows a link only to an "
            "existing results folder\n",
            dir, target ? target : "something that does not exist (a dangling link)");
    free(target);
    return NULL;
  }
  return target;
}

/* A commit killed between moving the earlier results aside and moving the
 * new ones in leaves them aside: put them back, or, if the new ones made it,
 * finish removing them.  Only the holder of target's staging folder calls
 * it, so no commit of target is under way. */
static void recover_aside(const char *target) {
  char *aside = with_suffix(target, ASIDE_SUFFIX);
  struct stat st;
  if (aside && lstat(aside, &st) == 0 && S_ISDIR(st.st_mode)) {
    FILE *quiet = fopen("/dev/null", "w");
    if (lstat(target, &st) != 0 || !S_ISDIR(st.st_mode))
      rename(aside, target);
    else if (quiet && ours_alone(aside, aside, quiet))
      sim_output_remove_tree(aside);
    if (quiet) fclose(quiet);
  }
  free(aside);
}

/* A results folder being claimed: the name, where it points, and the lock. */
typedef struct claimed {
  char *dir, *target, *staging;
  int fd;
  int exists; /* target exists (and is burnsim's with force) */
} claimed;

static void unclaim(claimed *c) {
  if (c->fd >= 0) release(c->staging, c->fd);
  free(c->dir);
  free(c->target);
  free(c->staging);
  memset(c, 0, sizeof *c);
  c->fd = -1;
}

enum { CLAIM_OK = 0, CLAIM_FAILED = -1, CLAIM_TAKEN = -2 };

/* Claims dir for writing: resolves a link, locks the staging folder beside
 * the target (removing a dead writer's), recovers an interrupted commit, and
 * checks what is there.  empty_ok: an empty folder may be written into.
 * Returns CLAIM_OK; CLAIM_TAKEN (nothing printed) when quiet_if_taken and dir
 * exists or another burnsim is writing it; or CLAIM_FAILED with a message. */
static int claim_folder(claimed *c, const char *dir, int force, int quiet_if_taken, int empty_ok, FILE *err) {
  memset(c, 0, sizeof *c);
  c->fd = -1;
  if (!(c->dir = strdup(dir)) || !(c->target = resolve(dir, err))) {
    unclaim(c);
    return CLAIM_FAILED;
  }
  if (!(c->staging = with_suffix(c->target, STAGING_SUFFIX)) || sim_make_parents(c->target, err) != 0) {
    unclaim(c);
    return CLAIM_FAILED;
  }
  c->fd = claim(c->staging);
  if (c->fd < 0) {
    int e = errno;
    if (e == EEXIST && !quiet_if_taken)
      fprintf(err,
              "burnsim: another burnsim is writing %s now (its staging folder %s is in use); wait for it to "
              "finish, or choose another folder with -o\n",
              dir, c->staging);
    else if (e != EEXIST)
      fprintf(err, "burnsim: cannot create a staging folder next to %s: %s\n", dir, strerror(e));
    unclaim(c);
    return e == EEXIST ? CLAIM_TAKEN : CLAIM_FAILED;
  }
  recover_aside(c->target);
  struct stat st;
  if (lstat(c->target, &st) != 0) return CLAIM_OK;
  if (quiet_if_taken) {
    unclaim(c);
    return CLAIM_TAKEN;
  }
  if (empty_ok && S_ISDIR(st.st_mode) && rmdir(c->target) == 0) return CLAIM_OK; /* (it was empty) */
  if (!S_ISDIR(st.st_mode)) {
    fprintf(err, "burnsim: %s exists and is not a folder; choose another folder with -o\n", dir);
    unclaim(c);
    return CLAIM_FAILED;
  }
  if (!ours_alone(c->target, dir, err)) {
    unclaim(c);
    return CLAIM_FAILED;
  }
  if (!force) {
    fprintf(err,
            "burnsim: the results folder %s already exists; pass --force to replace it, or choose another "
            "folder with -o\n",
            dir);
    unclaim(c);
    return CLAIM_FAILED;
  }
  c->exists = 1;
  return CLAIM_OK;
}

/* Claims dir, or with SIM_OUTPUT_NEXT_FREE the first of dir, dir-2, dir-3,
 * ... that neither exists nor is being written. */
static int claim_first_free(claimed *c, const char *dir, int flags, int empty_ok, FILE *err) {
  size_t len = strlen(dir);
  while (len > 1 && dir[len - 1] == '/') len--;
  if (len == 0) {
    fprintf(err, "burnsim: the results folder name is empty\n");
    return CLAIM_FAILED;
  }
  char *base = strndup(dir, len), *name = malloc(len + 24);
  int rc = CLAIM_FAILED;
  if (base && name) {
    if (!(flags & SIM_OUTPUT_NEXT_FREE)) {
      rc = claim_folder(c, base, flags & SIM_OUTPUT_FORCE, 0, empty_ok, err);
    } else {
      for (unsigned k = 1; k <= 10000; k++) {
        if (k == 1)
          snprintf(name, len + 24, "%s", base);
        else
          snprintf(name, len + 24, "%s-%u", base, k);
        rc = claim_folder(c, name, 0, 1, 0, err);
        if (rc != CLAIM_TAKEN) break;
      }
      if (rc == CLAIM_TAKEN) fprintf(err, "burnsim: %s and 9,999 more like it are all taken\n", base);
    }
  }
  free(base);
  free(name);
  return rc == CLAIM_OK ? CLAIM_OK : CLAIM_FAILED;
}

sim_output *sim_output_open(const char *dir, int flags, const sim_provenance *prov, FILE *err) {
  sim_output *out = calloc(1, sizeof *out);
  if (!out) return NULL;
  out->lock_fd = -1;
  claimed c;
  if (claim_first_free(&c, dir, flags, 0, err) != CLAIM_OK) {
    free(out);
    return NULL;
  }
  out->dir = c.dir;
  out->target = c.target;
  out->staging = c.staging;
  out->lock_fd = c.fd;
  out->replace = c.exists;
  out->scenario_name = strdup(prov->scenario_name ? prov->scenario_name : "");
  out->prov.scenario_name = out->scenario_name;
  out->prov.seed = prov->seed;
  if (!out->scenario_name) {
    sim_output_abort(out);
    return NULL;
  }
  return out;
}

const char *sim_output_dir(const sim_output *out) {
  return out->dir;
}

char *sim_folder_create(const char *dir, int flags, FILE *err) {
  claimed c;
  if (claim_first_free(&c, dir, flags, 1, err) != CLAIM_OK) return NULL;
  int ok = 1;
  if (c.exists) {
    /* Kept until the new results are complete (sim_folder_drop_replaced). */
    char *aside = with_suffix(c.target, ASIDE_SUFFIX);
    ok = aside && rename(c.target, aside) == 0;
    if (!ok) fprintf(err, "burnsim: cannot move the earlier results %s aside: %s\n", c.dir, strerror(errno));
    free(aside);
  }
  if (ok && mkdir(c.target, 0777) != 0) {
    fprintf(err, "burnsim: cannot create %s: %s\n", c.dir, strerror(errno));
    ok = 0;
  }
  char *made = ok ? c.dir : NULL;
  if (ok) c.dir = NULL; /* (returned) */
  unclaim(&c);
  return made;
}

void sim_folder_drop_replaced(const char *dir) {
  char *target = resolve(dir, stderr);
  char *aside = target ? with_suffix(target, ASIDE_SUFFIX) : NULL;
  struct stat st;
  FILE *quiet = fopen("/dev/null", "w");
  if (aside && quiet && lstat(aside, &st) == 0 && S_ISDIR(st.st_mode) && ours_alone(aside, aside, quiet))
    sim_output_remove_tree(aside);
  if (quiet) fclose(quiet);
  free(aside);
  free(target);
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

const char *sim_output_staging_dir(const sim_output *out) {
  return out->staging;
}

static void free_output(sim_output *out) {
  if (out->lock_fd >= 0) close(out->lock_fd);
  free(out->dir);
  free(out->target);
  free(out->staging);
  free(out->scenario_name);
  free(out);
}

FILE *sim_output_file(sim_output *out, const char *name, FILE *err) {
  char *path = sim_path_join(out->staging, name);
  if (!path) return NULL;
  FILE *f = fopen(path, "w");
  if (!f) fprintf(err, "burnsim: cannot write %s/%s: %s\n", out->dir, name, strerror(errno));
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
  /* What killed writers of path left, before adding ours. */
  char *folder = strdup(path);
  if (folder) {
    char *slash = strrchr(folder, '/');
    const char *base = slash ? slash + 1 : folder;
    if (slash) *slash = '\0';
    sim_remove_stale_partials(slash ? (*folder ? folder : "/") : ".", base);
    free(folder);
  }
  /* A new name beside path (O_EXCL: never another writer's file), locked
   * while it is written so that nobody takes it for a dead writer's. */
  int fd = -1;
  for (int k = 0; k < 100 && fd < 0; k++) {
    snprintf(a->partial, n, "%s.partial-%ld-%d", path, (long)getpid(), k);
    fd = open(a->partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) { /* another process cleaning up took it */
      close(fd);
      fd = -1;
    }
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
    int e = ferror(a->f) ? EIO : 0;
    if (fflush(a->f) != 0) e = errno;
    if (fclose(a->f) != 0 && !e) e = errno;
    if (keep && !e && rename(a->partial, a->path) != 0) e = errno;
    if (keep && e) {
      if (err) fprintf(err, "burnsim: cannot write %s: %s\n", a->path, strerror(e));
      rc = -1;
    }
    if (!keep || rc != 0) unlink(a->partial);
    errno = e;
  }
  free(a->path);
  free(a->partial);
  free(a);
  return rc;
}

int sim_write_atomic(const char *path, const char *data, size_t len, FILE *err) {
  sim_atomic_file *a = sim_atomic_open(path, err);
  if (!a) return -1;
  int complete = fwrite(data, 1, len, sim_atomic_stream(a)) == len;
  return sim_atomic_close(a, complete, err) == 0 && complete ? 0 : -1;
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
  char *shown = sim_path_join(out->dir, name);
  FILE *f = path && shown ? fopen(path, "w") : NULL;
  sim_csv *csv = f ? csv_start(f, path, line, columns) : NULL;
  if (!csv) {
    fprintf(err, "burnsim: cannot write %s/%s: %s\n", out->dir, name, f || !path || !shown ? "out of memory" : strerror(errno));
    if (f) fclose(f);
    free(path);
    free(shown);
    return NULL;
  }
  csv->shown = shown;
  csv->err = err;
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
  /* The first failed write's reason (a full disk, say) is kept for the
   * message: by the close errno may say something else. */
  if ((fputc('\n', csv->f) == EOF || ferror(csv->f)) && !csv->error) csv->error = errno ? errno : EIO;
  csv->column = 0;
}

int sim_csv_close(sim_csv *csv) {
  if (!csv) return -1;
  int e = csv->error;
  if (csv->atomic) {
    if (sim_atomic_close(csv->atomic, !e, NULL) != 0 && !e) e = errno ? errno : EIO; /* callers say what failed */
  } else {
    if (ferror(csv->f) && !e) e = EIO;
    if (fflush(csv->f) != 0 && !e) e = errno;
    if (fclose(csv->f) != 0 && !e) e = errno;
    if (e && csv->err) fprintf(csv->err, "burnsim: cannot write %s: %s\n", csv->shown, strerror(e));
  }
  free(csv->path);
  free(csv->shown);
  free(csv);
  errno = e;
  return e ? -1 : 0;
}

void sim_csv_discard(sim_csv *csv) {
  if (!csv) return;
  if (csv->atomic)
    sim_atomic_close(csv->atomic, 0, NULL);
  else
    fclose(csv->f);
  free(csv->path);
  free(csv->shown);
  free(csv);
}

int sim_output_commit(sim_output *out, FILE *err) {
  char *aside = NULL;
  if (out->replace) {
    /* The earlier results go aside first, so that a failure below leaves
     * one complete folder in place, never a mix; they are removed only once
     * the new ones are in.  The lock on the staging folder keeps any other
     * burnsim from committing here meanwhile. */
    aside = with_suffix(out->target, ASIDE_SUFFIX);
    if (!aside || rename(out->target, aside) != 0) {
      fprintf(err, "burnsim: cannot move the earlier results %s aside: %s\n", out->dir,
              aside ? strerror(errno) : "out of memory");
      free(aside);
      sim_output_abort(out);
      return -1;
    }
  }
  if (rename(out->staging, out->target) != 0) {
    fprintf(err, "burnsim: cannot move the results into %s: %s\n", out->dir, strerror(errno));
    if (aside) rename(aside, out->target);
    free(aside);
    sim_output_abort(out);
    return -1;
  }
  if (aside) {
    sim_output_remove_tree(aside);
    free(aside);
  }
  free_output(out);
  return 0;
}

void sim_output_abort(sim_output *out) {
  if (!out) return;
  sim_output_remove_tree(out->staging);
  free_output(out);
}
