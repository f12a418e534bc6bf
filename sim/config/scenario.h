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

#include "config/config.h"
#include "core/distribution.h"

#define SCN_NAME_LEN 64
#define SCN_TEXT_LEN 2048
#define SCN_MAX_MODELS 16
#define SCN_MAX_GPU_KINDS 8
#define SCN_MAX_SWITCHES 16
#define SCN_SWITCH_LEN 256
#define SCN_MAX_ARMS 32
#define SCN_ARM_SET_LEN 1024
#define SCN_MAX_FACTORS 8
#define SCN_MAX_OUTPUTS 16
#define SCN_MAX_TARGETS 16
#define SCN_MAX_LEVELS 64
#define SCN_KEY_LEN 128

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

/* The organisation: who the agents are and how they decide. */
typedef struct scn_org {
  int64_t agents;        /* 0: no organisation, only the exogenous workload */
  int64_t teams;
  dist_cfg team_size;    /* relative team sizes */
  int behaviour;         /* index in the behaviour registry */
  double temperature;    /* logit noise tau, $ of utility */
  double learning_rate;  /* learning: weight of a new payoff in an attraction */
  double imitation_rate; /* imitation: share of agents comparing with a teammate per review */
  double imitation_noise;/* imitation: Fermi selection noise K, $ of review payoff */
  double imitation_weight; /* imitation: weight of the habit against the logit choice */
} scn_org;

typedef struct scn_calendar {
  int64_t work_days_per_week;
  double start_hour;        /* first work block of a day starts here */
  double hours_per_day;     /* work hours per work day */
  double block_hours;       /* length of a work block */
  int64_t review_days;      /* KPI review period */
  int64_t budget_cycle_days;/* budget cycle */
} scn_calendar;

/* Traits, drawn once per agent. */
typedef struct scn_traits {
  dist_cfg skill;            /* $ of output per unit of task, working by hand */
  dist_cfg leverage;         /* tokens per unit of task, working with AI */
  dist_cfg salary;           /* $ per year */
  dist_cfg status_weight;    /* gamma: weight of KPI rewards */
  dist_cfg intrinsic_weight; /* eta: weight of real output */
  dist_cfg loyalty_weight;   /* theta: weight of the team's budget */
  dist_cfg burn_rate;        /* tokens per hour one burn loop drives */
  dist_cfg fan_out;          /* burn loops run in parallel (rounded, >= 1) */
  dist_cfg audit_fear;       /* weight of expected penalties */
  dist_cfg burn_propensity;  /* $ of utility added to burning */
} scn_traits;

typedef struct scn_work {
  dist_cfg task_size;          /* units of task per work block */
  double ai_speedup;           /* output of AI-assisted work over work by hand */
  double ai_effort;            /* $ of effort of a block of AI-assisted work */
  double manual_effort;        /* $ of effort of a block of work by hand */
  double burn_effort;          /* $ of effort to start burn loops */
  double burn_attention;       /* share of a block's output lost to minding loops */
  double burn_loop_hours;      /* how long loops started in a block run */
  double wait_half_life_hours; /* a useful job's value halves per this much queue wait */
} scn_work;

enum scn_token_mode { SCN_TOKENS_LINEAR = 0, SCN_TOKENS_LEADERBOARD = 1 };
enum scn_efficiency_basis { SCN_EFFICIENCY_TOKENS = 0, SCN_EFFICIENCY_USD = 1 };

typedef struct scn_kpi {
  int type;                  /* index in the KPI registry */
  int token_mode;            /* tokens: enum scn_token_mode */
  double usd_per_mtok;       /* tokens (linear), blend: reward per 1M tokens */
  int64_t top_k;             /* tokens (leaderboard): places that win the prize */
  double prize;              /* tokens (leaderboard), spend_target: reward, $ */
  double badge_tokens;       /* tokens (leaderboard): tokens per review that earn a badge */
  double badge_prize;        /* tokens (leaderboard): reward per badge, $ */
  double spend_target_share; /* spend_target: tokens worth this share of salary per year */
  int target_credit;         /* spend_target: enum scn_target_credit */
  double shortfall_penalty;  /* spend_target: $ per review for missing the whole target */
  double output_rate;        /* output, blend: reward per $ of measured output */
  double output_noise_cv;    /* output: measurement noise */
  int efficiency_basis;      /* efficiency: enum scn_efficiency_basis */
  double efficiency_rate;    /* efficiency: reward per unit of output per token or per $ */
  double token_weight;       /* blend: weight on tokens (negative: a charge) */
  double output_weight;      /* blend: weight on output */
  double rank_noise;         /* uncertainty of final standings, relative */
  double improve_cost;       /* output, blend: effort of improving output genuinely (0: off) */
  double gaming_yield;       /* output, blend: measured $ per $ of output padding displaces (0: off) */
} scn_kpi;

