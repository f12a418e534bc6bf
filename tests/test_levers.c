/* tests/test_levers.c - the contract every registered lever keeps.
 *
 * Each registry (scheduler, KPI, budget, enforcement, behaviour) is walked
 * with its *_at function until NULL, so a member added to a registry is
 * checked here without a line changed.  For every member:
 * - registry: name and doc non-empty, the name unique, *_find(name) gives
 *   the member back, and the scenario schema takes the name for the
 *   lever's key at the member's position;
 * - lifetime: state_size zeroed bytes, init, free, as the org and the
 *   cluster do it (the sanitizer build turns a leak or a double free into
 *   a failure);
 * - an empty organisation (no agents, no teams) and an idle one (agents
 *   who did nothing) are handled: nothing written past the arrays, no
 *   reward for doing nothing, no penalty for not burning, nothing NaN;
 * - determinism: one script on two fresh, identical organisations gives
 *   byte-identical results (gains, rewards, badges, allocations, risks,
 *   penalties, choices, the order jobs start in, where random streams end).
 * Every check runs under the scenario's defaults and under variants that
 * switch on what the defaults leave off (linear tokens, quotas, noisy tags,
 * frequent audits, ...), so the members' other paths are covered too.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org/behaviour.h"
#include "policies/budget.h"
#include "config/config.h"
#include "policies/enforcement.h"
#include "policies/kpi.h"
#include "org/org.h"
#include "core/rng.h"
#include "config/scenario.h"
#include "policies/scheduler.h"

#define AGENTS 500 /* more than the default top_k (250), so a leaderboard leaves some out */
#define TEAMS 25
#define SEED 20260301u
#define REVIEWS 2
#define CYCLES 3
#define JOBS 400
#define SLOTS 8
#define CANARY (-12345.678) /* stored one past an output array: a lever that writes it overruns */

static scenario scn; /* the scenario every org points at: the defaults and the current variant */

/* Options the defaults leave off; each lever reads only its own keys, so one
 * variant can switch on several levers' options at once. */
static const char *const variants[][10] = {
    {NULL},
    {"kpi.token_mode=linear", "kpi.efficiency_basis=tokens", "budget.per_head_fee=50.0",
     "budget.grant_share=1.0", "enforcement.audit_rate=0.5", "enforcement.clawback=false",
     "cluster.scheduler.quota_tokens=4000.0", "kpi.shortfall_penalty=100.0", NULL},
    {"kpi.output_noise_cv=0.0", "kpi.top_k=1", "kpi.target_credit=threshold", "enforcement.audit_rate=1.0",
     "enforcement.detection_prob=1.0", "cluster.scheduler.tag_accuracy=0.6", "cluster.scheduler.quota_tokens=4000.0",
     "cluster.scheduler.over_quota=reject", "org.imitation_rate=1.0", NULL},
};
#define VARIANTS (sizeof variants / sizeof variants[0])

static void load_variant(size_t v) {
  memset(&scn, 0, sizeof scn);
  if (simc_defaults(&scenario_schema, &scn, stderr) != 0) gsl_test(1, "scenario defaults load");
  snprintf(scn.name, sizeof scn.name, "levers");
  snprintf(scn.description, sizeof scn.description, "built by tests/test_levers.c");
  for (size_t k = 0; k < sizeof variants[v] / sizeof variants[v][0] && variants[v][k]; k++)
    gsl_test(scenario_apply(&scn, variants[v][k], stderr), "variant %zu: %s applies", v, variants[v][k]);
}

/* ---- what a script produced ------------------------------------------------------- */

/* Everything a script observed, as bytes, for a bytewise comparison of two runs. */
typedef struct record {
  unsigned char *bytes;
  size_t n, cap;
} record;

static void put(record *r, const void *p, size_t size) {
  if (r->n + size > r->cap) {
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < r->n + size) cap *= 2;
    unsigned char *b = realloc(r->bytes, cap);
    if (!b) {
      fprintf(stderr, "test_levers: out of memory\n");
      exit(1);
    }
    r->bytes = b;
    r->cap = cap;
  }
  if (size) memcpy(r->bytes + r->n, p, size);
  r->n += size;
}

static void put_double(record *r, double x) {
  put(r, &x, sizeof x);
}

/* Where a stream ended: what a lever drew from it. */
static void put_rng(record *r, const gsl_rng *g) {
  put(r, g->state, gsl_rng_size(g));
}

