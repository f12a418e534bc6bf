/* sim/config/scenario.c - the scenario schema: keys, defaults, ranges, documentation.
 *
 * Defaults follow the sourced figures in docs/calibration.md.  A key's C
 * field has the key's name (the KEY_* macros use the field name as the key),
 * so the struct and the file format cannot drift apart.
 */
#include "config/scenario.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org/behaviour.h"
#include "policies/budget.h"
#include "policies/enforcement.h"
#include "policies/kpi.h"
#include "run.h"
#include "policies/scheduler.h"

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
#define KEY_BOOL(T, f, def_, doc_) \
  {.name = #f, .type = SIMC_BOOL, .offset = offsetof(T, f), .def = def_, .doc = doc_}
/* A distribution-valued key with its own default distribution. */
#define KEY_DIST(T, f, def_, doc_) \
  {.name = #f, .type = SIMC_GROUP, .offset = offsetof(T, f), .members = dist_keys, .def = def_, .doc = doc_}
#define KEY_LIST(T, f, count, members_, def_, doc_)                                               \
  {.name = #f, .type = SIMC_LIST, .offset = offsetof(T, f), .size = sizeof(((T *)0)->f[0]),     \
   .count_offset = offsetof(T, count), .max_items = sizeof(((T *)0)->f) / sizeof(((T *)0)->f[0]), \
   .members = members_, .def = def_, .doc = doc_}

#define KEY_FLOAT_ARRAY(T, f, count, doc_)                                                        \
  {.name = #f, .type = SIMC_FLOAT_ARRAY, .offset = offsetof(T, f), .count_offset = offsetof(T, count), \
   .max_items = sizeof(((T *)0)->f) / sizeof(((T *)0)->f[0]), .min = 1, .max = 0, .def = "[]",   \
   .doc = doc_}

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
    KEY_INT(scn_workload, fan_out, "1L", 1, 65535, "parallel streams per job"),
    {0}};

static const simc_key dist_keys[] = {
    KEY_ENUM(dist_cfg, kind, dist_kind_names, "\"fixed\"", "distribution family"),
    KEY_FLOAT(dist_cfg, mean, "0.0", -INFINITY, NO_LIMIT, "mean (before clamping)"),
    KEY_FLOAT(dist_cfg, cv, "0.0", 0, NO_LIMIT, "lognormal, gamma: coefficient of variation"),
    KEY_FLOAT(dist_cfg, sd, "0.0", 0, NO_LIMIT, "normal, uniform: standard deviation"),
    KEY_FLOAT(dist_cfg, shape, "2.0", 0, NO_LIMIT, "pareto: tail index (smaller: heavier tail)"),
    KEY_FLOAT(dist_cfg, min, "-1e300", -INFINITY, NO_LIMIT, "draws below are raised to this"),
    KEY_FLOAT(dist_cfg, max, "1e300", -INFINITY, NO_LIMIT, "draws above are lowered to this"),
    {0}};

static const char *const token_mode_names[] = {"linear", "leaderboard", NULL};
static const char *const efficiency_basis_names[] = {"tokens", "usd", NULL};
static const char *const target_credit_names[] = {"threshold", "partial", NULL};
static const char *const unspent_names[] = {"use_it_or_lose_it", "rollover", NULL};
static const char *const pool_names[] = {"elastic", "fixed", NULL};
static const char *const exhausted_names[] = {"reject", "throttle", NULL};

static const simc_key org_keys[] = {
    KEY_INT(scn_org, agents, "0L", 0, 1 << 24, "agents (employees); 0: no organisation, only the workload"),
    KEY_INT(scn_org, teams, "10L", 1, 1 << 20, "teams the agents belong to"),
    KEY_DIST(scn_org, team_size, "{ kind = \"lognormal\"; mean = 1.0; cv = 0.5; }",
             "relative team sizes (scaled so that the teams hold every agent)"),
    KEY_REGISTRY(scn_org, behaviour, behaviour_name_at, "\"logit\"",
                 "how agents decide: logit, learning or imitation"),
    KEY_FLOAT(scn_org, temperature, "100.0", 1e-9, NO_LIMIT,
              "logit noise tau, $ of utility: larger means less deliberate choices"),
    KEY_FLOAT(scn_org, learning_rate, "0.2", 0, 1,
              "learning: weight of each block's realised payoff in an attraction"),
    KEY_FLOAT(scn_org, imitation_rate, "0.3", 0, 1,
              "imitation: share of agents who compare themselves with a teammate each review"),
    KEY_FLOAT(scn_org, imitation_noise, "1000.0", 0, NO_LIMIT,
              "imitation: selection noise K of the Fermi rule, $ of review payoff (a teammate "
              "better off by K is copied with probability 0.73; 0: copied whenever better off)"),
    KEY_FLOAT(scn_org, imitation_weight, "0.5", 0, 1,
              "imitation: weight of the habit (last review's option shares, own or copied) "
              "against the logit probabilities in each choice"),
    {0}};

static const simc_key calendar_keys[] = {
    KEY_INT(scn_calendar, work_days_per_week, "5L", 1, 7, "work days per week (the rest are weekend)"),
    KEY_FLOAT(scn_calendar, start_hour, "9.0", 0, 23.999, "hour of day the first work block starts"),
    KEY_FLOAT(scn_calendar, hours_per_day, "8.0", 1e-3, 24, "work hours per work day"),
    KEY_FLOAT(scn_calendar, block_hours, "2.0", 1e-3, 24, "length of a work block, hours"),
    KEY_INT(scn_calendar, review_days, "30L", 1, 36500, "KPI review period, days"),
    KEY_INT(scn_calendar, budget_cycle_days, "91L", 7, 36500, "budget cycle, days"),
    {0}};

static const simc_key traits_keys[] = {
    KEY_DIST(scn_traits, skill, "{ kind = \"lognormal\"; mean = 200.0; cv = 0.5; }",
             "$ of output per unit of task when working by hand"),
    KEY_DIST(scn_traits, leverage, "{ kind = \"lognormal\"; mean = 200000.0; cv = 1.0; }",
             "tokens per unit of task when working with AI"),
    KEY_DIST(scn_traits, salary, "{ kind = \"lognormal\"; mean = 250000.0; cv = 0.4; }", "$ per year"),
    KEY_DIST(scn_traits, status_weight, "{ kind = \"gamma\"; mean = 1.0; cv = 0.8; }",
             "gamma: how much KPI rewards matter"),
    KEY_DIST(scn_traits, intrinsic_weight, "{ kind = \"gamma\"; mean = 1.0; cv = 0.3; }",
             "eta: how much real output matters"),
    KEY_DIST(scn_traits, loyalty_weight, "{ kind = \"gamma\"; mean = 0.5; cv = 0.8; }",
             "theta: how much the team's budget matters"),
    KEY_DIST(scn_traits, burn_rate, "{ kind = \"lognormal\"; mean = 1.0e6; cv = 0.5; }",
             "tokens per hour one burn loop drives"),
    KEY_DIST(scn_traits, fan_out,
             "{ kind = \"pareto\"; mean = 3.0; shape = 1.5; min = 1.0; max = 512.0; }",
             "burn loops an agent runs in parallel (heavy-tailed; rounded)"),
    KEY_DIST(scn_traits, audit_fear, "{ kind = \"gamma\"; mean = 1.0; cv = 0.5; }",
             "weight of expected audit penalties"),
    KEY_DIST(scn_traits, burn_propensity, "{ kind = \"normal\"; mean = 0.0; sd = 20.0; }",
             "$ of utility an agent adds to burning"),
    {0}};

static const simc_key work_keys[] = {
    KEY_DIST(scn_work, task_size, "{ kind = \"lognormal\"; mean = 1.0; cv = 0.5; }",
             "units of task in a work block"),
    KEY_FLOAT(scn_work, ai_speedup, "1.5", 0, NO_LIMIT, "output of AI-assisted work over work by hand"),
    KEY_FLOAT(scn_work, ai_effort, "20.0", -INFINITY, NO_LIMIT, "$ of effort of a block of AI-assisted work"),
    KEY_FLOAT(scn_work, manual_effort, "40.0", -INFINITY, NO_LIMIT, "$ of effort of a block of work by hand"),
    KEY_FLOAT(scn_work, burn_effort, "5.0", -INFINITY, NO_LIMIT, "$ of effort to start burn loops"),
    KEY_FLOAT(scn_work, burn_attention, "0.1", 0, 1, "share of a block's output lost to minding loops"),
    KEY_FLOAT(scn_work, burn_loop_hours, "8.0", 1e-6, NO_LIMIT, "how long loops started in a block run, hours"),
    KEY_FLOAT(scn_work, wait_half_life_hours, "4.0", 1e-6, NO_LIMIT,
              "a useful job's output halves per this many hours of queue wait"),
    {0}};

static const simc_key kpi_keys[] = {
    KEY_REGISTRY(scn_kpi, type, kpi_name_at, "\"none\"",
                 "what individuals are rewarded for: none, tokens, spend_target, output, efficiency, blend"),
    KEY_ENUM(scn_kpi, token_mode, token_mode_names, "\"leaderboard\"",
             "tokens: pay per token (linear) or rank on a leaderboard"),
    KEY_FLOAT(scn_kpi, usd_per_mtok, "1.0", 0, NO_LIMIT, "tokens (linear), blend: reward per 1M tokens, $"),
    KEY_INT(scn_kpi, top_k, "250L", 1, 1 << 30, "tokens (leaderboard): places that win the prize"),
    KEY_FLOAT(scn_kpi, prize, "5000.0", 0, NO_LIMIT, "tokens (leaderboard), spend_target: reward per review, $"),
    KEY_FLOAT(scn_kpi, badge_tokens, "1e9", 1, NO_LIMIT,
              "tokens (leaderboard): tokens per review that earn one badge"),
    KEY_FLOAT(scn_kpi, badge_prize, "200.0", 0, NO_LIMIT, "tokens (leaderboard): reward per badge, $"),
    KEY_FLOAT(scn_kpi, spend_target_share, "0.5", 0, NO_LIMIT,
              "spend_target: tokens worth this share of salary per year"),
    KEY_ENUM(scn_kpi, target_credit, target_credit_names, "\"partial\"",
             "spend_target: the prize for reaching the target (threshold), or the share of it "
             "in proportion to the share of the target reached (partial)"),
    KEY_FLOAT(scn_kpi, shortfall_penalty, "0.0", 0, NO_LIMIT,
              "spend_target: penalty per review for missing the target entirely, $, charged in "
              "proportion to the share missed"),
    KEY_FLOAT(scn_kpi, output_rate, "0.1", 0, NO_LIMIT, "output, blend: reward per $ of measured output"),
    KEY_FLOAT(scn_kpi, output_noise_cv, "0.3", 0, NO_LIMIT, "output: measurement noise (cv)"),
    KEY_ENUM(scn_kpi, efficiency_basis, efficiency_basis_names, "\"usd\"",
             "efficiency: output per token or per $"),
    KEY_FLOAT(scn_kpi, efficiency_rate, "1.0", 0, NO_LIMIT,
              "efficiency: reward per review for each $ of output per $ (or per 1M tokens)"),
    KEY_FLOAT(scn_kpi, token_weight, "0.0", -INFINITY, NO_LIMIT,
              "blend: weight on tokens (negative: a charge per token)"),
    KEY_FLOAT(scn_kpi, output_weight, "1.0", 0, NO_LIMIT, "blend: weight on output"),
    KEY_FLOAT(scn_kpi, rank_noise, "0.3", 1e-6, NO_LIMIT,
              "uncertainty of final standings as agents see it (relative)"),
    KEY_FLOAT(scn_kpi, improve_cost, "0.0", 0, NO_LIMIT,
              "output, blend: effort per $ of output of raising real output by a share q is "
              "improve_cost q^2 / 2; pressure buys q = weight / improve_cost (0: off; assumed)"),
    KEY_FLOAT(scn_kpi, gaming_yield, "0.0", 0, NO_LIMIT,
              "output, blend: measured $ per $ of real output that padding displaces; the share "
              "padded grows with pressure (0: off; assumed)"),
    {0}};

static const simc_key budget_keys[] = {
    KEY_REGISTRY(scn_budget, type, budget_name_at, "\"fixed\"",
                 "next cycle's team allocation: fixed, usage_based, outcome_based, hybrid"),
    KEY_ENUM(scn_budget, unspent, unspent_names, "\"use_it_or_lose_it\"",
             "what happens to money unspent at a cycle's end"),
    KEY_FLOAT(scn_budget, rollover_cap, "0.25", 0, NO_LIMIT,
              "rollover: carried money, at most this share of the allocation"),
    KEY_FLOAT(scn_budget, initial_ratio, "1.2", 0, NO_LIMIT, "first allocation over a team's expected need"),
    KEY_FLOAT(scn_budget, growth, "0.1", -1, NO_LIMIT, "usage_based: next = base * (1 + growth)"),
    KEY_FLOAT(scn_budget, allocation_memory, "0.0", 0, 1,
              "usage_based: base = this share of the allocation + the rest of the spending"),
    KEY_FLOAT(scn_budget, per_head_fee, "0.0", 0, NO_LIMIT,
              "hybrid: platform fee per head per cycle, $ (0: the need per head)"),
    KEY_FLOAT(scn_budget, grant_share, "0.5", 0, 1, "hybrid: share of the pool granted by output"),
    KEY_ENUM(scn_budget, pool, pool_names, "\"elastic\"",
             "elastic, or fixed: allocations scaled to the first cycle's total (zero-sum)"),
    KEY_ENUM(scn_budget, on_exhausted, exhausted_names, "\"reject\"",
             "a job its team cannot pay for is refused, or held to the next cycle"),
    KEY_BOOL(scn_budget, overdraft, "false", "budgets may go negative (nothing is refused)"),
    KEY_FLOAT(scn_budget, shortfall_cost, "10.0", 0, NO_LIMIT,
              "team's cost of each $ of useful work left unfunded, in $"),
    KEY_FLOAT(scn_budget, need_uncertainty, "2.0", 1e-6, NO_LIMIT,
              "members' forecast error of the rest of a cycle's need, relative to it"),
    KEY_FLOAT(scn_budget, forecast_horizon_days, "0.0", 0, NO_LIMIT,
              "that error shrinks only in a cycle's last this many days (0: over the whole cycle)"),
    {0}};

static const simc_key enforcement_keys[] = {
    KEY_REGISTRY(scn_enforcement, type, enforcement_name_at, "\"none\"",
                 "detection and penalty: none, audits, secrecy"),
    KEY_FLOAT(scn_enforcement, audit_rate, "0.05", 0, 1, "audits: chance an agent is audited per review"),
    KEY_FLOAT(scn_enforcement, detection_prob, "0.8", 0, 1,
              "audits: chance an audit finds burning that happened"),
    KEY_FLOAT(scn_enforcement, penalty, "500.0", 0, NO_LIMIT, "audits: penalty per burn block found, $"),
    KEY_BOOL(scn_enforcement, clawback, "true", "audits: a caught agent forfeits the review's KPI reward"),
    KEY_FLOAT(scn_enforcement, secrecy_spread, "3.0", 1, NO_LIMIT,
              "secrecy: how much wider agents' guess of the standings is"),
    {0}};

static const simc_key switch_keys[] = {
    {.name = "day", .type = SIMC_INT, .offset = offsetof(scn_switch, day), .required = 1, .min = 0,
     .max = 36500, .doc = "day the switch takes effect, at its start (days count from 0)"},
    KEY_REQUIRED_STRING(scn_switch, set, "the change, as with --set: \"kpi.type=none\""),
    {0}};

static const simc_key arm_keys[] = {
    KEY_REQUIRED_STRING(scn_arm, name, "arm name, used in the comparison tables"),
    KEY_REQUIRED_STRING(scn_arm, set,
                        "its changes to the baseline, as with --set, separated by ';': "
                        "\"kpi.type=none; budget.unspent=rollover\""),
    {0}};

static const char *const sweep_method_names[] = {"grid", "lhs", "sobol", "saltelli", "morris", NULL};
static const char *const scale_names[] = {"linear", "log", NULL};
static const char *const goal_names[] = {"maximise", "minimise", NULL};

static const simc_key factor_keys[] = {
    KEY_REQUIRED_STRING(scn_factor, key, "the swept key, e.g. \"kpi.token_weight\" (a number)"),
    KEY_FLOAT_ARRAY(scn_factor, values, n_values, "grid: the values, e.g. [0.0, 0.1, 0.2]"),
    KEY_FLOAT(scn_factor, min, "0.0", -NO_LIMIT, NO_LIMIT, "lhs, sobol, saltelli, morris: lowest value"),
    KEY_FLOAT(scn_factor, max, "1.0", -NO_LIMIT, NO_LIMIT, "lhs, sobol, saltelli, morris: highest value"),
    KEY_ENUM(scn_factor, scale, scale_names, "\"linear\"",
             "lhs, sobol, saltelli, morris: spread points evenly in the value (linear) or its logarithm (log)"),
    {0}};

static const simc_key sweep_keys[] = {
    KEY_ENUM(scn_sweep, method, sweep_method_names, "\"grid\"",
             "grid (every combination of the listed values), lhs (Latin hypercube), sobol, or for "
             "burnsim sensitivity saltelli (Sobol indices) or morris (elementary effects)"),
    KEY_INT(scn_sweep, points, "16L", 1, 100000,
            "lhs, sobol: number of points; saltelli: base samples (points x (factors + 2) runs); "
            "morris: trajectories (points x (factors + 1) runs)"),
    KEY_INT(scn_sweep, levels, "4L", 2, 64, "morris: levels of the grid each factor moves on (even)"),
    KEY_LIST(scn_sweep, factors, n_factors, factor_keys, "()",
             "swept keys, e.g. ( { key = \"kpi.token_weight\"; values = [0.0, 0.5, 1.0]; } )"),
    {0}};

static const simc_key sensitivity_keys[] = {
    KEY_STRING(scn_sensitivity, outputs, "\"\"",
               "summary.csv columns to analyse, separated by ',', e.g. \"burn_share, net_value\"; "
               "\"\": the objective"),
    KEY_INT(scn_sensitivity, bootstrap, "1000L", 10, 100000,
            "bootstrap resamples behind each index's interval"),
    KEY_FLOAT(scn_sensitivity, target_share, "0.1", 1e-6, 1,
              "an index has converged when its interval's half-width is at most this share of it"),
    KEY_FLOAT(scn_sensitivity, negligible, "0.01", 0, NO_LIMIT,
              "... or at most this (Sobol indices; for Morris, in units of the output): an index near "
              "zero has converged when it is known to be small"),
    {0}};

static const simc_key target_keys[] = {
    KEY_REQUIRED_STRING(scn_target, column,
                        "the summary.csv column, e.g. \"burn_share\", or a sum of columns, e.g. "
                        "\"tokens_useful+tokens_burn\""),
    KEY_REQUIRED_FLOAT(scn_target, value, -NO_LIMIT, NO_LIMIT, "its known value"),
    KEY_FLOAT(scn_target, tolerance, "0.1", 1e-9, NO_LIMIT,
              "relative: an estimate within tolerance x |value| reproduces it"),
    KEY_FLOAT(scn_target, weight, "1.0", 0, NO_LIMIT, "its weight in the distance the fit minimises"),
    KEY_STRING(scn_target, source, "\"\"", "where the value comes from"),
    {0}};

static const simc_key calibration_keys[] = {
    KEY_LIST(scn_calibration, targets, n_targets, target_keys, "()",
             "the known values to reproduce, e.g. ( { column = \"burn_share\"; value = 0.3; tolerance = 0.1; } )"),
    KEY_INT(scn_calibration, starts, "4L", 1, 64, "Nelder-Mead searches, each from its own starting point"),
    KEY_INT(scn_calibration, evaluations, "120L", 3, 100000, "at most this many evaluations per search"),
    KEY_FLOAT(scn_calibration, step, "0.25", 1e-6, 1, "the first simplex's size, as a share of each factor's range"),
    KEY_INT(scn_calibration, explore, "32L", 0, 100000,
            "points of a Sobol design over the whole ranges, evaluated besides the searches, so the sets "
            "that fit show how far the targets pin each parameter"),
    KEY_STRING(scn_calibration, outputs, "\"\"",
               "summary.csv columns, separated by ',', whose range over the parameter sets that fit is reported"),
    {0}};

static const simc_key experiment_keys[] = {
    KEY_INT(scn_experiment, replications, "1L", 1, 100000,
            "runs per arm and sweep point, each with its own seed; burnsim run --reps overrides it"),
    KEY_INT(scn_experiment, master_seed, "-1L", -1, INT_NO_LIMIT,
            "run seeds derive from it and the replication number; -1: the scenario's seed"),
    KEY_FLOAT(scn_experiment, confidence, "0.95", 0.5, 0.9999, "confidence level of the intervals"),
    KEY_FLOAT(scn_experiment, target_half_width, "0.05", 1e-9, NO_LIMIT,
              "wanted CI half-width over the size of the mean: stats.csv gives the replications it needs"),
    KEY_STRING(scn_experiment, objective, "\"net_value\"",
               "summary.csv column the arms are ranked by in reports (net_value: output less "
               "compute and effort)"),
    KEY_ENUM(scn_experiment, goal, goal_names, "\"maximise\"", "whether more of the objective is better"),
    KEY_STRING(scn_experiment, baseline, "\"baseline\"", "name of the unchanged scenario in comparisons"),
    KEY_LIST(scn_experiment, arms, n_arms, arm_keys, "()",
             "policy arms for burnsim compare, e.g. ( { name = \"no_kpi\"; set = \"kpi.type=none\"; } )"),
    KEY_GROUP(scn_experiment, sweep, sweep_keys, "parameter sweep for burnsim sweep"),
    KEY_GROUP(scn_experiment, sensitivity, sensitivity_keys,
              "the indices of burnsim sensitivity (a saltelli or morris sweep)"),
    KEY_GROUP(scn_experiment, calibration, calibration_keys,
              "burnsim calibrate: targets to fit the sweep's factors to (their ranges bound the search)"),
    {0}};

static const char *const analytic_names[] = {"none", "ishigami", "g_function", "linear", NULL};

#define ANALYTIC_X(f) KEY_FLOAT(scn_analytic, f, "0.0", -NO_LIMIT, NO_LIMIT, "an input of the test function")
static const simc_key analytic_keys[] = {
    KEY_ENUM(scn_analytic, function, analytic_names, "\"none\"",
             "a test function with known sensitivity indices in place of the simulation: none, "
             "ishigami (x1..x3 on [-pi, pi]), g_function (Sobol's g, x1..x8 on [0, 1]) or linear "
             "(y = x1 + 2 x2 + ... + 8 x8)"),
    ANALYTIC_X(x1), ANALYTIC_X(x2), ANALYTIC_X(x3), ANALYTIC_X(x4),
    ANALYTIC_X(x5), ANALYTIC_X(x6), ANALYTIC_X(x7), ANALYTIC_X(x8),
    KEY_FLOAT(scn_analytic, noise_sd, "0.0", 0, NO_LIMIT,
              "standard deviation of Gaussian noise added to y, drawn from the run's seed"),
    {0}};
#undef ANALYTIC_X

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
              "start of the statistics window of every file (the run itself starts at day 0)"),
    KEY_GROUP(scenario, cluster, cluster_keys, "the GPU cluster"),
    KEY_GROUP(scenario, datacenter, datacenter_keys, "energy and carbon of the datacenter"),
    KEY_GROUP(scenario, pricing, pricing_keys, "how compute is priced"),
    KEY_GROUP(scenario, workload, workload_keys, "exogenous job stream"),
    KEY_GROUP(scenario, org, org_keys, "the organisation: agents, teams, behaviour"),
    KEY_GROUP(scenario, calendar, calendar_keys, "work days, blocks, reviews, budget cycles"),
    KEY_GROUP(scenario, traits, traits_keys, "agent traits, drawn once per agent"),
    KEY_GROUP(scenario, work, work_keys, "what a work block offers"),
    KEY_GROUP(scenario, kpi, kpi_keys, "the KPI lever: individual rewards"),
    KEY_GROUP(scenario, budget, budget_keys, "the budget lever: team allocations"),
    KEY_GROUP(scenario, enforcement, enforcement_keys, "the enforcement lever: detection and penalties"),
    KEY_LIST(scenario, switches, n_switches, switch_keys, "()",
             "levers switched at a date, e.g. ( { day = 60; set = \"kpi.type=none\"; } )"),
    KEY_GROUP(scenario, experiment, experiment_keys,
              "replications, policy arms and sweeps (burnsim run --reps, compare, sweep)"),
    KEY_GROUP(scenario, analytic, analytic_keys,
              "a test function in place of the simulation, for checking burnsim sensitivity"),
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

