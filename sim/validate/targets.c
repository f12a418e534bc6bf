/* sim/validate/targets.c - reading and checking a targets file. */
#include "validate/targets.h"

#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/source.h"

typedef struct reader {
  simc_source src;
  const char *path;
  FILE *err;
  int errors;
} reader;

static void problem(reader *r, const config_setting_t *s, const char *fmt, ...) {
  const char *file = r->path;
  int line = 0;
  if (s && config_setting_source_line(s) > 0) simc_source_place(&r->src, (int)config_setting_source_line(s), &file, &line);
  fprintf(r->err, "%s:%d: ", file ? file : r->path, line);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(r->err, fmt, ap);
  va_end(ap);
  fputc('\n', r->err);
  r->errors++;
}

static void source_problem(void *ctx, const char *file, int line, const char *message) {
  reader *r = ctx;
  fprintf(r->err, "%s:%d: %s\n", file ? file : r->path, line, message);
  r->errors++;
}

static int place_line(reader *r, const config_setting_t *s) {
  const char *file;
  int line = 0;
  if (s && config_setting_source_line(s) > 0) simc_source_place(&r->src, (int)config_setting_source_line(s), &file, &line);
  return line;
}

/* A string member: 0 when absent (out untouched), 1 when read, -1 on a problem. */
static int get_string(reader *r, const config_setting_t *g, const char *key, char *out, size_t n, int required) {
  const config_setting_t *s = config_setting_get_member(g, key);
  if (!s) {
    if (required) problem(r, g, "%s: expected a string (it is required), found nothing", key);
    return required ? -1 : 0;
  }
  const char *v = config_setting_get_string(s);
  if (!v) {
    problem(r, s, "%s: expected a string", key);
    return -1;
  }
  if (strlen(v) >= n) {
    problem(r, s, "%s: longer than %zu characters", key, n - 1);
    return -1;
  }
  snprintf(out, n, "%s", v);
  return 1;
}

static int get_number(reader *r, const config_setting_t *g, const char *key, double *out) {
  const config_setting_t *s = config_setting_get_member(g, key);
  if (!s) return 0;
  int type = config_setting_type(s);
  if (type == CONFIG_TYPE_FLOAT)
    *out = config_setting_get_float(s);
  else if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
    *out = (double)config_setting_get_int64(s);
  else {
    problem(r, s, "%s: expected a number", key);
    return -1;
  }
  if (isnan(*out)) {
    problem(r, s, "%s: expected a number, found nan", key);
    return -1;
  }
  return 1;
}

static int get_count(reader *r, const config_setting_t *g, const char *key, long *out, long lo, long hi) {
  const config_setting_t *s = config_setting_get_member(g, key);
  if (!s) return 0;
  int type = config_setting_type(s);
  long long v = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 ? config_setting_get_int64(s) : lo - 1;
  if (v < lo || v > hi) {
    problem(r, s, "%s: expected a whole number from %ld to %ld", key, lo, hi);
    return -1;
  }
  *out = (long)v;
  return 1;
}

static int get_bool(reader *r, const config_setting_t *g, const char *key, int *out) {
  const config_setting_t *s = config_setting_get_member(g, key);
  if (!s) return 0;
  if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
    problem(r, s, "%s: expected true or false", key);
    return -1;
  }
  *out = config_setting_get_bool(s);
  return 1;
}

/* Every member of g must be one of keys (NULL-terminated). */
static void known_keys(reader *r, const config_setting_t *g, const char *const *keys) {
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
    const char *name = config_setting_name(s);
    int known = 0;
    for (const char *const *k = keys; *k && !known; k++) known = name && strcmp(*k, name) == 0;
    if (!known) {
      char list[512] = "";
      size_t used = 0;
      for (const char *const *k = keys; *k; k++)
        used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0, "%s%s",
                                 k == keys ? "" : ", ", *k);
      problem(r, s, "%s: unknown key; expected one of: %s", name ? name : "(unnamed)", list);
    }
  }
}

static int plain_name(const char *s) {
  if (!*s || *s == '.') return 0;
  for (; *s; s++)
    if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') || *s == '_' ||
          *s == '-' || *s == '.'))
      return 0;
  return 1;
}

static const char *const check_keys[] = {"name", "value", "compare", "arm", "point", "to_arm", "to_point", "points",
                                         "expected", "tolerance", "absolute", "low", "high", "sign", "claim",
                                         "why", NULL};

