/* sim/config/scenario.c - the scenario schema: keys, defaults, ranges, documentation.
 *
 * Defaults follow the sourced figures in docs/calibration.md.  A key's C
 * field has the key's name (the KEY_* macros use the field name as the key),
 * so the struct and the file format cannot drift apart.
 */
#include "scenario.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "scheduler.h"

#define FIELD_SIZE(T, f) sizeof(((T *)0)->f)

#define KEY_INT(T, f, def_, lo, hi, doc_) \
  {.name = #f, .type = SIMC_INT, .offset = offsetof(T, f), .def = def_, .min = lo, .max = hi, .doc = doc_}
#define KEY_FLOAT(T, f, def_, lo, hi, doc_) \
  {.name = #f, .type = SIMC_FLOAT, .offset = offsetof(T, f), .def = def_, .min = lo, .max = hi, .doc = doc_}
#define KEY_REQUIRED_FLOAT(T, f, lo, hi, doc_) \
  {.name = #f, .type = SIMC_FLOAT, .offset = offsetof(T, f), .required = 1, .min = lo, .max = hi, .doc = doc_}
#define KEY_STRING(T, f, def_, doc_) \
  {.name = #f, .type = SIMC_STRING, .offset = offsetof(T, f), .size = FIELD_SIZE(T, f), .def = def_, .doc = doc_}
#define KEY_REQUIRED_STRING(T, f, doc_) \
  {.name = #f, .type = SIMC_STRING, .offset = offsetof(T, f), .size = FIELD_SIZE(T, f), .required = 1, .doc = doc_}
#define KEY_ENUM(T, f, choices_, def_, doc_) \
  {.name = #f, .type = SIMC_ENUM, .offset = offsetof(T, f), .choices = choices_, .def = def_, .doc = doc_}
#define KEY_REGISTRY(T, f, name_at, def_, doc_) \
  {.name = #f, .type = SIMC_ENUM, .offset = offsetof(T, f), .choice = name_at, .def = def_, .doc = doc_}
#define KEY_GROUP(T, f, members_, doc_) \
  {.name = #f, .type = SIMC_GROUP, .offset = offsetof(T, f), .members = members_, .doc = doc_}
#define KEY_LIST(T, f, count, members_, def_, doc_)                                               \
  {.name = #f, .type = SIMC_LIST, .offset = offsetof(T, f), .size = sizeof(((T *)0)->f[0]),     \
   .count_offset = offsetof(T, count), .max_items = sizeof(((T *)0)->f) / sizeof(((T *)0)->f[0]), \
   .members = members_, .def = def_, .doc = doc_}

#define NO_LIMIT INFINITY
#define INT_NO_LIMIT 9.2e18

static const char *const over_quota_names[] = {"throttle", "reject", NULL};
static const char *const pricing_names[] = {"rental", "tco", "per_token", NULL};
static const char *const token_dist_names[] = {"exponential", "fixed", "lognormal", NULL};

static const simc_key model_keys[] = {
    KEY_REQUIRED_STRING(scn_model, name, "model name, referred to by cluster.model"),
    KEY_FLOAT(scn_model, total_params_b, "0.0", 0, NO_LIMIT, "total parameters, billions"),
    KEY_FLOAT(scn_model, active_params_b, "0.0", 0, NO_LIMIT, "parameters active per token, billions"),
    KEY_REQUIRED_FLOAT(scn_model, tokens_per_s_per_gpu, 1e-9, NO_LIMIT,
              "output tokens per second per GPU at full load"),
    KEY_INT(scn_model, gpus_per_replica, "1L", 1, 1 << 20, "GPUs one serving replica occupies"),
    KEY_FLOAT(scn_model, price_per_mtok, "0.0", 0, NO_LIMIT,
              "$ per 1M tokens, used when pricing.mode is \"per_token\""),
    {0}};

static const simc_key gpu_kind_keys[] = {
    KEY_REQUIRED_STRING(scn_gpu_kind, name, "GPU kind name, referred to by cluster.gpu"),
    KEY_REQUIRED_FLOAT(scn_gpu_kind, watts, 0, NO_LIMIT, "board power at full load, W"),
    KEY_FLOAT(scn_gpu_kind, relative_speed, "1.0", 1e-9, NO_LIMIT,
              "model throughput relative to the catalogue figures (H100 SXM = 1)"),
    KEY_REQUIRED_FLOAT(scn_gpu_kind, rental_per_hour, 0, NO_LIMIT,
              "$ per GPU-hour, used when pricing.mode is \"rental\""),
    KEY_REQUIRED_FLOAT(scn_gpu_kind, purchase_price, 0, NO_LIMIT,
              "$ per GPU, used when pricing.mode is \"tco\""),
    {0}};

static const simc_key scheduler_keys[] = {
    KEY_REGISTRY(scn_scheduler, type, scheduler_name_at, "\"fifo\"",
                 "queue discipline: which queued job gets the next free replica slot"),
    KEY_FLOAT(scn_scheduler, tag_accuracy, "1.0", 0, 1,
              "value_priority: probability that a job's purpose tag is right"),
    KEY_FLOAT(scn_scheduler, quota_tokens, "0.0", 0, NO_LIMIT,
              "quota: tokens per agent per quota period (0: no quota)"),
    KEY_FLOAT(scn_scheduler, quota_period_hours, "24.0", 1e-6, NO_LIMIT,
              "quota: length of a quota period, hours"),
    KEY_ENUM(scn_scheduler, over_quota, over_quota_names, "\"throttle\"",
             "quota: a job over quota waits for the next period (throttle) or is refused (reject)"),
    {0}};

static const simc_key cluster_keys[] = {
    KEY_STRING(scn_cluster, gpu, "\"h100-sxm\"", "GPU kind, a name in gpu_kinds"),
    KEY_INT(scn_cluster, gpus, "64L", 1, 1 << 24, "GPUs in the cluster"),
    KEY_STRING(scn_cluster, model, "\"llama-8b\"", "model the jobs run on, a name in models"),
    KEY_GROUP(scn_cluster, scheduler, scheduler_keys, "queue discipline and its parameters"),
    {0}};

static const simc_key datacenter_keys[] = {
    KEY_FLOAT(scn_datacenter, pue, "1.56", 1, 10, "power usage effectiveness (industry average 1.56)"),
    KEY_FLOAT(scn_datacenter, grid_g_per_kwh, "367.0", 0, NO_LIMIT,
              "grid carbon intensity, gCO2 per kWh (US average 367)"),
    KEY_FLOAT(scn_datacenter, electricity_per_kwh, "0.08", 0, NO_LIMIT, "electricity price, $ per kWh"),
    KEY_FLOAT(scn_datacenter, load_factor, "1.0", 0, 1,
              "power drawn while busy, as a share of board power"),
    {0}};

static const simc_key pricing_keys[] = {
    KEY_ENUM(scn_pricing_cfg, mode, pricing_names, "\"rental\"",
             "how GPU time becomes dollars: rental ($/GPU-hour), tco (purchase over "
             "depreciation plus electricity) or per_token ($/1M tokens)"),
    KEY_FLOAT(scn_pricing_cfg, depreciation_years, "5.5", 0.1, 100,
              "tco: straight-line depreciation period, years"),
    {0}};

static const simc_key workload_keys[] = {
    KEY_FLOAT(scn_workload, jobs_per_hour, "0.0", 0, NO_LIMIT,
              "Poisson arrival rate of exogenous jobs, per hour (0: none)"),
    KEY_FLOAT(scn_workload, utilisation, "0.0", 0, 100,
              "alternative to jobs_per_hour: offered load per replica slot (0: unused)"),
    KEY_FLOAT(scn_workload, tokens_mean, "2000.0", 1e-9, NO_LIMIT, "mean output tokens per job"),
    KEY_ENUM(scn_workload, tokens_dist, token_dist_names, "\"exponential\"",
             "distribution of tokens per job"),
    KEY_FLOAT(scn_workload, tokens_cv, "1.0", 0, 100,
              "lognormal: coefficient of variation of tokens per job"),
    KEY_FLOAT(scn_workload, burn_share, "0.0", 0, 1, "share of jobs submitted as burn"),
    KEY_INT(scn_workload, teams, "1L", 1, 1 << 24, "teams owning the jobs (round-robin)"),
    KEY_INT(scn_workload, agents, "1L", 1, 1 << 30, "agents owning the jobs (round-robin)"),
    KEY_INT(scn_workload, fan_out, "1L", 1, 1 << 16, "parallel streams per job"),
    {0}};

/* Calibration: docs/calibration.md.  Throughputs are H100 FP8 offline
 * maximums (1000/1000 tokens); the MoE figure is derived from its relative
 * inference cost (1.5x a dense 7B). */
#define DEFAULT_MODELS                                                                            \
  "( { name = \"llama-8b\"; total_params_b = 8.0; active_params_b = 8.0;"                       \
  "    tokens_per_s_per_gpu = 15220.0; gpus_per_replica = 1; price_per_mtok = 0.065; },"        \
  "  { name = \"llama-70b\"; total_params_b = 70.0; active_params_b = 70.0;"                    \
  "    tokens_per_s_per_gpu = 2209.0; gpus_per_replica = 2; price_per_mtok = 0.73; },"          \
  "  { name = \"llama-405b\"; total_params_b = 405.0; active_params_b = 405.0;"                 \
  "    tokens_per_s_per_gpu = 365.0; gpus_per_replica = 8; price_per_mtok = 3.5; },"            \
  "  { name = \"mixtral-8x7b\"; total_params_b = 47.0; active_params_b = 13.0;"                 \
  "    tokens_per_s_per_gpu = 10150.0; gpus_per_replica = 2; price_per_mtok = 0.1; } )"

#define DEFAULT_GPU_KINDS                                                                 \
  "( { name = \"h100-sxm\"; watts = 700.0; relative_speed = 1.0; rental_per_hour = 3.99;" \
  "    purchase_price = 30000.0; } )"

static const simc_key scenario_keys[] = {
    KEY_REQUIRED_STRING(scenario, name, "short name of the scenario, used in output folders"),
    KEY_REQUIRED_STRING(scenario, description,
                        "what question the scenario asks and what to look at in its results"),
    KEY_INT(scenario, seed, "1L", 0, INT_NO_LIMIT, "run seed: the same seed gives the same results"),
    KEY_FLOAT(scenario, days, "30.0", 1e-6, 36500, "simulated horizon, days"),
    KEY_FLOAT(scenario, warmup_days, "0.0", 0, 36500,
              "statistics ignore jobs submitted before this day (steady-state studies)"),
    KEY_GROUP(scenario, cluster, cluster_keys, "the GPU cluster"),
    KEY_GROUP(scenario, datacenter, datacenter_keys, "energy and carbon of the datacenter"),
    KEY_GROUP(scenario, pricing, pricing_keys, "how compute is priced"),
    KEY_GROUP(scenario, workload, workload_keys, "exogenous job stream"),
    KEY_LIST(scenario, models, n_models, model_keys, DEFAULT_MODELS, "model catalogue"),
    KEY_LIST(scenario, gpu_kinds, n_gpu_kinds, gpu_kind_keys, DEFAULT_GPU_KINDS, "GPU catalogue"),
    {0}};

const scn_model *scenario_model(const scenario *s, const char *name) {
  for (size_t i = 0; i < s->n_models; i++)
    if (strcmp(s->models[i].name, name) == 0) return &s->models[i];
  return NULL;
}

const scn_gpu_kind *scenario_gpu_kind(const scenario *s, const char *name) {
  for (size_t i = 0; i < s->n_gpu_kinds; i++)
    if (strcmp(s->gpu_kinds[i].name, name) == 0) return &s->gpu_kinds[i];
  return NULL;
}

/* Reports a name that is not in a catalogue, with the nearest one. */
static void unknown_name(simc_loader *ld, const char *key, const char *what, const char *name,
                         const char *const *names, size_t n) {
  const char *best = NULL;
  size_t best_dist = (size_t)-1;
  char known[512] = "";
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    size_t d = simc_edit_distance(name, names[i]);
    if (d < best_dist) {
      best_dist = d;
      best = names[i];
    }
    if (used < sizeof known)
      used += (size_t)snprintf(known + used, sizeof known - used, "%s\"%s\"", i ? ", " : "", names[i]);
  }
  if (best && best_dist <= 3)
    simc_error_at(ld, key, "expected a %s in the catalogue (%s), found \"%s\"; did you mean \"%s\"?",
                  what, known, name, best);
  else
    simc_error_at(ld, key, "expected a %s in the catalogue (%s), found \"%s\"", what, known, name);
}

static void check_unique_names(simc_loader *ld, const char *list, const char *const *names, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(names[i], names[j]) == 0) {
        char key[64];
        snprintf(key, sizeof key, "%s.[%zu].name", list, i);
        simc_error_at(ld, key, "the name \"%s\" is already used by entry %zu", names[i], j);
      }
}

static void check_scenario(simc_loader *ld, void *target) {
  const scenario *s = target;
  const char *model_names[SCN_MAX_MODELS], *gpu_names[SCN_MAX_GPU_KINDS];
  for (size_t i = 0; i < s->n_models; i++) model_names[i] = s->models[i].name;
  for (size_t i = 0; i < s->n_gpu_kinds; i++) gpu_names[i] = s->gpu_kinds[i].name;
  check_unique_names(ld, "models", model_names, s->n_models);
  check_unique_names(ld, "gpu_kinds", gpu_names, s->n_gpu_kinds);

  const scn_model *model = scenario_model(s, s->cluster.model);
  if (!model) unknown_name(ld, "cluster.model", "model", s->cluster.model, model_names, s->n_models);
  if (!scenario_gpu_kind(s, s->cluster.gpu))
    unknown_name(ld, "cluster.gpu", "GPU kind", s->cluster.gpu, gpu_names, s->n_gpu_kinds);
  if (model && model->gpus_per_replica > s->cluster.gpus)
    simc_error_at(ld, "cluster.gpus",
                  "the model \"%s\" needs %lld GPUs per replica, but the cluster has %lld",
                  model->name, (long long)model->gpus_per_replica, (long long)s->cluster.gpus);
  if (s->workload.jobs_per_hour > 0 && s->workload.utilisation > 0)
    simc_error_at(ld, "workload.utilisation",
                  "set either workload.jobs_per_hour or workload.utilisation, not both "
                  "(jobs_per_hour is %.15g)",
                  s->workload.jobs_per_hour);
  if (s->warmup_days >= s->days)
    simc_error_at(ld, "warmup_days", "expected less than days (%.15g), found %.15g", s->days,
                  s->warmup_days);
}

const simc_schema scenario_schema = {
    .what = "scenario",
    .members = scenario_keys,
    .check = check_scenario,
};

int scenario_load(scenario *s, const char *path, const simc_override *overrides,
                  size_t n_overrides, FILE *err) {
  memset(s, 0, sizeof *s);
  return simc_load(&scenario_schema, s, path, overrides, n_overrides, err);
}

void scenario_write(const scenario *s, FILE *out, int with_docs) {
  simc_write(&scenario_schema, s, out, with_docs);
}