static void check_dist(simc_loader *ld, const char *key, const dist_cfg *d) {
  const char *problem = dist_problem(d);
  if (problem) simc_error_at(ld, key, "%s", problem);
}

/* Keys a dated switch may change: those the running model reads afresh.
 * The cluster, the calendar, the traits and the organisation's size are
 * built once at the start. */
static int switchable(const char *text) {
  static const char *const prefixes[] = {"kpi",
                                         "budget",
                                         "enforcement",
                                         "work",
                                         "org.behaviour",
                                         "org.temperature",
                                         "org.learning_rate",
                                         "org.imitation_rate",
                                         "org.imitation_noise",
                                         "org.imitation_weight"};
  size_t key_len = strcspn(text, "=");
  for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
    size_t n = strlen(prefixes[k]);
    if (key_len >= n && strncmp(text, prefixes[k], n) == 0 && (key_len == n || text[n] == '.'))
      return 1;
  }
  return 0;
}

/* Applies one "key=value" change to scratch; its errors are reported at
 * key, the scenario key that asked for the change. */
static void apply_at(simc_loader *ld, scenario *scratch, const char *text, const char *key) {
  char *msgs = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&msgs, &len);
  if (!mem) return;
  int errors = scenario_apply(scratch, text, mem);
  fclose(mem);
  if (errors) {
    for (char *line = msgs; line && *line;) {
      size_t n = strcspn(line, "\n");
      const char *body = strstr(line, ": ");
      simc_error_at(ld, key, "%.*s", (int)(n - (size_t)(body ? body + 2 - line : 0)),
                    body ? body + 2 : line);
      line += n + (line[n] == '\n');
    }
  }
  free(msgs);
}