static void read_check(reader *r, const config_setting_t *g, const val_target *t, val_check *c) {
  memset(c, 0, sizeof *c);
  c->line = place_line(r, g);
  c->expected = c->tolerance = NAN;
  c->low = -INFINITY;
  c->high = INFINITY;
  c->to_point = -1;
  known_keys(r, g, check_keys);
  if (get_string(r, g, "name", c->name, sizeof c->name, 1) == 1 && !plain_name(c->name))
    problem(r, config_setting_get_member(g, "name"), "name: expected letters, digits, '_', '-' or '.', found \"%s\"",
            c->name);
  if (get_string(r, g, "value", c->value_text, sizeof c->value_text, 1) == 1) {
    char why[512];
    if (!(c->value = val_expr_parse(c->value_text, why, sizeof why)))
      problem(r, config_setting_get_member(g, "value"), "value: %s", why);
  }
  char compare[32] = "value";
  if (get_string(r, g, "compare", compare, sizeof compare, 0) >= 0) {
    if (strcmp(compare, "value") == 0)
      c->compare = VAL_VALUE;
    else if (strcmp(compare, "difference") == 0)
      c->compare = VAL_DIFFERENCE;
    else if (strcmp(compare, "steps") == 0)
      c->compare = VAL_STEPS;
    else
      problem(r, config_setting_get_member(g, "compare"),
              "compare: expected one of \"value\", \"difference\", \"steps\", found \"%s\"", compare);
  }
  get_string(r, g, "arm", c->arm, sizeof c->arm, 0);
  get_string(r, g, "to_arm", c->to_arm, sizeof c->to_arm, 0);
  get_count(r, g, "point", &c->point, 0, VAL_MAX_POINTS - 1);
  get_count(r, g, "to_point", &c->to_point, 0, VAL_MAX_POINTS - 1);
  const config_setting_t *pts = config_setting_get_member(g, "points");
  if (pts) {
    if (!config_setting_is_array(pts) || config_setting_length(pts) < 2 || config_setting_length(pts) > VAL_MAX_POINTS)
      problem(r, pts, "points: expected an array of 2 to %d point numbers, e.g. [0, 1, 2]", VAL_MAX_POINTS);
    for (int i = 0; config_setting_is_array(pts) && i < config_setting_length(pts) && i < VAL_MAX_POINTS; i++) {
      const config_setting_t *e = config_setting_get_elem(pts, (unsigned)i);
      int type = config_setting_type(e);
      long long v = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 ? config_setting_get_int64(e) : -1;
      if (v < 0 || v >= VAL_MAX_POINTS) problem(r, e, "points: expected point numbers from 0");
      c->points[c->n_points++] = (long)v;
    }
  }
  if (c->compare == VAL_DIFFERENCE && c->to_point < 0 && !*c->to_arm)
    problem(r, g, "compare = \"difference\" needs to_point or to_arm: what the value at point/arm is subtracted from");
  if (c->compare != VAL_DIFFERENCE && (c->to_point >= 0 || *c->to_arm))
    problem(r, g, "to_point and to_arm belong to compare = \"difference\"");
  if (c->compare != VAL_STEPS && pts) problem(r, pts, "points belongs to compare = \"steps\"");
  if (c->to_point < 0) c->to_point = c->point;
  if (c->compare != VAL_VALUE && t->kind != VAL_CAMPAIGN)
    problem(r, g, "compare = \"%s\" needs runs: the target needs a scenario", compare);

  /* The band. */
  int absolute = 0;
  get_bool(r, g, "absolute", &absolute);
  c->relative = !absolute;
  int has_expected = get_number(r, g, "expected", &c->expected) == 1;
  int has_tol = get_number(r, g, "tolerance", &c->tolerance) == 1;
  int has_low = get_number(r, g, "low", &c->low) == 1;
  int has_high = get_number(r, g, "high", &c->high) == 1;
  char sign[32] = "";
  int has_sign = get_string(r, g, "sign", sign, sizeof sign, 0) == 1;
  int ways = (has_tol ? 1 : 0) + (has_low || has_high ? 1 : 0) + (has_sign ? 1 : 0);
  if (ways != 1)
    problem(r, g, "%s: give the band one way: expected with tolerance, low and/or high, or sign", c->name);
  if (has_tol && !has_expected) problem(r, g, "%s: tolerance needs expected, the known answer", c->name);
  if (has_tol && !(c->tolerance >= 0)) problem(r, config_setting_get_member(g, "tolerance"), "tolerance: expected a number >= 0");
  if (has_tol && has_expected) {
    if (c->relative && c->expected == 0)
      problem(r, g, "%s: a relative tolerance of an expected 0 is no band; add absolute = true", c->name);
    double half = c->relative ? fabs(c->expected) * c->tolerance : c->tolerance;
    c->low = c->expected - half;
    c->high = c->expected + half;
  }
  if ((has_low || has_high) && !(c->low <= c->high)) problem(r, g, "%s: low must not exceed high", c->name);
  if (has_sign) {
    if (strcmp(sign, "positive") == 0) {
      c->low = 0;
      c->high = INFINITY;
    } else if (strcmp(sign, "negative") == 0) {
      c->low = -INFINITY;
      c->high = 0;
    } else {
      problem(r, config_setting_get_member(g, "sign"), "sign: expected \"positive\" or \"negative\", found \"%s\"", sign);
    }
    if (!has_expected) c->expected = 0;
    c->open = 1;
  }
  if (!has_expected && !has_sign) c->expected = NAN;
  get_string(r, g, "claim", c->claim, sizeof c->claim, 0);
  if (get_string(r, g, "why", c->why, sizeof c->why, 1) == 1 && !*c->why)
    problem(r, config_setting_get_member(g, "why"), "why: say why the band is as wide as it is");
}

