/* bench/bench_hold.c - the classic hold model on the event queue and the engine.
 *
 * A hold operation removes the earliest pending event and schedules it
 * again at its time plus an exponential increment (mean 1), so the number
 * of pending events stays constant.  Two paths are timed at 10^3..10^6
 * pending events:
 *   queue   sim_event_queue_pop_min + sim_event_queue_push, nothing else;
 *   engine  sim_engine_run with a handler that reschedules its own event
 *           (pool, dispatch, clock and recycling included).
 * Increments come from a 4096-entry table of exponential quantiles indexed
 * by the top 12 bits of xorshift64, so drawing costs a few instructions and
 * does not hide the queue's cost.  Each size runs REPS timed repetitions of
 * at least 10^7 operations and 1 s; the table shows the best repetition and
 * the median rate.  Figures depend on the machine and on what else shares
 * its caches; they are printed, never asserted.
 *
 * Usage: bench_hold [reps] [min_ops]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/engine.h"
#include "core/event_queue.h"

#define TABLE_BITS 12
#define TABLE_SIZE (1u << TABLE_BITS)

static double increment_table[TABLE_SIZE];

static void init_table(void) {
  for (unsigned i = 0; i < TABLE_SIZE; i++) increment_table[i] = -log1p(-(i + 0.5) / TABLE_SIZE);
}

static inline double next_increment(uint64_t *x) {
  uint64_t s = *x;
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  *x = s;
  return increment_table[s >> (64 - TABLE_BITS)];
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct result {
  long ops;
  double seconds;
} result;

static int cmp_rate(const void *a, const void *b) {
  const result *x = a, *y = b;
  double rx = x->ops / x->seconds, ry = y->ops / y->seconds;
  return (rx > ry) - (rx < ry);
}

static void print_row(size_t n, result *r, int reps) {
  qsort(r, (size_t)reps, sizeof *r, cmp_rate);
  const result *best = &r[reps - 1], *med = &r[reps / 2];
  printf("%9zu %12ld %9.3f %9.2f %9.2f\n", n, best->ops, best->seconds, best->ops / best->seconds / 1e6,
         med->ops / med->seconds / 1e6);
  fflush(stdout);
}

/* ---- bare queue ------------------------------------------------------------ */

typedef struct queue_bench {
  sim_event_queue *q;
  uint64_t seq, rng;
  long disorder;
  double last;
} queue_bench;

static void queue_hold(queue_bench *b, long ops) {
  sim_event_queue *q = b->q;
  uint64_t seq = b->seq, rng = b->rng;
  double last = b->last;
  for (long k = 0; k < ops; k++) {
    sim_event *ev = sim_event_queue_pop_min(q);
    if (ev->time < last) b->disorder++;
    last = ev->time;
    ev->time = last + next_increment(&rng);
    ev->seq = seq++;
    sim_event_queue_push(q, ev);
  }
  b->seq = seq;
  b->rng = rng;
  b->last = last;
}

static void bench_queue(size_t n, int reps, long min_ops) {
  sim_event *ev = calloc(n, sizeof *ev);
  queue_bench b = {sim_event_queue_create(n), 0, 0x9e3779b97f4a7c15u, 0, 0};
  if (!ev || !b.q) {
    fprintf(stderr, "bench_hold: out of memory at %zu events\n", n);
    exit(1);
  }
  for (size_t i = 0; i < n; i++) {
    ev[i].time = next_increment(&b.rng);
    ev[i].seq = b.seq++;
    ev[i].pos = SIM_EVENT_NOT_QUEUED;
    sim_event_queue_push(b.q, &ev[i]);
  }
  queue_hold(&b, (long)(3 * n) > 1000000 ? (long)(3 * n) : 1000000); /* warm up */
  result r[64];
  for (int rep = 0; rep < reps; rep++) {
    long ops = 0;
    double t0 = seconds_now(), t1;
    do { /* 10^6-operation slices until both minimums are met */
      queue_hold(&b, 1000000);
      ops += 1000000;
      t1 = seconds_now();
    } while (ops < min_ops || t1 - t0 < 1.0);
    r[rep] = (result){ops, t1 - t0};
  }
  print_row(n, r, reps);
  if (b.disorder) printf("          WARNING: %ld pops out of order\n", b.disorder);
  sim_event_queue_free(b.q);
  free(ev);
}

/* ---- full engine path ---------------------------------------------------------- */

typedef struct engine_bench {
  uint64_t rng;
  long left; /* operations until the handler stops the run */
  long disorder;
  double last;
} engine_bench;

static void on_hold(sim_engine *eng, sim_event *ev, void *ctx) {
  engine_bench *b = ctx;
  if (ev->time < b->last) b->disorder++;
  b->last = ev->time;
  sim_engine_schedule_event(eng, ev, ev->time + next_increment(&b->rng));
  if (--b->left == 0) sim_engine_stop(eng);
}

static void engine_hold(sim_engine *eng, engine_bench *b, long ops) {
  b->left = ops;
  sim_engine_run(eng, INFINITY);
}

static void bench_engine(size_t n, int reps, long min_ops) {
  sim_engine_options o = {.initial_events = n, .max_events = 0, .num_kinds = 1};
  sim_engine *eng = sim_engine_create(&o);
  engine_bench b = {0x9e3779b97f4a7c15u, 0, 0, 0};
  if (!eng) {
    fprintf(stderr, "bench_hold: out of memory at %zu events\n", n);
    exit(1);
  }
  sim_engine_on(eng, 0, on_hold, &b);
  for (size_t i = 0; i < n; i++) sim_engine_schedule(eng, 0, next_increment(&b.rng), i, 0);
  engine_hold(eng, &b, (long)(3 * n) > 1000000 ? (long)(3 * n) : 1000000);
  result r[64];
  for (int rep = 0; rep < reps; rep++) {
    long ops = 0;
    double t0 = seconds_now(), t1;
    do {
      engine_hold(eng, &b, 1000000);
      ops += 1000000;
      t1 = seconds_now();
    } while (ops < min_ops || t1 - t0 < 1.0);
    r[rep] = (result){ops, t1 - t0};
  }
  print_row(n, r, reps);
  if (b.disorder) printf("          WARNING: %ld events handled out of order\n", b.disorder);
  if (sim_engine_pending(eng) != n) printf("          WARNING: %zu pending, expected %zu\n", sim_engine_pending(eng), n);
  sim_engine_free(eng);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 3;
  long min_ops = argc > 2 ? atol(argv[2]) : 10000000;
  if (reps < 1) reps = 1;
  if (reps > 64) reps = 64;
  static const size_t sizes[] = {1000, 10000, 100000, 1000000};
  init_table();
  printf("hold model: pop the earliest event, push it back at time + Exp(1)\n");
  printf("increments: %u-entry exponential quantile table, xorshift64 index\n", TABLE_SIZE);
  printf("each size: %d repetitions of >= %ld operations and >= 1 s; best repetition shown\n\n", reps, min_ops);
  const char *head = "  pending   operations   seconds    Mops/s  median Mops/s\n";
  printf("queue (sim_event_queue_pop_min + sim_event_queue_push)\n%s", head);
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) bench_queue(sizes[i], reps, min_ops);
  printf("\nengine (sim_engine_run; the handler reschedules its own event)\n%s", head);
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) bench_engine(sizes[i], reps, min_ops);
  return 0;
}
