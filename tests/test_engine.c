/* tests/test_engine.c - the discrete-event engine: dispatch, order, clock,
 * horizon, cancellation, stop, pool limits and growth. */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_test.h>

#include "core/engine.h"

/* ---- a log of handled events ---------------------------------------------- */

typedef struct record {
  uint32_t kind;
  uint64_t subject, arg;
  double time, now;
  void *ctx;
} record;

typedef struct log_t {
  record *r;
  size_t n, cap;
} log_t;

static log_t LOG;

static void log_reset(void) { LOG.n = 0; }

static void log_add(sim_engine *eng, const sim_event *ev, void *ctx) {
  if (LOG.n == LOG.cap) {
    LOG.cap = LOG.cap ? 2 * LOG.cap : 1024;
    LOG.r = realloc(LOG.r, LOG.cap * sizeof *LOG.r);
    if (!LOG.r) abort();
  }
  LOG.r[LOG.n++] = (record){ev->kind, ev->subject, ev->arg, ev->time, sim_engine_now(eng), ctx};
}

static void on_log(sim_engine *eng, sim_event *ev, void *ctx) { log_add(eng, ev, ctx); }

static sim_engine *make_engine(size_t initial, size_t max, uint32_t kinds) {
  sim_engine_options o = {.initial_events = initial, .max_events = max, .num_kinds = kinds};
  sim_engine *eng = sim_engine_create(&o);
  if (!eng) {
    fprintf(stderr, "sim_engine_create failed\n");
    exit(1);
  }
  return eng;
}

/* ---- dispatch and order ----------------------------------------------------- */

static void test_dispatch(void) {
  int ctx[3];
  sim_engine *eng = make_engine(0, 0, 3);
  gsl_test_int(sim_engine_on(eng, 3, on_log, NULL), -1, "on(): kind == num_kinds is refused");
  for (uint32_t k = 0; k < 3; k++) sim_engine_on(eng, k, on_log, &ctx[k]);
  log_reset();
  /* Later times scheduled first, kinds mixed. */
  for (int i = 9; i >= 0; i--) sim_engine_schedule(eng, (uint32_t)(i % 3), 1.0 + i, (uint64_t)i, (uint64_t)(100 + i));
  sim_run_status st = sim_engine_run(eng, INFINITY);
  gsl_test_int(st, SIM_RUN_EMPTY, "run to exhaustion returns SIM_RUN_EMPTY");
  int bad = LOG.n != 10;
  for (size_t i = 0; i < LOG.n && !bad; i++) {
    const record *r = &LOG.r[i];
    bad |= r->subject != i || r->arg != 100 + i || r->kind != i % 3 || r->ctx != &ctx[i % 3];
    bad |= r->time != 1.0 + (double)i || r->now != r->time;
  }
  gsl_test(bad, "handlers called by kind, with their ctx, in time order, clock == event time");
  gsl_test_int((int)sim_engine_processed(eng), 10, "processed counter");
  gsl_test_abs(sim_engine_now(eng), 10.0, 0, "clock stays at the last event after an unbounded run");
  sim_engine_free(eng);
}

static void test_ties_across_kinds(void) {
  enum { N = 300 };
  sim_engine *eng = make_engine(8, 0, 4);
  for (uint32_t k = 0; k < 4; k++) sim_engine_on(eng, k, on_log, NULL);
  log_reset();
  sim_engine_schedule(eng, 0, 6.0, 9999, 0); /* later, scheduled first */
  for (int i = 0; i < N; i++) sim_engine_schedule(eng, (uint32_t)((i * 7) % 4), 5.0, (uint64_t)i, 0);
  sim_engine_schedule(eng, 3, 4.0, 8888, 0); /* earlier, scheduled last */
  sim_engine_run(eng, INFINITY);
  int bad = LOG.n != N + 2 || LOG.r[0].subject != 8888 || LOG.r[N + 1].subject != 9999;
  for (int i = 0; i < N && !bad; i++) bad |= LOG.r[i + 1].subject != (uint64_t)i;
  gsl_test(bad, "%d events at one time leave in scheduling order across kinds", N);
  sim_engine_free(eng);
}