static int same(const record *a, const record *b) {
  return a->n == b->n && (a->n == 0 || memcmp(a->bytes, b->bytes, a->n) == 0);
}

static void drop_record(record *r) {
  free(r->bytes);
  memset(r, 0, sizeof *r);
}

/* What a script found wrong; every field should stay 0. */
typedef struct faults {
  size_t not_finite; /* a NaN or infinite output */
  size_t negative;   /* a negative risk or allocation, a spread below 1 */
  size_t overrun;    /* the canary past an output array was overwritten */
  size_t idle_paid;  /* a reward or badge for doing nothing, a penalty for not burning */
  size_t contract;   /* a lever-specific rule of the interface broken (see each script) */
  size_t init_failed;
} faults;

static void check_faults(const faults *f, const char *lever, const char *name, const char *org, size_t v) {
  gsl_test(f->init_failed != 0, "%s %s, %s org, variant %zu: init succeeds", lever, name, org, v);
  gsl_test(f->not_finite != 0, "%s %s, %s org, variant %zu: every output is finite (%zu not)", lever, name, org, v,
           f->not_finite);
  gsl_test(f->negative != 0, "%s %s, %s org, variant %zu: no output below its floor (%zu)", lever, name, org, v,
           f->negative);
  gsl_test(f->overrun != 0, "%s %s, %s org, variant %zu: nothing written past the arrays (%zu)", lever, name, org,
           v, f->overrun);
  gsl_test(f->idle_paid != 0, "%s %s, %s org, variant %zu: no reward for nothing, no penalty without burning (%zu)",
           lever, name, org, v, f->idle_paid);
  gsl_test(f->contract != 0, "%s %s, %s org, variant %zu: the interface's rules hold (%zu broken)", lever, name,
           org, v, f->contract);
}

/* ---- organisations --------------------------------------------------------------- */

/* The kinds of organisation every member meets. */
enum org_kind { ORG_EMPTY, ORG_IDLE, ORG_ACTIVE };
static const char *const org_kind_names[] = {"empty", "idle", "active"};

/* An organisation as org_init builds it: no agents and no teams, or
 * AGENTS agents in TEAMS teams, with empty ledgers. */
static void make_org(org *o, enum org_kind kind) {
  scn.org.agents = kind == ORG_EMPTY ? 0 : AGENTS;
  scn.org.teams = kind == ORG_EMPTY ? 0 : TEAMS;
  if (org_init(o, &scn, SEED, 2e-6, stderr) != 0) {
    fprintf(stderr, "test_levers: org_init failed\n");
    exit(1);
  }
}

static gsl_rng *stream(uint64_t k) {
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(r, SEED + k);
  return r;
}

/* One day of work: agents add tokens (in whole millions, so leaderboards
 * see ties), dollars and output to their review ledgers, and a third of
 * them (ids divisible by 3) sometimes burn; teams' cycle ledgers follow.
 * Agent 0 never does anything, so every member also meets an agent with
 * empty ledgers in a busy org. */
static void work_day(org *o, gsl_rng *r) {
  org_agents *a = &o->agents;
  org_teams *t = &o->teams;
  for (size_t i = 1; i < a->n; i++) {
    double tokens = gsl_rng_uniform(r) < 0.2 ? 0.0 : 1e6 * floor(gsl_ran_lognormal(r, 1.0, 1.5));
    int burn = i % 3 == 0 && gsl_rng_uniform(r) < 0.5;
    double usd = tokens * o->usd_per_token, value = burn ? 0.0 : 300.0 * gsl_rng_uniform(r);
    a->review_tokens[i] += tokens;
    a->review_usd[i] += usd;
    a->review_value[i] += value;
    a->review_burn_blocks[i] += (uint32_t)burn;
    uint32_t j = a->team[i];
    t->spent[j] += usd;
    t->spent_useful[j] += burn ? 0.0 : usd;
    t->value[j] += value;
    t->week_spent[j] += usd;
  }
}

/* What the org does at a review end after the levers: the review's ledgers start again. */
static void clear_review(org *o) {
  org_agents *a = &o->agents;
  for (size_t i = 0; i < a->n; i++) {
    a->review_tokens[i] = a->review_usd[i] = a->review_value[i] = 0.0;
    a->review_burn_blocks[i] = 0;
  }
}

static void *new_state(size_t size) {
  void *st = calloc(1, size ? size : 1);
  if (!st) {
    fprintf(stderr, "test_levers: out of memory\n");
    exit(1);
  }
  return st;
}