static void check_org(simc_loader *ld, const scenario *s) {
  static const struct {
    const char *key;
    size_t offset;
  } dists[] = {
      {"org.team_size", offsetof(scenario, org.team_size)},
      {"work.task_size", offsetof(scenario, work.task_size)},
      {"traits.skill", offsetof(scenario, traits.skill)},
      {"traits.leverage", offsetof(scenario, traits.leverage)},
      {"traits.salary", offsetof(scenario, traits.salary)},
      {"traits.status_weight", offsetof(scenario, traits.status_weight)},
      {"traits.intrinsic_weight", offsetof(scenario, traits.intrinsic_weight)},
      {"traits.loyalty_weight", offsetof(scenario, traits.loyalty_weight)},
      {"traits.burn_rate", offsetof(scenario, traits.burn_rate)},
      {"traits.fan_out", offsetof(scenario, traits.fan_out)},
      {"traits.audit_fear", offsetof(scenario, traits.audit_fear)},
      {"traits.burn_propensity", offsetof(scenario, traits.burn_propensity)},
  };
  for (size_t i = 0; i < sizeof dists / sizeof dists[0]; i++) {
    char key[64];
    snprintf(key, sizeof key, "%s.kind", dists[i].key);
    check_dist(ld, key, (const dist_cfg *)((const char *)s + dists[i].offset));
  }
  if (s->org.agents > 0 && s->org.teams > s->org.agents)
    simc_error_at(ld, "org.teams", "expected at most one team per agent (%lld agents), found %lld",
                  (long long)s->org.agents, (long long)s->org.teams);
  if (s->calendar.block_hours > s->calendar.hours_per_day)
    simc_error_at(ld, "calendar.block_hours", "expected at most calendar.hours_per_day (%.15g), found %.15g",
                  s->calendar.hours_per_day, s->calendar.block_hours);
  if (s->calendar.start_hour + s->calendar.hours_per_day > 24)
    simc_error_at(ld, "calendar.hours_per_day",
                  "the work day would run past midnight (start_hour %.15g + %.15g hours)",
                  s->calendar.start_hour, s->calendar.hours_per_day);

  /* Each switch must apply cleanly to the scenario as the earlier switches
   * leave it, in day order. */
  if (s->n_switches == 0) return;
  scenario *scratch = malloc(sizeof *scratch);
  if (!scratch) return;
  *scratch = *s;
  scratch->n_switches = 0; /* so the check below does not recurse */
  for (size_t i = 0; i < s->n_switches; i++) {
    char key[64];
    snprintf(key, sizeof key, "switches.[%zu].day", i);
    if (i > 0 && s->switches[i].day < s->switches[i - 1].day)
      simc_error_at(ld, key, "switches must be in day order; day %lld comes after day %lld",
                    (long long)s->switches[i].day, (long long)s->switches[i - 1].day);
    if ((double)s->switches[i].day >= s->days)
      simc_error_at(ld, key, "expected a day before the horizon (%.15g), found %lld", s->days,
                    (long long)s->switches[i].day);
    snprintf(key, sizeof key, "switches.[%zu].set", i);
    if (!switchable(s->switches[i].set)) {
      simc_error_at(ld, key,
                    "a switch can change the kpi, budget, enforcement and work keys and "
                    "org.behaviour, org.temperature, org.learning_rate, org.imitation_*; found \"%s\" "
                    "(the cluster, calendar, traits and size of the organisation are fixed for a run)",
                    s->switches[i].set);
      continue;
    }
    apply_at(ld, scratch, s->switches[i].set, key);
  }
  free(scratch);
}

