/* sim/config/scenario.h - everything a run is configured with, as one plain struct.
 *
 * The struct is plain data (fixed-size strings and arrays, no pointers) so
 * that a policy arm or sweep point is a copy with a few fields changed.
 * Its keys, defaults, ranges and documentation live in scenario.c; the
 * reference for users is docs/config.md.
 */
#ifndef BURNSIM_SCENARIO_H
#define BURNSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

#define SCN_NAME_LEN 64
#define SCN_TEXT_LEN 2048
#define SCN_MAX_MODELS 16
#define SCN_MAX_GPU_KINDS 8

/* One entry of the model catalogue. */
typedef struct scn_model {
  char name[SCN_NAME_LEN];
  double total_params_b;       /* parameters, billions */
  double active_params_b;      /* parameters active per token, billions */
  double tokens_per_s_per_gpu; /* output tokens/s per GPU at full load */
  int64_t gpus_per_replica;    /* GPUs one serving replica occupies */
  double price_per_mtok;       /* $ per 1M tokens under per-token pricing */
} scn_model;

/* One entry of the GPU catalogue. */
typedef struct scn_gpu_kind {
  char name[SCN_NAME_LEN];
  double watts;           /* board power at full load, W */
  double relative_speed;  /* model throughput relative to the catalogue's (H100 SXM = 1) */
  double rental_per_hour; /* $ per GPU-hour under rental pricing */
  double purchase_price;  /* $ per GPU under total-cost-of-ownership pricing */
} scn_gpu_kind;

enum scn_over_quota { SCN_OVER_QUOTA_THROTTLE = 0, SCN_OVER_QUOTA_REJECT = 1 };
enum scn_pricing { SCN_PRICING_RENTAL = 0, SCN_PRICING_TCO = 1, SCN_PRICING_PER_TOKEN = 2 };
enum scn_token_dist { SCN_TOKENS_EXPONENTIAL = 0, SCN_TOKENS_FIXED = 1, SCN_TOKENS_LOGNORMAL = 2 };

typedef struct scn_scheduler {
  int type;                  /* index in the scheduler registry */
  double tag_accuracy;       /* value-aware: P(a job's purpose tag is right) */
  double quota_tokens;       /* per-agent quota: tokens per quota period */
  double quota_period_hours; /* per-agent quota: length of a quota period */
  int over_quota;            /* enum scn_over_quota */
} scn_scheduler;

typedef struct scn_cluster {
  char gpu[SCN_NAME_LEN];   /* a name in gpu_kinds */
  int64_t gpus;             /* GPUs in the cluster */
  char model[SCN_NAME_LEN]; /* a name in models: the model jobs run on */
  scn_scheduler scheduler;
} scn_cluster;

typedef struct scn_datacenter {
  double pue;                 /* power usage effectiveness */
  double grid_g_per_kwh;      /* grid carbon intensity, gCO2/kWh */
  double electricity_per_kwh; /* $ per kWh */
  double load_factor;         /* drawn power over board power while busy */
} scn_datacenter;

typedef struct scn_pricing_cfg {
  int mode;                  /* enum scn_pricing */
  double depreciation_years; /* TCO: straight-line depreciation period */
} scn_pricing_cfg;

/* An exogenous stream of jobs, independent of any agent: the workload of
 * queueing validation and capacity studies. */
typedef struct scn_workload {
  double jobs_per_hour; /* Poisson arrival rate; 0 with utilisation 0: none */
  double utilisation;   /* alternatively, offered load per replica slot */
  double tokens_mean;   /* mean tokens per job */
  int tokens_dist;      /* enum scn_token_dist */
  double tokens_cv;     /* lognormal: coefficient of variation */
  double burn_share;    /* share of jobs submitted as burn */
  int64_t teams;        /* jobs are owned round-robin by this many teams */
  int64_t agents;       /* and by this many agents */
  int64_t fan_out;      /* parallel streams per job */
} scn_workload;

typedef struct scenario {
  char name[SCN_NAME_LEN];
  char description[SCN_TEXT_LEN];
  int64_t seed;
  double days;
  double warmup_days;
  scn_cluster cluster;
  scn_datacenter datacenter;
  scn_pricing_cfg pricing;
  scn_workload workload;
  scn_model models[SCN_MAX_MODELS];
  size_t n_models;
  scn_gpu_kind gpu_kinds[SCN_MAX_GPU_KINDS];
  size_t n_gpu_kinds;
} scenario;

extern const simc_schema scenario_schema;

/* Loads a scenario file with command-line overrides; errors go to err.
 * Returns 0 or the number of errors. */
int scenario_load(scenario *s, const char *path, const simc_override *overrides,
                  size_t n_overrides, FILE *err);

/* Writes the resolved scenario as a libconfig file that loads back to it. */
void scenario_write(const scenario *s, FILE *out, int with_docs);

/* Catalogue look-ups by name (NULL when absent). */
const scn_model *scenario_model(const scenario *s, const char *name);
const scn_gpu_kind *scenario_gpu_kind(const scenario *s, const char *name);

#endif