/* ---- clock and horizon ------------------------------------------------------ */

static void test_horizon(void) {
  sim_engine *eng = make_engine(0, 0, 1);
  sim_engine_on(eng, 0, on_log, NULL);
  log_reset();
  sim_engine_schedule(eng, 0, 1.0, 1, 0);
  sim_engine_schedule(eng, 0, 2.0, 2, 0);
  sim_engine_schedule(eng, 0, nextafter(2.0, 3.0), 3, 0);
  sim_engine_schedule(eng, 0, 7.0, 4, 0);

  sim_run_status st = sim_engine_run(eng, 2.0);
  gsl_test_int(st, SIM_RUN_HORIZON, "run(2): stops at the horizon");
  gsl_test_int((int)LOG.n, 2, "run(2): events at and before the horizon processed");
  gsl_test_int((int)sim_engine_pending(eng), 2, "run(2): later events stay pending");
  gsl_test_abs(sim_engine_now(eng), 2.0, 0, "run(2): clock ends at the horizon");

  st = sim_engine_run(eng, 5.0);
  gsl_test_int(st, SIM_RUN_HORIZON, "run(5): next event beyond");
  gsl_test_int((int)LOG.n, 3, "run(5): continues where run(2) stopped");
  gsl_test_abs(sim_engine_now(eng), 5.0, 0, "run(5): clock at the horizon, not at the last event");

  gsl_test(sim_engine_schedule(eng, 0, 4.5, 5, 0) != NULL, "scheduling before the clock (set by the horizon) is refused");
  gsl_test(sim_engine_schedule(eng, 0, 5.0, 6, 0) == NULL, "scheduling at the clock is allowed");

  st = sim_engine_run(eng, 10.0);
  gsl_test_int(st, SIM_RUN_EMPTY, "run(10): empty");
  gsl_test_int((int)LOG.n, 5, "run(10): the rest processed");
  gsl_test(LOG.r[3].subject != 6 || LOG.r[4].subject != 4, "run(10): in time order");
  gsl_test_abs(sim_engine_now(eng), 10.0, 0, "run(10): empty queue still moves the clock to the horizon");

  st = sim_engine_run(eng, 3.0);
  gsl_test_int(st, SIM_RUN_EMPTY, "run to a horizon in the past");
  gsl_test_abs(sim_engine_now(eng), 10.0, 0, "a past horizon never moves the clock back");
  st = sim_engine_run(eng, INFINITY);
  gsl_test_abs(sim_engine_now(eng), 10.0, 0, "an infinite horizon leaves the clock alone");
  st = sim_engine_run(eng, NAN);
  gsl_test_abs(sim_engine_now(eng), 10.0, 0, "a NaN horizon processes nothing and leaves the clock alone");
  sim_engine_free(eng);
}

static void test_rejects(void) {
  sim_engine *eng = make_engine(0, 0, 2);
  sim_engine_on(eng, 0, on_log, NULL);
  sim_engine_on(eng, 1, on_log, NULL);
  gsl_test(sim_engine_schedule(eng, 0, -1.0, 0, 0) != NULL, "time before now is refused");
  gsl_test(sim_engine_schedule(eng, 0, -0.0, 0, 0) == NULL, "time -0.0 equals now 0 and is accepted");
  gsl_test(sim_engine_schedule(eng, 0, NAN, 0, 0) != NULL, "NaN time is refused");
  gsl_test(sim_engine_schedule(eng, 0, INFINITY, 0, 0) != NULL, "+inf time is refused");
  gsl_test(sim_engine_schedule(eng, 0, -INFINITY, 0, 0) != NULL, "-inf time is refused");
  gsl_test(sim_engine_schedule(eng, 2, 1.0, 0, 0) != NULL, "kind >= num_kinds is refused");
  gsl_test_int((int)sim_engine_pending(eng), 1, "refused events are not queued");
  sim_event *ev = sim_engine_schedule(eng, 1, 3.0, 0, 0);
  gsl_test_int(sim_engine_schedule_event(eng, ev, 4.0), -1, "schedule_event of a pending event is refused");
  gsl_test_int(sim_engine_cancel(eng, ev), 0, "cancel");
  gsl_test_int(sim_engine_schedule_event(eng, ev, 4.0), -1, "schedule_event of a cancelled (pooled) event is refused");
  sim_engine_free(eng);
}