/* Keys an arm or a sweep may not change: they would break the pairing of
 * runs by seed, or change the campaign itself. */
static int fixed_in_campaigns(const char *text) {
  while (*text == ' ') text++;
  return strncmp(text, "experiment.", 11) == 0 || strncmp(text, "seed=", 5) == 0 ||
         strncmp(text, "seed ", 5) == 0 || strcmp(text, "seed") == 0;
}

/* Copies the next ';'-separated change of *p, trimmed, into out and
 * advances *p past it.  Returns 0 when no change is left. */
static int next_change(const char **p, char *out, size_t n) {
  while (**p) {
    size_t len = strcspn(*p, ";");
    snprintf(out, n, "%.*s", (int)len, *p);
    *p += len + ((*p)[len] == ';');
    char *start = out, *end = out + strlen(out);
    while (*start == ' ' || *start == '\t') start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
    if (*start) {
      memmove(out, start, strlen(start) + 1);
      return 1;
    }
  }
  return 0;
}

/* Applies each ';'-separated change of an arm to scratch, reporting at key. */
static void apply_changes_at(simc_loader *ld, scenario *scratch, const char *changes, const char *key) {
  char one[SCN_ARM_SET_LEN];
  for (const char *p = changes; next_change(&p, one, sizeof one);) {
    if (fixed_in_campaigns(one))
      simc_error_at(ld, key, "an arm cannot change the seed or the experiment; found \"%s\"", one);
    else
      apply_at(ld, scratch, one, key);
  }
}