static const char *const target_keys[] = {"name", "title", "source", "kind", "scenario", "set", "replications",
                                          "quick", "checks", "tolerance", "alpha", "why", NULL};
static const char *const quick_keys[] = {"replications", "set", NULL};

static void read_target(reader *r, const config_setting_t *g, const char *dir, val_target *t) {
  memset(t, 0, sizeof *t);
  t->line = place_line(r, g);
  t->replications = 10;
  known_keys(r, g, target_keys);
  if (get_string(r, g, "name", t->name, sizeof t->name, 1) == 1 && !plain_name(t->name))
    problem(r, config_setting_get_member(g, "name"),
            "name: expected letters, digits, '_', '-' or '.' (it names a folder), found \"%s\"", t->name);
  get_string(r, g, "title", t->title, sizeof t->title, 0);
  get_string(r, g, "source", t->source, sizeof t->source, 1);
  char scenario[2048] = "", kind[32] = "";
  int has_scenario = get_string(r, g, "scenario", scenario, sizeof scenario, 0) == 1;
  get_string(r, g, "kind", kind, sizeof kind, 0);
  if (*kind && strcmp(kind, "logit") != 0)
    problem(r, config_setting_get_member(g, "kind"), "kind: expected \"logit\" or nothing, found \"%s\"", kind);
  t->kind = *kind ? VAL_LOGIT : has_scenario ? VAL_CAMPAIGN : VAL_CLOSED_FORM;
  if (has_scenario) {
    if (scenario[0] == '/')
      snprintf(t->scenario, sizeof t->scenario, "%s", scenario);
    else
      snprintf(t->scenario, sizeof t->scenario, "%s%s", dir, scenario);
  } else if (t->kind == VAL_LOGIT) {
    problem(r, g, "kind = \"logit\" needs a scenario");
  }
  get_string(r, g, "set", t->set, sizeof t->set, 0);
  get_count(r, g, "replications", &t->replications, 2, 100000);
  const config_setting_t *q = config_setting_get_member(g, "quick");
  if (q) {
    if (!config_setting_is_group(q)) {
      problem(r, q, "quick: expected a group, e.g. quick = { replications = 5; };");
    } else {
      known_keys(r, q, quick_keys);
      t->quick = 1;
      t->quick_replications = t->replications;
      get_count(r, q, "replications", &t->quick_replications, 2, 100000);
      get_string(r, q, "set", t->quick_set, sizeof t->quick_set, 0);
    }
  }
  if (t->kind == VAL_LOGIT) {
    t->alpha = 0.001;
    if (get_number(r, g, "tolerance", &t->tolerance) != 1 || !(t->tolerance > 0))
      problem(r, g, "a logit target needs tolerance: the relative band on each choice share");
    get_number(r, g, "alpha", &t->alpha);
    if (!(t->alpha > 0 && t->alpha < 1)) problem(r, g, "alpha: expected a level between 0 and 1");
    if (get_string(r, g, "why", t->why, sizeof t->why, 1) == 1 && !*t->why) problem(r, g, "why: say why the tolerance");
    if (config_setting_get_member(g, "checks")) problem(r, g, "a logit target's checks are the four choice shares and "
                                                           "the chi-square test; it takes no checks list");
    return;
  }
  if (config_setting_get_member(g, "tolerance") || config_setting_get_member(g, "alpha"))
    problem(r, g, "tolerance and alpha belong to each check (or to a logit target)");
  const config_setting_t *cs = config_setting_get_member(g, "checks");
  if (!cs || !config_setting_is_list(cs) || config_setting_length(cs) == 0) {
    problem(r, cs ? cs : g, "checks: expected a list of checks, ( { name = ...; value = ...; ... } )");
    return;
  }
  for (int i = 0; i < config_setting_length(cs); i++) {
    const config_setting_t *c = config_setting_get_elem(cs, (unsigned)i);
    if (t->n_checks == VAL_MAX_CHECKS) {
      problem(r, c, "at most %d checks per target", VAL_MAX_CHECKS);
      break;
    }
    if (!config_setting_is_group(c)) {
      problem(r, c, "checks: expected each check as a group { ... }");
      continue;
    }
    val_check *ck = &t->checks[t->n_checks++];
    read_check(r, c, t, ck);
    for (size_t k = 0; k + 1 < t->n_checks; k++)
      if (strcmp(t->checks[k].name, ck->name) == 0) problem(r, c, "check %s is declared twice", ck->name);
  }
}