enum scn_target_credit { SCN_TARGET_THRESHOLD = 0, SCN_TARGET_PARTIAL = 1 };
enum scn_unspent { SCN_UNSPENT_LOSE = 0, SCN_UNSPENT_ROLLOVER = 1 };
enum scn_pool { SCN_POOL_ELASTIC = 0, SCN_POOL_FIXED = 1 };
enum scn_exhausted { SCN_EXHAUSTED_REJECT = 0, SCN_EXHAUSTED_THROTTLE = 1 };

typedef struct scn_budget {
  int type;                /* index in the budget registry: next cycle's allocation */
  int unspent;             /* enum scn_unspent: use it or lose it, or roll over */
  double rollover_cap;     /* rollover: carried share of an allocation, at most */
  double initial_ratio;    /* first allocation over a team's expected need */
  double growth;           /* usage_based: next = base * (1 + growth) */
  double allocation_memory; /* usage_based: base = memory * allocation + (1 - memory) * spent */
  double per_head_fee;     /* hybrid: platform fee per head per cycle, $ */
  double grant_share;      /* hybrid: share of the pool granted by output */
  int pool;                /* enum scn_pool: elastic, or fixed (zero-sum) */
  int on_exhausted;        /* enum scn_exhausted */
  int overdraft;           /* budgets may go negative */
  double shortfall_cost;   /* team's cost per $ of useful work left unfunded */
  double need_uncertainty; /* cv of a team's remaining need as members see it */
  double forecast_horizon_days; /* the forecast sharpens only this close to a cycle's end (0: whole cycle) */
} scn_budget;

typedef struct scn_enforcement {
  int type;              /* index in the enforcement registry */
  double audit_rate;     /* audits: chance an agent is audited per review */
  double detection_prob; /* audits: chance an audit finds burning that happened */
  double penalty;        /* audits: $ per burn block found */
  int clawback;          /* audits: a caught agent forfeits the review's KPI reward */
  double secrecy_spread; /* secrecy: how much wider agents' guess of the standings is */
} scn_enforcement;

/* A lever switched at a date: an override applied at the start of a day. */
typedef struct scn_switch {
  int64_t day;
  char set[SCN_SWITCH_LEN]; /* key.path=value, as with --set */
} scn_switch;

/* A policy arm: a named variant of the scenario, the baseline with some
 * keys changed. */
typedef struct scn_arm {
  char name[SCN_NAME_LEN];
  char set[SCN_ARM_SET_LEN]; /* key.path=value changes, separated by ';' */
} scn_arm;

enum scn_sweep_method {
  SCN_SWEEP_GRID = 0,
  SCN_SWEEP_LHS = 1,
  SCN_SWEEP_SOBOL = 2,
  SCN_SWEEP_SALTELLI = 3, /* Sobol indices: Saltelli's design (sensitivity.h) */
  SCN_SWEEP_MORRIS = 4    /* elementary effects: Morris trajectories (sensitivity.h) */
};
enum scn_scale { SCN_SCALE_LINEAR = 0, SCN_SCALE_LOG = 1 };

/* One swept key: listed values (grid), or a range (lhs, sobol, saltelli, morris). */
typedef struct scn_factor {
  char key[SCN_KEY_LEN];
  double values[SCN_MAX_LEVELS];
  size_t n_values;
  double min, max;
  int scale; /* enum scn_scale: how lhs and sobol spread points over [min, max] */
} scn_factor;

typedef struct scn_sweep {
  int method;     /* enum scn_sweep_method */
  int64_t points; /* lhs, sobol: number of points; saltelli: base samples; morris: trajectories */
  int64_t levels; /* morris: levels of the grid each factor moves on */
  scn_factor factors[SCN_MAX_FACTORS];
  size_t n_factors;
} scn_sweep;

enum scn_goal { SCN_GOAL_MAXIMISE = 0, SCN_GOAL_MINIMISE = 1 };

/* How a sensitivity analysis reports its indices (sensitivity.h). */
/* A calibration target: a summary column's known value (calibrate.h). */
typedef struct scn_target {
  char column[SCN_NAME_LEN]; /* or a sum of columns: "tokens_useful+tokens_burn" */
  double value;
  double tolerance; /* relative: within tolerance x |value| counts as reproduced */
  double weight;
  char source[SCN_TEXT_LEN];
} scn_target;