/* Arm names go into CSV fields, figure legends and HTML unquoted. */
static int plain_name(const char *name) {
  return *name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(name);
}

/* The name is the default results folder (results/NAME) and is written in
 * every file's provenance line: it must be one plain path component. */
static void check_name(simc_loader *ld, const char *name) {
  if (plain_name(name) && name[0] != '.') return;
  char shown[4 * SCN_NAME_LEN + 1];
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p && k + 5 < sizeof shown; p++) {
    if (*p < 0x20 || *p == 0x7f) { /* shown, not printed: the message stays one line */
      k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02x", *p);
      continue;
    }
    if (*p == '"' || *p == '\\') shown[k++] = '\\';
    shown[k++] = (char)*p;
  }
  shown[k] = '\0';
  simc_error_at(ld, "name",
                "expected a folder name of letters, digits, '_', '-' and '.', not starting with '.', found \"%s\"",
                shown);
}

static void check_experiment(simc_loader *ld, const scenario *s) {
  const scn_experiment *e = &s->experiment;
  if (e->n_arms == 0 && e->sweep.n_factors == 0) return;
  scenario *scratch = malloc(sizeof *scratch);
  if (!scratch) return;
  char key[96];
  if (!plain_name(e->baseline))
    simc_error_at(ld, "experiment.baseline", "expected letters, digits, '_', '-' or '.', found \"%s\"",
                  e->baseline);
  for (size_t i = 0; i < e->n_arms; i++) {
    snprintf(key, sizeof key, "experiment.arms.[%zu].name", i);
    if (!plain_name(e->arms[i].name))
      simc_error_at(ld, key, "expected letters, digits, '_', '-' or '.', found \"%s\"", e->arms[i].name);
    if (strcmp(e->arms[i].name, e->baseline) == 0)
      simc_error_at(ld, key, "\"%s\" is the baseline's name (experiment.baseline); give the arm another",
                    e->arms[i].name);
    for (size_t j = 0; j < i; j++)
      if (strcmp(e->arms[i].name, e->arms[j].name) == 0)
        simc_error_at(ld, key, "expected a name no other arm has, found \"%s\" again", e->arms[i].name);
    *scratch = *s;
    scratch->experiment.n_arms = 0;
    scratch->experiment.sweep.n_factors = 0;
    snprintf(key, sizeof key, "experiment.arms.[%zu].set", i);
    apply_changes_at(ld, scratch, e->arms[i].set, key);
  }
  const scn_sweep *w = &e->sweep;
  double grid_points = 1;
  for (size_t i = 0; i < w->n_factors; i++) {
    const scn_factor *f = &w->factors[i];
    snprintf(key, sizeof key, "experiment.sweep.factors.[%zu].key", i);
    const simc_key *k = simc_find_key(&scenario_schema, f->key);
    if (!k || (k->type != SIMC_INT && k->type != SIMC_FLOAT) || fixed_in_campaigns(f->key)) {
      simc_error_at(ld, key, "expected the path of a numeric scenario key (not seed or experiment.*), found \"%s\"",
                    f->key);
      continue;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(f->key, w->factors[j].key) == 0)
        simc_error_at(ld, key, "\"%s\" is swept twice", f->key);
    double probe[SCN_MAX_LEVELS];
    size_t n_probe = 0;
    /* A calibration's factors are ranges to search, whatever the method. */
    int ranged = w->method != SCN_SWEEP_GRID || (e->calibration.n_targets > 0 && f->n_values == 0);
    if (!ranged) {
      snprintf(key, sizeof key, "experiment.sweep.factors.[%zu].values", i);
      if (f->n_values == 0) simc_error_at(ld, key, "a grid sweep needs at least one value, found none");
      grid_points *= (double)(f->n_values ? f->n_values : 1);
      memcpy(probe, f->values, f->n_values * sizeof probe[0]);
      n_probe = f->n_values;
    } else {
      snprintf(key, sizeof key, "experiment.sweep.factors.[%zu].max", i);
      if (!(f->max > f->min)) {
        simc_error_at(ld, key, "expected more than min (%.15g), found %.15g", f->min, f->max);
        continue;
      }
      if (f->scale == SCN_SCALE_LOG && f->min <= 0) {
        snprintf(key, sizeof key, "experiment.sweep.factors.[%zu].min", i);
        simc_error_at(ld, key, "a log scale needs min > 0, found %.15g", f->min);
        continue;
      }
      probe[0] = f->min;
      probe[1] = f->max;
      n_probe = 2;
    }
    /* Every listed value, or both ends of the range, must be a value the
     * key accepts. */
    for (size_t j = 0; j < n_probe; j++) {
      char text[SCN_KEY_LEN + 64];
      scenario_factor_setting(f->key, k->type == SIMC_INT, probe[j], text, sizeof text);
      *scratch = *s;
      scratch->experiment.n_arms = 0;
      scratch->experiment.sweep.n_factors = 0;
      apply_at(ld, scratch, text, key);
    }
  }
  if (grid_points > 1e6)
    simc_error_at(ld, "experiment.sweep.factors", "a grid of at most 1,000,000 points, found %.0f", grid_points);
  free(scratch);
}