static void release(void (*free_fn)(void *), void *st) {
  if (free_fn) free_fn(st);
  free(st);
}

/* An output array of n values with the canary one past its end. */
static double *outputs(size_t n) {
  double *x = calloc(n + 1, sizeof *x);
  if (!x) exit(1);
  x[n] = CANARY;
  return x;
}

static void count_value(faults *f, double x, double floor_value) {
  if (!isfinite(x)) f->not_finite++;
  else if (x < floor_value) f->negative++;
}

/* ---- registries ---------------------------------------------------------------------- */

/* One registry seen through untyped look-ups, so one function checks all five. */
typedef struct registry {
  const char *lever;
  const char *key; /* the scenario key that names a member */
  const void *(*at)(size_t i);
  const char *(*name_at)(size_t i);
  const void *(*find)(const char *name);
  const char *(*own_name)(size_t i); /* the member's name field */
  const char *(*doc)(size_t i);
  int (*chosen)(const scenario *s); /* the index the scenario stores for the key */
} registry;

#define REGISTRY(prefix, key_, field)                                                         \
  static const void *prefix##_any_at(size_t i) { return prefix##_at(i); }                     \
  static const void *prefix##_any_find(const char *name) { return prefix##_find(name); }      \
  static const char *prefix##_own_name(size_t i) { return prefix##_at(i)->name; }             \
  static const char *prefix##_doc(size_t i) { return prefix##_at(i)->doc; }                   \
  static int prefix##_chosen(const scenario *s) { return s->field; }                          \
  static const registry prefix##_registry = {                                                 \
      .lever = #prefix, .key = key_, .at = prefix##_any_at, .name_at = prefix##_name_at,      \
      .find = prefix##_any_find, .own_name = prefix##_own_name, .doc = prefix##_doc,          \
      .chosen = prefix##_chosen};

REGISTRY(scheduler, "cluster.scheduler.type", cluster.scheduler.type)
REGISTRY(kpi, "kpi.type", kpi.type)
REGISTRY(budget, "budget.type", budget.type)
REGISTRY(enforcement, "enforcement.type", enforcement.type)
REGISTRY(behaviour, "org.behaviour", org.behaviour)

static int empty(const char *s) {
  return s == NULL || s[0] == '\0';
}

static void check_registry(const registry *r) {
  size_t n = 0;
  for (; r->at(n); n++) {
    const char *name = r->own_name(n);
    gsl_test(empty(name), "%s %zu: a name", r->lever, n);
    if (empty(name)) continue;
    gsl_test(empty(r->doc(n)), "%s %s: a doc line", r->lever, name);
    gsl_test(r->name_at(n) == NULL || strcmp(r->name_at(n), name) != 0, "%s %s: %s_name_at(%zu) is its name",
             r->lever, name, r->lever, n);
    gsl_test(r->find(name) != r->at(n), "%s %s: %s_find(\"%s\") is %s_at(%zu)", r->lever, name, r->lever, name,
             r->lever, n);
    for (size_t j = 0; j < n; j++)
      gsl_test(!empty(r->own_name(j)) && strcmp(r->own_name(j), name) == 0, "%s %s: names %zu and %zu differ",
               r->lever, name, j, n);
    /* Scenario files name levers; the loaded scenario holds the position. */
    static scenario s;
    s = scn;
    char text[256];
    snprintf(text, sizeof text, "%s=%s", r->key, name);
    int errors = scenario_apply(&s, text, stderr);
    gsl_test(errors != 0 || r->chosen(&s) != (int)n, "%s %s: the schema takes %s at position %zu", r->lever, name,
             text, n);
  }
  gsl_test(n == 0, "%s: the registry has members", r->lever);
  gsl_test(r->name_at(n) != NULL, "%s: %s_name_at is NULL past the end, as %s_at is", r->lever, r->lever, r->lever);
  gsl_test(r->find("no such lever") != NULL, "%s: an unknown name is not found", r->lever);
  printf("%s: %zu registered\n", r->lever, n);
}

/* ---- KPI ----------------------------------------------------------------------------- */

/* Two reviews of daily gains and day ends, then the review end, as the org
 * drives a KPI: before each day's work every agent asks the gain of four
 * blocks (by hand, with AI, burning, both). */
/* Runs a lever's script twice on identical fresh organisations: the first
 * run's faults are checked, and both runs must leave the same bytes. */
