/* sim/org/org.h - the organisation: agents in teams, their traits and ledgers.
 *
 * Agents are stored as a structure of arrays indexed by agent id, so a
 * pass over one trait or ledger (ranking a leaderboard, a Gini) touches only
 * that array, and memory per agent stays small (org_bytes_per_agent).
 * Policies read these arrays and write the fields their lever owns.
 */
#ifndef BURNSIM_ORG_H
#define BURNSIM_ORG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rng.h"
#include "config/scenario.h"

/* A work block's options: work by hand or with AI, with or without loops. */
enum org_option {
  ORG_MANUAL = 0,
  ORG_AI = 1,
  ORG_MANUAL_BURN = 2,
  ORG_AI_BURN = 3,
  ORG_OPTIONS = 4
};

static inline int org_option_burns(int option) {
  return option >= ORG_MANUAL_BURN;
}
static inline int org_option_uses_ai(int option) {
  return option == ORG_AI || option == ORG_AI_BURN;
}

/* What a learning agent keeps (behaviour.c): an attraction per option, and
 * what each option brought since the last review end, from which the
 * attractions are updated when the review's rewards and penalties are in.
 * One cache line per agent. */
typedef struct org_learner {
  float attraction[ORG_OPTIONS]; /* $ per block; NaN until the agent first chooses */
  float payoff[ORG_OPTIONS];     /* realised payoff credited to the option this review, $ */
  float kpi_claim[ORG_OPTIONS];  /* KPI gain its blocks were expected to bring: their claim on the reward, $ */
  uint32_t blocks[ORG_OPTIONS];  /* blocks that chose it this review */
} org_learner;

/* What an imitating agent keeps (behaviour.c): its habit, the option mix it
 * carries from the last review (its own, or a colleague's it copied), and
 * what it chose in this review, which its colleagues see.  Half a cache
 * line per agent. */
typedef struct org_imitator {
  float habit[ORG_OPTIONS];     /* shares of blocks, summing to 1; NaN before the first review */
  uint32_t blocks[ORG_OPTIONS]; /* blocks that chose each option this review */
} org_imitator;

typedef struct org_agents {
  size_t n;
  uint32_t *team;
  /* Traits, drawn once (float: ample precision, half the memory). */
  float *skill;            /* $ of output per unit of task by hand */
  float *leverage;         /* tokens per unit of task with AI */
  float *salary;           /* $ per year */
  float *status_weight;    /* gamma */
  float *intrinsic_weight; /* eta */
  float *loyalty_weight;   /* theta */
  float *burn_rate;        /* tokens per hour per loop */
  float *fan_out;          /* loops in parallel, a whole number >= 1 */
  float *audit_fear;
  float *burn_propensity;  /* $ of utility added to burn options */
  /* Ledgers of the current review period (reset at its end). */
  double *review_tokens;      /* all tokens admitted to the cluster */
  double *review_usd;         /* their cost */
  double *review_value;       /* output realised */
  uint32_t *review_burn_blocks;
  /* Ledgers of the whole run. */
  double *tokens_useful, *tokens_burn;
  double *usd_useful, *usd_burn;
  double *value;       /* output realised */
  double *kpi_reward;  /* KPI rewards received */
  double *penalties;   /* audit penalties paid */
  uint32_t *badges;
  uint32_t *caught;    /* audits that found burning */
  /* Random streams: work (block timing, task sizes) and choice. */
  pcg64_t *work_rng;
  pcg64_t *choice_rng;
  float *block_offset; /* hours after a block's nominal start: spreads submissions */
  org_learner *learner; /* NULL until a behaviour that learns is used */
  org_imitator *imitator; /* NULL until a behaviour that imitates is used */
  /* With imitator: each agent's habit for the next review, written at a
   * review end before any is replaced (scratch, not in bytes_per_agent;
   * allocated with the records so a review end cannot run out of memory). */
  float (*next_habit)[ORG_OPTIONS];
} org_agents;

typedef struct org_teams {
  size_t n;
  uint32_t *size;       /* agents */
  double *need;         /* expected useful spend per budget cycle, $ */
  double *allocation;   /* this cycle's allocation (before carry) */
  double *budget;       /* this cycle's money: allocation + carry */
  double *spent;        /* this cycle, all jobs */
  double *spent_useful; /* this cycle, useful jobs */
  double *value;        /* output realised this cycle */
  double *week_spent;   /* this week of the cycle */
  double *rejected_useful_usd; /* useful work refused for lack of money, this cycle */
} org_teams;

/* What a policy may need to know about the org besides the ledgers. */
typedef struct org {
  const scenario *s;   /* the scenario as currently switched */
  org_agents agents;
  org_teams teams;
  double usd_per_token;      /* cluster's cost of one token */
  double review_hours;       /* length of a review period */
  double review_start;       /* when the current review began, hours */
  double cycle_hours;        /* length of a budget cycle */
  double cycle_start;        /* when the current cycle began, hours */
  uint32_t review_index;     /* reviews completed */
  uint32_t cycle_index;      /* budget cycles completed */
  uint64_t seed;             /* run seed, for streams policies derive */
} org;

/* Allocates the arrays for s->org.agents agents and s->org.teams teams, draws
 * traits and team membership from the run seed's streams.  Returns 0, or -1
 * with a message on err (without one when a stop was requested, cancel.h). */
int org_init(org *o, const scenario *s, uint64_t seed, double usd_per_token, FILE *err);
void org_free(org *o);

/* Gives every agent a learner record, attractions unset (NaN) and nothing
 * experienced, for behaviour models that learn.  Returns 0 or -1 when
 * memory is out. */
int org_enable_learning(org *o);

/* Gives every agent an imitator record, no habit yet (NaN) and nothing
 * chosen, and the scratch review ends use (next_habit), so imitation never
 * allocates during the run.  Returns 0 or -1 when memory is out. */
int org_enable_imitation(org *o);

/* Bytes of memory an agent takes in org_agents (all arrays). */
size_t org_bytes_per_agent(const org *o);

/* Share of the current review (or cycle) elapsed at time now, in [0, 1]. */
double org_review_progress(const org *o, double now);
double org_cycle_progress(const org *o, double now);

/* Expected tokens an agent submits per work block with AI and per block of
 * burning (all its loops), from its traits and the scenario's means. */
double org_expected_ai_tokens(const org *o, uint32_t agent);
double org_burn_tokens(const org *o, uint32_t agent);

/* Work blocks per review period per agent. */
double org_blocks_per_review(const org *o);

#endif