/* The objective a campaign ranks its arms by must be a column of the
 * runs' summary.csv, which depends on whether there is an organisation.
 * The default names an organisation's column; it stays accepted without
 * one, since every resolved scenario.cfg spells it out. */
/* key must hold a column of the runs' summary.csv. */
static void check_column(simc_loader *ld, const scenario *s, const char *key, const char *column) {
  const char *best = NULL;
  size_t best_dist = (size_t)-1;
  for (const char *const *c = sim_run_summary_columns(s); *c; c++) {
    if (strcmp(*c, column) == 0) return;
    size_t d = simc_edit_distance(column, *c);
    if (d < best_dist) {
      best_dist = d;
      best = *c;
    }
  }
  if (best && best_dist <= 3)
    simc_error_at(ld, key, "expected a column of the runs' summary.csv (docs/output.md), found \"%s\"; did you mean \"%s\"?",
                  column, best);
  else
    simc_error_at(ld, key, "expected a column of the runs' summary.csv (docs/output.md), found \"%s\"", column);
}

static void check_objective(simc_loader *ld, const scenario *s) {
  const char *objective = s->experiment.objective;
  const char *def = simc_find_key(&scenario_schema, "experiment.objective")->def; /* quoted */
  if (s->org.agents == 0 && strlen(def) == strlen(objective) + 2 && strncmp(def + 1, objective, strlen(objective)) == 0)
    return;
  check_column(ld, s, "experiment.objective", objective);
}