static void script_twice(const char *lever, const char *name,
                         void (*script)(const void *type, enum org_kind kind, record *out, faults *f),
                         const void *type, enum org_kind kind, size_t v, size_t init_failed) {
  record a = {0}, b = {0};
  faults fa = {.init_failed = init_failed}, fb = {0};
  script(type, kind, &a, &fa);
  script(type, kind, &b, &fb);
  check_faults(&fa, lever, name, org_kind_names[kind], v);
  gsl_test(!same(&a, &b), "%s %s, %s org, variant %zu: the same script twice gives the same bytes (%zu, %zu)", lever,
           name, org_kind_names[kind], v, a.n, b.n);
  drop_record(&a);
  drop_record(&b);
}

static void kpi_script(const void *type, enum org_kind kind, record *out, faults *f) {
  const kpi_type *t = type;
  org o;
  make_org(&o, kind);
  size_t n = o.agents.n;
  void *st = new_state(t->state_size);
  kpi_params p = {.cfg = &scn.kpi, .visibility_spread = 1.0};
  if (t->init && t->init(st, &o, &p, stderr) != 0) {
    f->init_failed++;
    free(st);
    org_free(&o);
    return;
  }
  gsl_rng *work = stream(1);
  double *reward = outputs(n);
  for (int review = 0; review < REVIEWS; review++) {
    o.review_index = (uint32_t)review;
    o.review_start = review * o.review_hours;
    for (int64_t day = 0; day < scn.calendar.review_days; day++) {
      double now = o.review_start + 24.0 * (double)day;
      for (uint32_t i = 0; i < n; i++) {
        double ai = org_expected_ai_tokens(&o, i), burn = org_burn_tokens(&o, i), skill = o.agents.skill[i];
        double blocks[4][3] = {{0, 0, skill},
                               {ai, ai * o.usd_per_token, skill * scn.work.ai_speedup},
                               {burn, burn * o.usd_per_token, 0},
                               {ai + burn, (ai + burn) * o.usd_per_token, skill * scn.work.ai_speedup}};
        for (int k = 0; k < 4; k++) {
          double g = t->gain(st, &o, i, blocks[k][0], blocks[k][1], blocks[k][2], now + 10.0);
          put_double(out, g);
          count_value(f, g, -INFINITY);
        }
      }
      if (kind == ORG_ACTIVE) work_day(&o, work);
      if (t->day_end) t->day_end(st, &o, now + 24.0);
    }
    memset(reward, 0, n * sizeof *reward); /* zeroed by the caller, as the org does */
    gsl_rng *measure = stream(100 + (uint64_t)review);
    t->review_end(st, &o, reward, measure);
    put(out, reward, n * sizeof *reward);
    put(out, o.agents.badges, n * sizeof *o.agents.badges);
    put_rng(out, measure);
    gsl_rng_free(measure);
    for (size_t i = 0; i < n; i++) {
      count_value(f, reward[i], -INFINITY);
      /* A KPI may charge those short of a norm (spend_target's shortfall
       * penalty), but pays nothing, and gives no badge, for doing nothing. */
      if (kind == ORG_IDLE && (reward[i] > 0.0 || o.agents.badges[i] != 0)) f->idle_paid++;
    }
    if (reward[n] != CANARY) f->overrun++;
    clear_review(&o);
  }
  free(reward);
  gsl_rng_free(work);
  release(t->free, st);
  org_free(&o);
}

static void check_kpi(const kpi_type *t, size_t v) {
  gsl_test(t->gain == NULL || t->review_end == NULL, "kpi %s: has gain and review_end", t->name);
  if (t->gain == NULL || t->review_end == NULL) return;
  for (int kind = ORG_EMPTY; kind <= ORG_ACTIVE; kind++) {
    /* init and free alone: free must not rely on anything but init. */
    org o;
    make_org(&o, (enum org_kind)kind);
    void *st = new_state(t->state_size);
    kpi_params p = {.cfg = &scn.kpi, .visibility_spread = 1.0};
    int failed = t->init && t->init(st, &o, &p, stderr) != 0;
    if (failed) free(st);
    else release(t->free, st);
    org_free(&o);

    script_twice("kpi", t->name, kpi_script, t, (enum org_kind)kind, v, (size_t)failed);
  }
}

/* ---- budget -------------------------------------------------------------------------- */