/* ---- handlers that reschedule, cancel, stop ------------------------------------ */

typedef struct periodic {
  int fired, limit;
  double period;
} periodic;

static void on_periodic(sim_engine *eng, sim_event *ev, void *ctx) {
  periodic *p = ctx;
  p->fired++;
  if (sim_engine_now(eng) != ev->time) p->fired = -1000000;
  if (p->fired < p->limit && sim_engine_schedule_event(eng, ev, ev->time + p->period) != 0) p->fired = -1000000;
}

static void test_periodic(void) {
  enum { MAX = 8, TICKS = 100000 };
  sim_engine *eng = make_engine(MAX, MAX, 2);
  periodic p = {0, TICKS, 0.25};
  sim_engine_on(eng, 0, on_periodic, &p);
  sim_engine_on(eng, 1, on_log, NULL);
  log_reset();
  sim_event *ev = sim_engine_schedule(eng, 0, 0.0, 77, 5);
  sim_engine_schedule(eng, 1, 1000.0, 1, 0);
  sim_run_status st = sim_engine_run(eng, 100.0);
  gsl_test_int(st, SIM_RUN_HORIZON, "periodic: run(100)");
  gsl_test_int(p.fired, 401, "periodic: fired every 0.25 up to and including t = 100");
  gsl_test(ev->subject != 77 || ev->arg != 5 || ev->kind != 0, "periodic: a rescheduled event keeps kind, subject and arg");
  sim_engine_run(eng, INFINITY);
  gsl_test_int(p.fired, TICKS, "periodic: fired %d times", TICKS);
  gsl_test_int((int)sim_engine_processed(eng), TICKS + 1, "periodic: processed counter");
  gsl_test_int((int)sim_engine_pool_capacity(eng), MAX, "periodic: the pool never grew");
  /* No leak: with the periodic event retired, the whole pool is free. */
  sim_event *got[MAX + 1];
  int n = 0;
  for (int i = 0; i <= MAX; i++) got[i] = sim_engine_schedule(eng, 1, sim_engine_now(eng) + 1, 0, 0);
  for (int i = 0; i < MAX; i++) n += got[i] != NULL;
  gsl_test(n != MAX || got[MAX] != NULL, "periodic: all %d pool events free again afterwards", MAX);
  sim_engine_free(eng);
}

typedef struct canceller {
  sim_event *victim;
  int own_cancel, resched_cancel;
} canceller;

static void on_cancel(sim_engine *eng, sim_event *ev, void *ctx) {
  canceller *c = ctx;
  log_add(eng, ev, ctx);
  if (ev->subject == 1) c->own_cancel = sim_engine_cancel(eng, ev); /* not pending: -1 */
  if (ev->subject == 2 && c->victim) {
    sim_engine_cancel(eng, c->victim);
    c->victim = NULL;
  }
  if (ev->subject == 3) { /* reschedule itself, then change its mind */
    sim_engine_schedule_event(eng, ev, ev->time + 1);
    c->resched_cancel = sim_engine_cancel(eng, ev);
  }
}