size_t scenario_sensitivity_outputs(const scenario *s, char out[][SCN_NAME_LEN], size_t max) {
  return scenario_column_list(s->experiment.sensitivity.outputs, s->experiment.objective, out, max);
}

static size_t split_columns(const char *list, const char *separator, char out[][SCN_NAME_LEN], size_t max) {
  const char *p = list;
  size_t n = 0;
  char skip[8];
  snprintf(skip, sizeof skip, " \t%s", separator);
  while (*p && n < max) {
    p += strspn(p, skip);
    size_t len = strcspn(p, separator);
    size_t end = len;
    while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t')) end--;
    if (end > 0) snprintf(out[n++], SCN_NAME_LEN, "%.*s", (int)end, p);
    p += len;
  }
  return n;
}

size_t scenario_column_list(const char *list, const char *fallback, char out[][SCN_NAME_LEN], size_t max) {
  size_t n = split_columns(list, ",", out, max);
  if (n == 0 && max > 0 && fallback) snprintf(out[n++], SCN_NAME_LEN, "%s", fallback);
  return n;
}

size_t scenario_column_sum(const char *sum, char out[][SCN_NAME_LEN], size_t max) {
  return split_columns(sum, "+", out, max);
}

static void check_sensitivity(simc_loader *ld, const scenario *s) {
  const scn_sweep *w = &s->experiment.sweep;
  if (w->method == SCN_SWEEP_MORRIS && w->levels % 2 != 0)
    simc_error_at(ld, "experiment.sweep.levels",
                  "expected an even number of levels (each step of a trajectory is then half the grid), "
                  "found %lld", (long long)w->levels);
  if (w->method != SCN_SWEEP_SALTELLI && w->method != SCN_SWEEP_MORRIS) return;
  char outputs[SCN_MAX_OUTPUTS + 1][SCN_NAME_LEN];
  size_t n = scenario_sensitivity_outputs(s, outputs, SCN_MAX_OUTPUTS + 1);
  if (n > SCN_MAX_OUTPUTS)
    simc_error_at(ld, "experiment.sensitivity.outputs", "expected at most %d columns, found more",
                  SCN_MAX_OUTPUTS);
  for (size_t i = 0; i < n && i < SCN_MAX_OUTPUTS; i++)
    check_column(ld, s, "experiment.sensitivity.outputs", outputs[i]);
}

static void check_calibration(simc_loader *ld, const scenario *s) {
  const scn_calibration *c = &s->experiment.calibration;
  char key[96];
  for (size_t i = 0; i < c->n_targets; i++) {
    snprintf(key, sizeof key, "experiment.calibration.targets.[%zu].column", i);
    char terms[SCN_MAX_OUTPUTS][SCN_NAME_LEN];
    size_t n_terms = scenario_column_sum(c->targets[i].column, terms, SCN_MAX_OUTPUTS);
    if (n_terms == 0) simc_error_at(ld, key, "expected a column or a sum of columns, found \"%s\"", c->targets[i].column);
    for (size_t j = 0; j < n_terms; j++) check_column(ld, s, key, terms[j]);
    if (c->targets[i].value == 0) {
      snprintf(key, sizeof key, "experiment.calibration.targets.[%zu].value", i);
      simc_error_at(ld, key, "expected a value other than 0 (the tolerance is relative to it), found 0");
    }
  }
  char outputs[SCN_MAX_OUTPUTS + 1][SCN_NAME_LEN];
  size_t n = scenario_column_list(c->outputs, NULL, outputs, SCN_MAX_OUTPUTS + 1);
  if (n > SCN_MAX_OUTPUTS)
    simc_error_at(ld, "experiment.calibration.outputs", "expected at most %d columns, found more", SCN_MAX_OUTPUTS);
  for (size_t i = 0; i < n && i < SCN_MAX_OUTPUTS; i++)
    check_column(ld, s, "experiment.calibration.outputs", outputs[i]);
}