/* Three budget cycles: each team's spend sensitivity during the cycle, then
 * the next allocation, which the org then applies. */
static void budget_script(const void *type, enum org_kind kind, record *out, faults *f) {
  const budget_type *t = type;
  org o;
  make_org(&o, kind);
  size_t m = o.teams.n;
  void *st = new_state(t->state_size);
  if (t->init && t->init(st, &o, stderr) != 0) {
    f->init_failed++;
    free(st);
    org_free(&o);
    return;
  }
  gsl_rng *work = stream(2);
  double *next = outputs(m);
  for (int cycle = 0; cycle < CYCLES; cycle++) {
    o.cycle_index = (uint32_t)cycle;
    o.cycle_start = cycle * o.cycle_hours;
    if (kind == ORG_ACTIVE)
      for (int64_t day = 0; day < scn.calendar.budget_cycle_days; day++) work_day(&o, work);
    for (uint32_t j = 0; j < m; j++) {
      double s = t->spend_sensitivity(st, &o, j);
      put_double(out, s);
      count_value(f, s, -INFINITY);
    }
    memset(next, 0, m * sizeof *next);
    t->allocate(st, &o, next);
    put(out, next, m * sizeof *next);
    for (size_t j = 0; j < m; j++) {
      count_value(f, next[j], 0.0);
      o.teams.allocation[j] = o.teams.budget[j] = next[j];
      o.teams.spent[j] = o.teams.spent_useful[j] = o.teams.value[j] = o.teams.week_spent[j] = 0.0;
    }
    if (next[m] != CANARY) f->overrun++;
  }
  free(next);
  gsl_rng_free(work);
  release(t->free, st);
  org_free(&o);
}

static void check_budget(const budget_type *t, size_t v) {
  gsl_test(t->allocate == NULL || t->spend_sensitivity == NULL, "budget %s: has allocate and spend_sensitivity",
           t->name);
  if (t->allocate == NULL || t->spend_sensitivity == NULL) return;
  for (int kind = ORG_EMPTY; kind <= ORG_ACTIVE; kind++) {
    org o;
    make_org(&o, (enum org_kind)kind);
    void *st = new_state(t->state_size);
    int failed = t->init && t->init(st, &o, stderr) != 0;
    if (failed) free(st);
    else release(t->free, st);
    org_free(&o);

    script_twice("budget", t->name, budget_script, t, (enum org_kind)kind, v, (size_t)failed);
  }
}

/* ---- enforcement ----------------------------------------------------------------------- */

/* Two reviews: each agent's risk for a few KPI gains, then the review end
 * on rewards to claw back.  Agents who did not burn in a review (two thirds
 * of an active org, all of an idle one) are never charged: no penalty, no
 * catch, their reward untouched. */
static void enforcement_script(const void *type, enum org_kind kind, record *out, faults *f) {
  const enforcement_type *t = type;
  static const double gains[] = {-100.0, 0.0, 50.0, 5000.0};
  org o;
  make_org(&o, kind);
  size_t n = o.agents.n;
  void *st = new_state(t->state_size);
  if (t->init && t->init(st, &o, stderr) != 0) {
    f->init_failed++;
    free(st);
    org_free(&o);
    return;
  }
  double spread = t->visibility_spread(st, &o);
  put_double(out, spread);
  count_value(f, spread, 1.0);
  gsl_rng *work = stream(3);
  double *reward = outputs(n), *penalties = malloc((n + 1) * sizeof *penalties);
  uint32_t *caught = malloc((n + 1) * sizeof *caught);
  for (int review = 0; review < REVIEWS; review++) {
    o.review_index = (uint32_t)review;
    o.review_start = review * o.review_hours;
    if (kind == ORG_ACTIVE)
      for (int64_t day = 0; day < scn.calendar.review_days; day++) work_day(&o, work);
    for (uint32_t i = 0; i < n; i++)
      for (size_t k = 0; k < sizeof gains / sizeof gains[0]; k++) {
        double risk = t->risk(st, &o, i, gains[k]);
        put_double(out, risk);
        count_value(f, risk, 0.0);
      }
    for (size_t i = 0; i < n; i++) reward[i] = 100.0 + (double)i;
    memcpy(penalties, o.agents.penalties, n * sizeof *penalties);
    memcpy(caught, o.agents.caught, n * sizeof *caught);
    if (t->review_end) {
      gsl_rng *audit = stream(200 + (uint64_t)review);
      t->review_end(st, &o, reward, audit);
      put_rng(out, audit);
      gsl_rng_free(audit);
    }
    put(out, reward, n * sizeof *reward);
    put(out, o.agents.penalties, n * sizeof *o.agents.penalties);
    put(out, o.agents.caught, n * sizeof *o.agents.caught);
    for (size_t i = 0; i < n; i++) {
      count_value(f, reward[i], -INFINITY);
      count_value(f, o.agents.penalties[i], -INFINITY);
      if (o.agents.penalties[i] < penalties[i] || o.agents.caught[i] < caught[i]) f->negative++;
      if (o.agents.review_burn_blocks[i] == 0 &&
          (o.agents.penalties[i] != penalties[i] || o.agents.caught[i] != caught[i] ||
           reward[i] != 100.0 + (double)i))
        f->idle_paid++;
    }
    if (reward[n] != CANARY) f->overrun++;
    clear_review(&o);
  }
  free(reward);
  free(penalties);
  free(caught);
  gsl_rng_free(work);
  release(t->free, st);
  org_free(&o);
}