/* How burnsim calibrate fits the sweep's factors to the targets. */
typedef struct scn_calibration {
  scn_target targets[SCN_MAX_TARGETS];
  size_t n_targets;
  int64_t starts;      /* Nelder-Mead searches, from spread-out starting points */
  int64_t evaluations; /* at most this many per search */
  double step;         /* the first simplex's size, as a share of each factor's range */
  int64_t explore;     /* points of a Sobol design over the whole ranges, evaluated too */
  char outputs[SCN_ARM_SET_LEN]; /* summary columns reported over the fitting sets */
} scn_calibration;

typedef struct scn_sensitivity {
  char outputs[SCN_ARM_SET_LEN]; /* summary columns, separated by ','; "": the objective */
  int64_t bootstrap;             /* resamples behind each index's interval */
  double target_share;           /* converged: interval half-width <= this share of the index */
  double negligible;             /* ... or <= this, for indices near zero */
} scn_sensitivity;

/* A campaign: replications of arms at sweep points (docs/experiments.md). */
typedef struct scn_experiment {
  int64_t replications;
  int64_t master_seed;      /* -1: the scenario's seed */
  double confidence;        /* of the intervals, e.g. 0.95 */
  double target_half_width; /* relative: replications needed for CI half-width <= this * |mean| */
  char objective[SCN_NAME_LEN]; /* summary metric arms are ranked by */
  int goal;                     /* enum scn_goal */
  char baseline[SCN_NAME_LEN];  /* name of the unchanged scenario among the arms */
  scn_arm arms[SCN_MAX_ARMS];
  size_t n_arms;
  scn_sweep sweep;
  scn_sensitivity sensitivity;
  scn_calibration calibration;
} scn_experiment;

/* An analytic test function in place of the simulation (analytic.h): a
 * run evaluates it at x1..x8 and writes its value as summary.csv's y. */
enum scn_analytic_function {
  SCN_ANALYTIC_NONE = 0,
  SCN_ANALYTIC_ISHIGAMI = 1,
  SCN_ANALYTIC_G_FUNCTION = 2,
  SCN_ANALYTIC_LINEAR = 3
};

typedef struct scn_analytic {
  int function; /* enum scn_analytic_function */
  double x1, x2, x3, x4, x5, x6, x7, x8;
  double noise_sd; /* Gaussian noise added from the run's seed */
} scn_analytic;

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
  scn_org org;
  scn_calendar calendar;
  scn_traits traits;
  scn_work work;
  scn_kpi kpi;
  scn_budget budget;
  scn_enforcement enforcement;
  scn_switch switches[SCN_MAX_SWITCHES];
  size_t n_switches;
  scn_experiment experiment;
  scn_analytic analytic;
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

/* Applies one "key.path=value" override to s and re-checks it.  Returns 0,
 * or the number of errors (written to err). */
int scenario_apply(scenario *s, const char *text, FILE *err);

/* Applies changes separated by ';' (an arm's set), each as with
 * scenario_apply.  Returns 0 or the number of errors. */
int scenario_apply_changes(scenario *s, const char *changes, FILE *err);

/* Adds the policy arm "NAME:KEY=VALUE[;KEY=VALUE...]" (burnsim compare
 * --arm) to s's experiment.arms, after checking its name and that each
 * change applies.  Returns 0, or the number of errors (written to err,
 * located as "--arm TEXT"); s is unchanged on error. */
int scenario_add_arm(scenario *s, const char *text, FILE *err);

/* The "key=value" text that sets a swept key: integer keys get the value
 * rounded to the nearest integer. */
void scenario_factor_setting(const char *key, int integer, double value, char *out, size_t n);

/* The summary columns a sensitivity analysis reports on
 * (experiment.sensitivity.outputs, or the objective when it names none):
 * up to max of them in out.  Returns how many were stored. */
size_t scenario_sensitivity_outputs(const scenario *s, char out[][SCN_NAME_LEN], size_t max);

/* The same for a list of columns separated by ',' (fallback when it is
 * empty; NULL: none). */
size_t scenario_column_list(const char *list, const char *fallback, char out[][SCN_NAME_LEN], size_t max);
/* The columns of a sum "a+b+c" (a calibration target). */
size_t scenario_column_sum(const char *sum, char out[][SCN_NAME_LEN], size_t max);

/* Catalogue look-ups by name (NULL when absent). */
const scn_model *scenario_model(const scenario *s, const char *name);
const scn_gpu_kind *scenario_gpu_kind(const scenario *s, const char *name);

#endif