static void test_cancel(void) {
  enum { MAX = 6 };
  sim_engine *eng = make_engine(MAX, MAX, 1);
  canceller c = {0};
  sim_engine_on(eng, 0, on_cancel, &c);
  log_reset();
  sim_event *a = sim_engine_schedule(eng, 0, 1.0, 1, 0);
  sim_event *b = sim_engine_schedule(eng, 0, 2.0, 2, 0);
  sim_event *d = sim_engine_schedule(eng, 0, 3.0, 3, 0);
  sim_event *x = sim_engine_schedule(eng, 0, 4.0, 4, 0);
  sim_event *y = sim_engine_schedule(eng, 0, 5.0, 5, 0);
  (void)a;
  (void)b;
  (void)d;
  gsl_test_int(sim_engine_cancel(eng, y), 0, "cancel a pending event");
  gsl_test_int(sim_engine_cancel(eng, y), -1, "cancel it twice");
  gsl_test_int((int)sim_engine_pending(eng), 4, "pending after cancel");
  c.victim = x; /* cancelled by the handler of event 2 */
  sim_engine_run(eng, INFINITY);
  int bad = LOG.n != 3 || LOG.r[0].subject != 1 || LOG.r[1].subject != 2 || LOG.r[2].subject != 3;
  gsl_test(bad, "cancelled events are never handled");
  gsl_test_int(c.own_cancel, -1, "a handler cannot cancel its own (no longer pending) event");
  gsl_test_int(c.resched_cancel, 0, "a handler may reschedule its event and cancel it again");
  gsl_test_int((int)sim_engine_pending(eng), 0, "nothing pending");
  /* The pool must hold each event once: no double recycling. */
  sim_event *got[MAX + 1];
  int distinct = 1, n = 0;
  for (int i = 0; i <= MAX; i++) got[i] = sim_engine_schedule(eng, 0, 10.0 + i, 100, 0);
  for (int i = 0; i < MAX; i++) {
    n += got[i] != NULL;
    for (int j = 0; j < i; j++) distinct &= got[i] != got[j];
  }
  gsl_test(n != MAX || got[MAX] != NULL || !distinct, "after cancels the pool holds %d distinct events, no more", MAX);
  sim_engine_free(eng);
}

typedef struct stopper {
  int count, stop_at;
} stopper;

static void on_stop(sim_engine *eng, sim_event *ev, void *ctx) {
  stopper *s = ctx;
  (void)ev;
  if (++s->count == s->stop_at) sim_engine_stop(eng);
}

static void test_stop(void) {
  sim_engine *eng = make_engine(0, 0, 1);
  stopper s = {0, 5};
  sim_engine_on(eng, 0, on_stop, &s);
  for (int i = 1; i <= 10; i++) sim_engine_schedule(eng, 0, (double)i, 0, 0);
  sim_engine_stop(eng); /* outside a run: no effect on the next run */
  sim_run_status st = sim_engine_run(eng, 100.0);
  gsl_test_int(st, SIM_RUN_STOPPED, "stop: run returns SIM_RUN_STOPPED");
  gsl_test_int(s.count, 5, "stop: returns right after the handler that asked");
  gsl_test_abs(sim_engine_now(eng), 5.0, 0, "stop: clock at the last event, not the horizon");
  gsl_test_int((int)sim_engine_pending(eng), 5, "stop: the rest stays pending");
  st = sim_engine_run(eng, 100.0);
  gsl_test_int(st, SIM_RUN_EMPTY, "stop: a second run continues");
  gsl_test_int(s.count, 10, "stop: all events handled in the end");
  gsl_test_abs(sim_engine_now(eng), 100.0, 0, "stop: clock at the horizon after the second run");
  sim_engine_free(eng);
}

/* ---- pool ------------------------------------------------------------------- */

typedef struct exhaust {
  sim_event *got;
} exhaust;

static void on_exhaust(sim_engine *eng, sim_event *ev, void *ctx) {
  exhaust *x = ctx;
  (void)ev;
  /* The event being handled still belongs to the handler. */
  x->got = sim_engine_schedule(eng, 0, 500.0, 0, 0);
}

static void test_exhaustion(void) {
  enum { MAX = 100 };
  sim_engine *eng = make_engine(0, MAX, 1);
  exhaust x = {0};
  sim_engine_on(eng, 0, on_exhaust, &x);
  int ok = 0;
  for (int i = 0; i < MAX; i++) ok += sim_engine_schedule(eng, 0, 1.0 + i, (uint64_t)i, 0) != NULL;
  gsl_test_int(ok, MAX, "exhaustion: %d schedules succeed", MAX);
  gsl_test(sim_engine_schedule(eng, 0, 1000.0, 0, 0) != NULL, "exhaustion: schedule %d returns NULL", MAX + 1);
  gsl_test_int((int)sim_engine_pending(eng), MAX, "exhaustion: %d pending", MAX);
  gsl_test_int((int)sim_engine_pool_capacity(eng), MAX, "exhaustion: the pool stops at max_events");
  sim_engine_run(eng, 1.0);
  gsl_test(x.got != NULL, "exhaustion: inside a handler the handled event still counts");
  gsl_test(sim_engine_schedule(eng, 0, 1000.0, 0, 0) == NULL, "exhaustion: after one event is processed, scheduling works again");
  gsl_test(sim_engine_schedule(eng, 0, 1000.0, 0, 0) != NULL, "exhaustion: and the pool is full again");
  sim_engine_free(eng);
}