static void check_enforcement(const enforcement_type *t, size_t v) {
  gsl_test(t->risk == NULL || t->visibility_spread == NULL, "enforcement %s: has risk and visibility_spread",
           t->name);
  if (t->risk == NULL || t->visibility_spread == NULL) return;
  for (int kind = ORG_EMPTY; kind <= ORG_ACTIVE; kind++) {
    org o;
    make_org(&o, (enum org_kind)kind);
    void *st = new_state(t->state_size);
    int failed = t->init && t->init(st, &o, stderr) != 0;
    if (failed) free(st);
    else release(t->free, st);
    org_free(&o);

    script_twice("enforcement", t->name, enforcement_script, t, (enum org_kind)kind, v, (size_t)failed);
  }
}

/* ---- scheduler -------------------------------------------------------------------------- */

/* Counts the jobs visit shows. */
static void count_job(const sim_job *job, void *ctx) {
  (void)job;
  (*(size_t *)ctx)++;
}

/* A small cluster driven by hand, as sim_cluster drives a scheduler: jobs
 * of all agents (1-3 streams, both purposes) arrive every 0.1 h at SLOTS
 * slots that serve 1,000 tokens an hour each, about twice what they can
 * serve, so queues build; after the last arrival the queue drains.  Free
 * slots are offered after every event, a period tick is given when
 * next_tick asks for one.  The rules checked (faults.contract): next
 * returns only admitted jobs with a stream left to start, visit shows
 * exactly queued() jobs, and in the end every admitted job has started all
 * its streams (no job is lost or starved). */
