/* policies/budget_fixed.c - every cycle, each team gets its first allocation again.
 *
 * The allocation cannot be earned or lost by spending, so spending now
 * buys no budget later (spend_sensitivity 0).  The first allocation is
 * whatever the org had set when the rule was initialised: at the start of
 * a run, need * initial_ratio; after a switch to this rule mid-run, the
 * allocation then in force, which is frozen from there on.
 */
#include <stdlib.h>

#include "policies/budget.h"

typedef struct fixed_state {
  size_t n;
  double *first; /* first[j]: team j's allocation at init */
} fixed_state;

static int fixed_init(void *state, const org *o, FILE *err) {
  fixed_state *st = state;
  st->n = o->teams.n;
  st->first = NULL;
  if (st->n == 0) return 0;
  st->first = malloc(st->n * sizeof *st->first);
  if (!st->first) {
    fprintf(err, "budget fixed: out of memory for %zu teams\n", st->n);
    st->n = 0;
    return -1;
  }
  for (size_t j = 0; j < st->n; j++) st->first[j] = o->teams.allocation[j];
  return 0;
}

static void fixed_free(void *state) {
  fixed_state *st = state;
  free(st->first);
  st->first = NULL;
  st->n = 0;
}

static void fixed_allocate(void *state, const org *o, double *next) {
  const fixed_state *st = state;
  for (size_t j = 0; j < o->teams.n; j++)
    next[j] = j < st->n ? st->first[j] : o->teams.allocation[j];
}

static double fixed_spend_sensitivity(const void *state, const org *o, uint32_t team) {
  (void)state;
  (void)o;
  (void)team;
  return 0.0;
}

const budget_type budget_fixed = {
    .name = "fixed",
    .doc = "each cycle, each team's first allocation again",
    .state_size = sizeof(fixed_state),
    .init = fixed_init,
    .free = fixed_free,
    .allocate = fixed_allocate,
    .spend_sensitivity = fixed_spend_sensitivity,
};