int val_targets_read(val_targets *t, const char *path, FILE *err) {
  memset(t, 0, sizeof *t);
  snprintf(t->path, sizeof t->path, "%s", path);
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
  if (dir_len >= sizeof t->dir) dir_len = 0;
  memcpy(t->dir, path, dir_len);
  t->dir[dir_len] = '\0';
  reader r = {.path = path, .err = err};
  if (simc_source_read(&r.src, path, t->dir, source_problem, &r) != 0) {
    simc_source_free(&r.src);
    return r.errors ? r.errors : 1;
  }
  config_t cfg;
  config_init(&cfg);
  if (!config_read_string(&cfg, r.src.text)) {
    const char *file = path;
    int line = 0;
    simc_source_place(&r.src, config_error_line(&cfg), &file, &line);
    fprintf(err, "%s:%d: %s\n", file ? file : path, line, config_error_text(&cfg));
    config_destroy(&cfg);
    simc_source_free(&r.src);
    return 1;
  }
  const config_setting_t *list = config_lookup(&cfg, "targets");
  if (!list || !config_setting_is_list(list) || config_setting_length(list) == 0) {
    problem(&r, list, "targets: expected a list of targets, targets = ( { name = ...; ... }, ... );");
  } else {
    const char *const top[] = {"targets", NULL};
    known_keys(&r, config_root_setting(&cfg), top);
    size_t n = (size_t)config_setting_length(list);
    t->items = calloc(n, sizeof *t->items);
    if (!t->items) {
      fprintf(err, "burnsim: out of memory reading %s\n", path);
      r.errors++;
    }
    for (size_t i = 0; t->items && i < n; i++) {
      const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
      if (!config_setting_is_group(g)) {
        problem(&r, g, "targets: expected each target as a group { ... }");
        continue;
      }
      val_target *v = &t->items[t->n++];
      read_target(&r, g, t->dir, v);
      for (size_t k = 0; k + 1 < t->n; k++)
        if (strcmp(t->items[k].name, v->name) == 0) problem(&r, g, "target %s is declared twice", v->name);
    }
  }
  config_destroy(&cfg);
  simc_source_free(&r.src);
  return r.errors;
}

void val_targets_free(val_targets *t) {
  for (size_t i = 0; t->items && i < t->n; i++)
    for (size_t k = 0; k < t->items[i].n_checks; k++) val_expr_free(t->items[i].checks[k].value);
  free(t->items);
  memset(t, 0, sizeof *t);
}

const val_target *val_targets_find(const val_targets *t, const char *name) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->items[i].name, name) == 0) return &t->items[i];
  return NULL;
}

void val_targets_resolve(const val_targets *t, const char *rel, char *out, size_t n) {
  if (rel[0] == '/')
    snprintf(out, n, "%s", rel);
  else
    snprintf(out, n, "%s%s", t->dir, rel);
}