typedef struct order_check {
  double last_time;
  uint64_t last_seq;
  long bad, count;
} order_check;

static void on_order(sim_engine *eng, sim_event *ev, void *ctx) {
  order_check *o = ctx;
  (void)eng;
  if (o->count > 0 && (ev->time < o->last_time || (ev->time == o->last_time && ev->seq <= o->last_seq))) o->bad++;
  if (ev->arg != ev->subject * 3 + 1) o->bad++;
  o->last_time = ev->time;
  o->last_seq = ev->seq;
  o->count++;
}

static void test_growth(void) {
  enum { N = 100000 };
  sim_engine *eng = make_engine(16, 0, 1);
  order_check o = {0};
  sim_engine_on(eng, 0, on_order, &o);
  gsl_test_int((int)sim_engine_pool_capacity(eng), 16, "growth: initial pool");
  sim_event *early[8];
  uint64_t x = 12345;
  int fail = 0;
  for (int i = 0; i < N; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    double t = (double)(x >> 44) / 64.0; /* 2^20 / 64 distinct values: many ties */
    sim_event *ev = sim_engine_schedule(eng, 0, t, (uint64_t)i, (uint64_t)i * 3 + 1);
    if (!ev) fail++;
    if (i < 8) early[i] = ev;
  }
  gsl_test(fail != 0, "growth: %d schedules from a pool of 16", N);
  gsl_test(sim_engine_pool_capacity(eng) < N, "growth: pool grew to %zu", sim_engine_pool_capacity(eng));
  int bad = 0;
  for (int i = 0; i < 8; i++) bad |= early[i]->subject != (uint64_t)i || early[i]->arg != (uint64_t)i * 3 + 1 || early[i]->kind != 0;
  gsl_test(bad, "growth: events taken before the pool grew are intact");
  sim_engine_run(eng, INFINITY);
  gsl_test(o.bad != 0 || o.count != N, "growth: all %d events come out in (time, seq) order", N);
  gsl_test_int((int)sim_engine_processed(eng), N, "growth: processed counter");
  sim_engine_free(eng);
}

/* ---- a missing handler is fatal -------------------------------------------------- */

static void test_missing_handler(void) {
  int fd[2];
  if (pipe(fd) != 0) {
    gsl_test(1, "missing handler: pipe");
    return;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    dup2(fd[1], 2);
    sim_engine *eng = make_engine(0, 0, 2);
    sim_engine_on(eng, 0, on_log, NULL);
    sim_engine_schedule(eng, 1, 1.0, 42, 0);
    sim_engine_run(eng, INFINITY);
    _exit(0); /* not reached if the engine aborts */
  }
  close(fd[1]);
  char msg[512] = {0};
  size_t len = 0;
  ssize_t r;
  while (len < sizeof msg - 1 && (r = read(fd[0], msg + len, sizeof msg - 1 - len)) > 0) len += (size_t)r;
  close(fd[0]);
  while (len > 0 && msg[len - 1] == '\n') msg[--len] = '\0';
  int status = 0;
  waitpid(pid, &status, 0);
  gsl_test(!(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT), "missing handler: the engine aborts");
  gsl_test(strstr(msg, "no handler registered for event kind 1") == NULL,
           "missing handler: stderr names the kind (got \"%s\")", msg);
}

int main(void) {
  test_dispatch();
  test_ties_across_kinds();
  test_horizon();
  test_rejects();
  test_periodic();
  test_cancel();
  test_stop();
  test_exhaustion();
  test_growth();
  test_missing_handler();
  free(LOG.r);
  return gsl_test_summary();
}
