/* policies/scheduler_fair_share.c - fair share of slots between teams.
 *
 * Rule: when a slot frees, among the teams with waiting jobs the team with
 * the fewest streams running goes first; a tie goes to the team whose
 * oldest waiting job was submitted first.  Within a team, jobs are served
 * in submission order.  A light team therefore starts its job at the next
 * free slot even when a heavy team has a long backlog, and teams that keep
 * the queue busy converge to equal numbers of slots.  Running streams,
 * not past usage, are the measure, so the rule has no decay parameter.
 *
 * Teams with waiting jobs sit in a binary min-heap keyed by (running
 * streams, id of the oldest waiting job), with each team's heap position
 * stored so that a key change is one sift: O(log teams) per decision.
 */
#include <stdlib.h>

#include "policies/scheduler.h"

#define NOT_IN_HEAP UINT32_MAX

typedef struct team {
  sim_job_queue q;
  uint64_t running; /* streams of this team holding a slot */
  uint32_t pos;     /* index in the heap, or NOT_IN_HEAP */
} team;

typedef struct fair_state {
  team *teams;
  uint32_t *heap; /* team indices */
  size_t n_teams;
  size_t heap_n;
  size_t waiting; /* jobs in all team queues */
} fair_state;

/* a goes before b */
static int before(const fair_state *st, uint32_t a, uint32_t b) {
  const team *ta = &st->teams[a], *tb = &st->teams[b];
  if (ta->running != tb->running) return ta->running < tb->running;
  return ta->q.head->id < tb->q.head->id;
}

static void place(fair_state *st, size_t i, uint32_t t) {
  st->heap[i] = t;
  st->teams[t].pos = (uint32_t)i;
}

static void sift_up(fair_state *st, size_t i) {
  uint32_t t = st->heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!before(st, t, st->heap[parent])) break;
    place(st, i, st->heap[parent]);
    i = parent;
  }
  place(st, i, t);
}

static void sift_down(fair_state *st, size_t i) {
  uint32_t t = st->heap[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= st->heap_n) break;
    if (child + 1 < st->heap_n && before(st, st->heap[child + 1], st->heap[child])) child++;
    if (!before(st, st->heap[child], t)) break;
    place(st, i, st->heap[child]);
    i = child;
  }
  place(st, i, t);
}

static void heap_remove(fair_state *st, uint32_t t) {
  size_t i = st->teams[t].pos;
  st->teams[t].pos = NOT_IN_HEAP;
  uint32_t last = st->heap[--st->heap_n];
  if (i == st->heap_n) return;
  place(st, i, last);
  sift_up(st, i);
  sift_down(st, st->teams[last].pos);
}

static int fair_init(void *state, const scheduler_params *p, FILE *err) {
  fair_state *st = state;
  st->n_teams = p->teams ? p->teams : 1;
  if (st->n_teams >= NOT_IN_HEAP) {
    fprintf(err, "burnsim: fair_share supports at most %u teams, found %zu\n", NOT_IN_HEAP - 1,
            st->n_teams);
    return -1;
  }
  st->teams = calloc(st->n_teams, sizeof *st->teams);
  st->heap = malloc(st->n_teams * sizeof *st->heap);
  if (!st->teams || !st->heap) {
    fprintf(err, "burnsim: out of memory for %zu fair-share teams\n", st->n_teams);
    free(st->teams);
    free(st->heap);
    return -1;
  }
  for (size_t t = 0; t < st->n_teams; t++) st->teams[t].pos = NOT_IN_HEAP;
  return 0;
}

static void fair_free(void *state) {
  fair_state *st = state;
  free(st->teams);
  free(st->heap);
}

static uint32_t team_of(const fair_state *st, const sim_job *job) {
  return job->team < st->n_teams ? job->team : (uint32_t)(job->team % st->n_teams);
}

static scheduler_admit fair_enqueue(void *state, sim_job *job, double now) {
  (void)now;
  fair_state *st = state;
  uint32_t t = team_of(st, job);
  job->tag = job->purpose;
  sim_job_queue_push(&st->teams[t].q, job);
  st->waiting++;
  if (st->teams[t].pos == NOT_IN_HEAP) { /* the team's key exists only now */
    place(st, st->heap_n++, t);
    sift_up(st, st->heap_n - 1);
  }
  return SCHED_QUEUED;
}

static sim_job *fair_next(void *state, double now) {
  (void)now;
  fair_state *st = state;
  if (st->heap_n == 0) return NULL;
  uint32_t t = st->heap[0];
  team *tm = &st->teams[t];
  sim_job *job = sim_job_queue_take_stream(&tm->q);
  if (job->streams_unstarted <= 1) st->waiting--; /* its last stream: it left the queue */
  tm->running++;
  if (!tm->q.head)
    heap_remove(st, t);
  else
    sift_down(st, 0); /* running grew (and the head may be a younger job) */
  return job;
}

static void fair_stream_end(void *state, const sim_job *job, double now) {
  (void)now;
  fair_state *st = state;
  uint32_t t = team_of(st, job);
  st->teams[t].running--;
  if (st->teams[t].pos != NOT_IN_HEAP) sift_up(st, st->teams[t].pos);
}

static size_t fair_queued(const void *state) {
  const fair_state *st = state;
  return st->waiting;
}

static void fair_visit(const void *state, void (*fn)(const sim_job *, void *), void *ctx) {
  const fair_state *st = state;
  for (size_t i = 0; i < st->heap_n; i++) scheduler_visit_queue(&st->teams[st->heap[i]].q, fn, ctx);
}

const scheduler_type scheduler_fair_share = {
    .name = "fair_share",
    .doc = "the team with the fewest running streams goes first; FIFO within a team",
    .state_size = sizeof(fair_state),
    .init = fair_init,
    .free = fair_free,
    .enqueue = fair_enqueue,
    .next = fair_next,
    .stream_end = fair_stream_end,
    .queued = fair_queued,
    .visit = fair_visit,
    .next_tick = NULL,
    .tick = NULL,
};
