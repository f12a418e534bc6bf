/* sim/validate/targets.h - the validation targets, as declared in a targets file.
 *
 * A targets file (scenarios/validation/targets.cfg) lists every target:
 * its source, the scenario it runs (a file beside it, with optional
 * overrides) and how many replications, what --quick runs instead, and its
 * checks.  A check names the quantity compared (an expression of a run's
 * summary columns, or a closed form: expr.h, measure.h), where in the
 * campaign it is read (an arm, a sweep point, or the differences between
 * points), and the band the known answer allows, with the reason for its
 * width.  docs/validation.md describes the format.
 */
#ifndef BURNSIM_VALIDATE_TARGETS_H
#define BURNSIM_VALIDATE_TARGETS_H

#include <stddef.h>
#include <stdio.h>

#include "validate/expr.h"

#define VAL_NAME_LEN 64
#define VAL_TEXT_LEN 2048
#define VAL_MAX_CHECKS 16
#define VAL_MAX_POINTS 64

typedef enum val_compare {
  VAL_VALUE,      /* the value at one arm and point */
  VAL_DIFFERENCE, /* (to_arm, to_point) minus (arm, point), replication by replication */
  VAL_STEPS       /* each step between consecutive points, replication by replication */
} val_compare;

typedef struct val_check {
  char name[VAL_NAME_LEN];
  char value_text[VAL_TEXT_LEN];
  val_expr *value;
  val_compare compare;
  char arm[VAL_NAME_LEN], to_arm[VAL_NAME_LEN]; /* "" : the baseline */
  long point, to_point;
  long points[VAL_MAX_POINTS]; /* steps: the points in order (all of them when n_points is 0) */
  size_t n_points;
  /* The band: [low, high], from expected and tolerance, a range, or a sign. */
  double expected, tolerance, low, high;
  int relative;      /* tolerance is a share of expected */
  int open;          /* a sign: the band excludes 0 */
  char claim[VAL_TEXT_LEN]; /* the known answer in words: "= 0.5755 ms +- 2%", "decreasing" */
  char why[VAL_TEXT_LEN];   /* why the band is as wide as it is */
  int line;                 /* in the targets file */
} val_check;

typedef enum val_target_kind {
  VAL_CLOSED_FORM, /* no runs: every check is a closed form or a reference file */
  VAL_CAMPAIGN,    /* a campaign of the scenario */
  VAL_LOGIT        /* the logit model's choice frequencies (in-process runs, logit.c) */
} val_target_kind;

typedef struct val_target {
  char name[VAL_NAME_LEN];
  char title[VAL_TEXT_LEN];
  char source[VAL_TEXT_LEN];
  val_target_kind kind;
  char scenario[4096]; /* path, resolved against the targets folder ("" without one) */
  char set[VAL_TEXT_LEN];
  long replications;
  int quick;                 /* part of --quick */
  long quick_replications;
  char quick_set[VAL_TEXT_LEN];
  double tolerance;          /* logit: relative band on each share */
  double alpha;              /* logit: the chi-square test's level */
  char why[VAL_TEXT_LEN];    /* logit: why the tolerance */
  val_check checks[VAL_MAX_CHECKS];
  size_t n_checks;
  int line;
} val_target;

typedef struct val_targets {
  char dir[4096];  /* the folder of the file, for resolving paths */
  char path[4096];
  val_target *items;
  size_t n;
} val_targets;

/* Reads the targets file path.  Returns 0, or the number of problems found
 * (each written to err with the file and line). */
int val_targets_read(val_targets *t, const char *path, FILE *err);
void val_targets_free(val_targets *t);

/* The target named name, or NULL. */
const val_target *val_targets_find(const val_targets *t, const char *name);

/* A path in the targets folder (for reference files named by checks). */
void val_targets_resolve(const val_targets *t, const char *rel, char *out, size_t n);

#endif