static void scheduler_script(const void *type, enum org_kind kind, record *out, faults *f) {
  const scheduler_type *t = type;
  org o;
  make_org(&o, kind); /* for its agents and teams */
  scheduler_params p = {.cfg = &scn.cluster.scheduler, .teams = o.teams.n, .agents = o.agents.n, .seed = SEED};
  void *st = new_state(t->state_size);
  if (t->init && t->init(st, &p, stderr) != 0) {
    f->init_failed++;
    free(st);
    org_free(&o);
    return;
  }
  size_t jobs_n = kind == ORG_ACTIVE ? JOBS : 0; /* an idle org submits nothing, nor does an empty one */
  sim_job *jobs = calloc(JOBS, sizeof *jobs);
  scheduler_admit admit[JOBS];
  gsl_rng *work = stream(4);
  for (size_t k = 0; k < jobs_n; k++) {
    uint32_t agent = (uint32_t)gsl_rng_uniform_int(work, o.agents.n);
    jobs[k] = (sim_job){.id = k,
                        .tokens = 100.0 * (double)(1 + gsl_rng_uniform_int(work, 30)),
                        .submit_time = 0.1 * (double)k,
                        .agent = agent,
                        .team = o.agents.team[agent],
                        .fan_out = (uint16_t)(1 + gsl_rng_uniform_int(work, 3)),
                        .purpose = (uint8_t)(gsl_rng_uniform(work) < 0.4 ? SIM_BURN : SIM_USEFUL),
                        .flags = SIM_JOB_AGENT};
  }
  sim_job *slot[SLOTS] = {0};
  double slot_end[SLOTS];
  double now = 0.0;
  size_t arrived = 0;
  for (int step = 0; step < 100000; step++) {
    /* The next event: a tick, a stream end or an arrival, in that order at equal times. */
    double tick = t->next_tick ? t->next_tick(st, now) : INFINITY;
    double arrival = arrived < jobs_n ? jobs[arrived].submit_time : INFINITY;
    size_t first = SLOTS;
    for (size_t s = 0; s < SLOTS; s++)
      if (slot[s] && (first == SLOTS || slot_end[s] < slot_end[first])) first = s;
    double end = first < SLOTS ? slot_end[first] : INFINITY;
    double next = fmin(tick, fmin(end, arrival));
    if (!isfinite(next)) break;
    now = fmax(now, next);
    if (tick <= end && tick <= arrival) {
      if (t->tick) t->tick(st, now);
    } else if (end <= arrival) {
      sim_job *job = slot[first];
      slot[first] = NULL;
      job->streams_running--;
      if (t->stream_end) t->stream_end(st, job, now);
    } else {
      sim_job *job = &jobs[arrived++];
      job->streams_unstarted = job->fan_out;
      admit[job->id] = t->enqueue(st, job, now);
      put(out, &admit[job->id], sizeof admit[job->id]);
      put(out, &job->tag, sizeof job->tag);
      if (job->tag >= SIM_PURPOSES || admit[job->id] > SCHED_REFUSED) f->contract++;
    }
    for (size_t s = 0; s < SLOTS; s++) {
      if (slot[s]) continue;
      sim_job *job = t->next(st, now);
      if (!job) break;
      if (job < jobs || job >= jobs + arrived || admit[job->id] == SCHED_REFUSED || job->streams_unstarted == 0) {
        f->contract++;
        break;
      }
      job->streams_unstarted--;
      job->streams_running++;
      slot[s] = job;
      slot_end[s] = now + job->tokens / job->fan_out / 1000.0;
      put(out, &job->id, sizeof job->id);
      put_double(out, now);
    }
    size_t queued = t->queued(st), visited = 0;
    t->visit(st, count_job, &visited);
    put(out, &queued, sizeof queued);
    if (visited != queued) f->contract++;
  }
  for (size_t k = 0; k < jobs_n; k++)
    if (admit[k] != SCHED_REFUSED && (jobs[k].streams_unstarted != 0 || jobs[k].streams_running != 0)) f->contract++;
  if (t->queued(st) != 0 || t->next(st, now) != NULL) f->contract++;
  put_double(out, now);
  free(jobs);
  gsl_rng_free(work);
  release(t->free, st);
  org_free(&o);
}

static void check_scheduler(const scheduler_type *t, size_t v) {
  gsl_test(!t->enqueue || !t->next || !t->queued || !t->visit, "scheduler %s: has enqueue, next, queued, visit",
           t->name);
  gsl_test(!t->next_tick != !t->tick, "scheduler %s: next_tick and tick come together", t->name);
  if (!t->enqueue || !t->next || !t->queued || !t->visit || !t->next_tick != !t->tick) return;
  for (int kind = ORG_EMPTY; kind <= ORG_ACTIVE; kind++) {
    org o;
    make_org(&o, (enum org_kind)kind);
    scheduler_params p = {.cfg = &scn.cluster.scheduler, .teams = o.teams.n, .agents = o.agents.n, .seed = SEED};
    void *st = new_state(t->state_size);
    int failed = t->init && t->init(st, &p, stderr) != 0;
    if (failed) free(st);
    else release(t->free, st);
    org_free(&o);

    script_twice("scheduler", t->name, scheduler_script, t, (enum org_kind)kind, v, (size_t)failed);
  }
}

/* ---- behaviour -------------------------------------------------------------------------- */

/* Two reviews of 40 blocks per agent, after the start: utilities (all 0
 * in an idle org), a choice, what it realised at once and later, then the
 * review end with rewards, penalties and payoffs.  The rules checked
 * (faults.contract): choose returns an option; the records a model keeps
 * are finite where they are set (a learner's attractions once started, an
 * imitator's habit after a review in which it chose). */