static void check_analytic(simc_loader *ld, const scenario *s) {
  if (s->analytic.function != SCN_ANALYTIC_NONE && s->org.agents > 0)
    simc_error_at(ld, "analytic.function",
                  "a test function replaces the simulation: expected no organisation beside it "
                  "(org.agents = 0), found org.agents = %lld", (long long)s->org.agents);
}

static void check_scenario(simc_loader *ld, void *target) {
  const scenario *s = target;
  if (strspn(s->description, " \t\n\r") == strlen(s->description))
    simc_error_at(ld, "description", "expected a non-empty string (%s), found \"%s\"",
                  simc_find_key(&scenario_schema, "description")->doc, s->description);
  const char *model_names[SCN_MAX_MODELS], *gpu_names[SCN_MAX_GPU_KINDS];
  for (size_t i = 0; i < s->n_models; i++) model_names[i] = s->models[i].name;
  for (size_t i = 0; i < s->n_gpu_kinds; i++) gpu_names[i] = s->gpu_kinds[i].name;
  check_name(ld, s->name);
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
  check_org(ld, s);
  check_objective(ld, s);
  check_sensitivity(ld, s);
  check_calibration(ld, s);
  check_analytic(ld, s);
  check_experiment(ld, s);
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

int scenario_apply(scenario *s, const char *text, FILE *err) {
  return simc_apply(&scenario_schema, s, text, err);
}

int scenario_apply_changes(scenario *s, const char *changes, FILE *err) {
  char one[SCN_ARM_SET_LEN];
  int errors = 0;
  for (const char *p = changes; next_change(&p, one, sizeof one);) errors += scenario_apply(s, one, err);
  return errors;
}

/* Why the arm NAME (name_len bytes of text) cannot be added to s, or NULL. */
static const char *arm_name_problem(const scenario *s, const char *text, size_t name_len, char *why, size_t n) {
  char name[SCN_NAME_LEN];
  snprintf(name, sizeof name, "%.*s", (int)name_len, text);
  if (name_len == 0)
    snprintf(why, n, "expected an arm name before ':', e.g. output_kpi:kpi.type=output");
  else if (name_len >= SCN_NAME_LEN)
    snprintf(why, n, "expected an arm name of at most %d characters, found %zu", SCN_NAME_LEN - 1, name_len);
  else if (!plain_name(name))
    snprintf(why, n, "expected an arm name of letters, digits, '_', '-' or '.', found \"%s\"", name);
  else if (strcmp(name, s->experiment.baseline) == 0)
    snprintf(why, n, "\"%s\" is the baseline's name (experiment.baseline); give the arm another", name);
  else if (s->experiment.n_arms >= SCN_MAX_ARMS)
    snprintf(why, n, "at most %d arms, found more", SCN_MAX_ARMS);
  else
    for (size_t i = 0; i < s->experiment.n_arms; i++)
      if (strcmp(s->experiment.arms[i].name, name) == 0) {
        snprintf(why, n, "expected a name no other arm has, found \"%s\" again", name);
        return why;
      }
  return why[0] ? why : NULL;
}

int scenario_add_arm(scenario *s, const char *text, FILE *err) {
  const char *colon = strchr(text, ':');
  const char *changes = colon ? colon + 1 : "";
  char why[256] = "", one[SCN_ARM_SET_LEN];
  const char *problem = NULL;
  if (!colon)
    problem = "expected NAME:KEY=VALUE (several KEY=VALUE separated by ';'), e.g. output_kpi:kpi.type=output; "
              "found no ':'";
  else if (strlen(changes) >= SCN_ARM_SET_LEN) {
    snprintf(why, sizeof why, "expected changes of at most %d characters, found %zu", SCN_ARM_SET_LEN - 1,
             strlen(changes));
    problem = why;
  }
  else if (!(problem = arm_name_problem(s, text, (size_t)(colon - text), why, sizeof why))) {
    const char *p = changes;
    if (!next_change(&p, one, sizeof one)) problem = "expected at least one KEY=VALUE after ':'";
  }
  if (problem) {
    fprintf(err, "--arm %s: %s\n", text, problem);
    return 1;
  }
  scenario *scratch = malloc(sizeof *scratch);
  if (!scratch) {
    fprintf(err, "burnsim: out of memory\n");
    return 1;
  }
  int errors = 0;
  for (const char *p = changes; next_change(&p, one, sizeof one);) {
    if (fixed_in_campaigns(one)) {
      fprintf(err, "--arm %s: an arm cannot change the seed or the experiment; found \"%s\"\n", text, one);
      errors++;
      continue;
    }
    *scratch = *s;
    scratch->experiment.n_arms = 0;
    scratch->experiment.sweep.n_factors = 0;
    char *msgs = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&msgs, &len);
    int e = mem ? scenario_apply(scratch, one, mem) : 1;
    if (mem) fclose(mem);
    errors += e;
    /* Each message is "--set CHANGE: ...": located at the arm instead. */
    for (char *line = msgs; e && line && *line;) {
      size_t n = strcspn(line, "\n");
      const char *body = strstr(line, ": ");
      body = body && (size_t)(body - line) < n ? body + 2 : line;
      fprintf(err, "--arm %s: %.*s\n", text, (int)(n - (size_t)(body - line)), body);
      line += n + (line[n] == '\n');
    }
    free(msgs);
  }
  free(scratch);
  if (errors == 0) {
    scn_arm *arm = &s->experiment.arms[s->experiment.n_arms++];
    snprintf(arm->name, sizeof arm->name, "%.*s", (int)(colon - text), text);
    snprintf(arm->set, sizeof arm->set, "%s", changes);
  }
  return errors;
}

void scenario_factor_setting(const char *key, int integer, double value, char *out, size_t n) {
  if (integer)
    snprintf(out, n, "%s=%lldL", key, (long long)llround(value));
  else
    snprintf(out, n, "%s=%.17g", key, value);
}