static void behaviour_script(const void *type, enum org_kind kind, record *out, faults *f) {
  const behaviour_type *t = type;
  org o;
  make_org(&o, kind);
  size_t n = o.agents.n;
  if ((t->learns && org_enable_learning(&o) != 0) || (t->imitates && org_enable_imitation(&o) != 0)) {
    f->init_failed++;
    org_free(&o);
    return;
  }
  int active = kind == ORG_ACTIVE;
  gsl_rng *work = stream(5);
  double u[ORG_OPTIONS];
  if (t->start)
    for (uint32_t i = 0; i < n; i++) {
      for (int k = 0; k < ORG_OPTIONS; k++) u[k] = active ? 60.0 * gsl_ran_gaussian(work, 1.0) : 0.0;
      t->start(&o, i, u);
    }
  double *reward = outputs(n), *penalty = outputs(n), *payoff = outputs(n);
  unsigned char *chose = calloc(n + 1, 1);
  for (int review = 0; review < REVIEWS; review++) {
    o.review_index = (uint32_t)review;
    o.review_start = review * o.review_hours;
    memset(chose, 0, n);
    for (int block = 0; block < 40; block++)
      for (uint32_t i = 0; i < n; i++) {
        for (int k = 0; k < ORG_OPTIONS; k++) u[k] = active ? 60.0 * gsl_ran_gaussian(work, 1.0) : 0.0;
        int c = t->choose(&o, i, u, gsl_rng_uniform(work));
        put(out, &c, sizeof c);
        if (c < 0 || c >= ORG_OPTIONS) {
          f->contract++;
          continue;
        }
        chose[i] = 1;
        if (t->chosen) t->chosen(&o, i, c, u[c], active ? 10.0 * gsl_rng_uniform(work) : 0.0);
        if (t->realised && !org_option_burns(c)) t->realised(&o, i, c, active ? 30.0 * gsl_rng_uniform(work) : 0.0);
      }
    for (size_t i = 0; i < n; i++) {
      reward[i] = active && i % 2 ? 500.0 * gsl_rng_uniform(work) : 0.0;
      penalty[i] = active && i % 3 == 0 ? 200.0 : 0.0;
      payoff[i] = reward[i] - penalty[i] + (active ? 1000.0 * gsl_rng_uniform(work) : 0.0);
    }
    if (t->review_end) {
      behaviour_review rv = {.reward = reward, .penalty = penalty, .payoff = payoff};
      gsl_rng *peers = stream(300 + (uint64_t)review);
      t->review_end(&o, &rv, peers);
      put_rng(out, peers);
      gsl_rng_free(peers);
    }
    put(out, o.agents.burn_propensity, n * sizeof *o.agents.burn_propensity);
    for (size_t i = 0; i < n; i++) count_value(f, o.agents.burn_propensity[i], -INFINITY);
    if (o.agents.learner) {
      put(out, o.agents.learner, n * sizeof *o.agents.learner);
      if (t->start)
        for (size_t i = 0; i < n; i++)
          for (int k = 0; k < ORG_OPTIONS; k++) count_value(f, o.agents.learner[i].attraction[k], -INFINITY);
    }
    if (o.agents.imitator) {
      put(out, o.agents.imitator, n * sizeof *o.agents.imitator);
      if (t->review_end)
        for (size_t i = 0; i < n; i++)
          for (int k = 0; k < ORG_OPTIONS && chose[i]; k++) count_value(f, o.agents.imitator[i].habit[k], -INFINITY);
    }
  }
  free(chose);
  free(reward);
  free(penalty);
  free(payoff);
  gsl_rng_free(work);
  org_free(&o);
}

static void check_behaviour(const behaviour_type *t, size_t v) {
  gsl_test(t->choose == NULL, "behaviour %s: has choose", t->name);
  if (t->choose == NULL) return;
  for (int kind = ORG_EMPTY; kind <= ORG_ACTIVE; kind++) {
    script_twice("behaviour", t->name, behaviour_script, t, (enum org_kind)kind, v, 0);
  }
}

int main(void) {
  load_variant(0);
  check_registry(&scheduler_registry);
  check_registry(&kpi_registry);
  check_registry(&budget_registry);
  check_registry(&enforcement_registry);
  check_registry(&behaviour_registry);
  for (size_t v = 0; v < VARIANTS; v++) {
    load_variant(v);
    for (size_t i = 0; scheduler_at(i); i++) check_scheduler(scheduler_at(i), v);
    for (size_t i = 0; kpi_at(i); i++) check_kpi(kpi_at(i), v);
    for (size_t i = 0; budget_at(i); i++) check_budget(budget_at(i), v);
    for (size_t i = 0; enforcement_at(i); i++) check_enforcement(enforcement_at(i), v);
    for (size_t i = 0; behaviour_at(i); i++) check_behaviour(behaviour_at(i), v);
  }
  return gsl_test_summary();
}
