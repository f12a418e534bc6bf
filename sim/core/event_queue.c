/* sim/core/event_queue.c - the pending-event set: an exactly ordered ladder queue.
 *
 * Structure (after Tang, Goh and Thng's ladder queue, made exact):
 *
 *   top     an unsorted bucket: the events later than top_bound;
 *   rungs   up to MAX_RUNGS levels of unsorted buckets, each level a finer
 *           split of one bucket of the level above;
 *   bottom  a small array sorted by (time, seq), from which events leave.
 *
 * Insertion is O(1): an event goes to top, or to the first rung whose
 * not-yet-served buckets cover its time, or (when it falls in the span
 * already being served) into bottom by binary search.  When bottom runs
 * dry, the next non-empty bucket of the lowest rung is moved into it and
 * sorted; a bucket too big to sort cheaply becomes a new, finer rung.
 *
 * Exactness does not rest on floating-point luck: an event's bucket in a
 * rung is a clamped floor((time - start) * inv), a non-decreasing function
 * of time, and every routing decision compares bucket numbers (or, for top,
 * times against top_bound) rather than recomputed bucket edges.  Events
 * with equal times therefore always share a bucket, and meet in bottom,
 * where (time, seq) decides.
 *
 * Memory layout, chosen to save cache misses rather than instructions (at
 * 10^5 pending events the events alone outgrow the L2 cache):
 *  - a bucket is a chain of line-aligned blocks, each holding ten
 *    (time, seq, event) items side by side, so serving a bucket reads
 *    consecutive lines instead of chasing a pointer per event;
 *  - the fill count of a bucket's newest block lives in the bucket header,
 *    so filing an item is a plain store;
 *  - pushes bound for a bucket are first staged in a short array and filed
 *    in batches, so that the misses on bucket headers and blocks overlap
 *    instead of stalling every push;
 *  - serving a bucket never writes to the events; it prefetches them, as
 *    the caller is about to use them.
 *
 * ev->pos: POS_STAGE + i while staged; the event's slot (block *
 * BLOCK_ITEMS + index) once filed in a bucket; POS_BOTTOM when pushed
 * straight into bottom.  An event served from a bucket into bottom keeps
 * its old slot number, but serving clears the slot, so "the slot no longer
 * names the event" means "in bottom".  Removing a staged or bucketed
 * event clears its entry (it is skipped later); removing from bottom is a
 * binary search on the event's key.  Push is the only call that allocates
 * or can fail: it reserves room so that pop, peek and remove never do
 * (refinement into a new rung is skipped, never failed, when memory is
 * short).
 */
#include "core/event_queue.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* End of a block chain. */
#define NIL UINT32_MAX
/* ev->pos of an event pushed straight into bottom. */
#define POS_BOTTOM (SIM_EVENT_NOT_QUEUED - 1u)

/* The tuning constants below can be overridden with -D to measure
 * alternatives (docs/engine.md lists what was measured). */
#ifndef BLOCK_ITEMS
/* Items per block: ten 24-byte items and the link fill four cache lines. */
#define BLOCK_ITEMS 10
#endif
#ifndef STAGE_ITEMS
/* Pushes filed per batch. */
#define STAGE_ITEMS 32
#endif
/* ev->pos of a staged event: POS_STAGE + its index in the stage. */
#define POS_STAGE (POS_BOTTOM - STAGE_ITEMS)
/* Slots must stay below POS_STAGE. */
#define MAX_BLOCKS (((size_t)POS_STAGE - 1) / BLOCK_ITEMS)

/* Levels of refinement.  Each level divides a bucket by its population, so
 * a few levels resolve any spread met in practice; past MAX_RUNGS events
 * simply stay in bottom (still exact, with O(bottom) inserts). */
#define MAX_RUNGS 8
#ifndef BUCKET_EVENTS
/* Events per bucket aimed at when a rung is built. */
#define BUCKET_EVENTS 4
#endif
#ifndef SPLIT_THRESHOLD
/* A served bucket with more events than this becomes a new rung. */
#define SPLIT_THRESHOLD 48
#endif
/* Bottom size above which insertions into it trigger refinement. */
#define BOTTOM_LIMIT 128
#ifndef PREFETCH_AHEAD
/* Buckets ahead of the one being served whose first block is prefetched. */
#define PREFETCH_AHEAD 4
#endif

#define DEFAULT_CAPACITY 64
#define CACHE_LINE 64

typedef struct qitem {
  double time;
  uint64_t seq;
  sim_event *ev; /* NULL: removed or already served */
} qitem;

typedef struct qblock {
  _Alignas(CACHE_LINE) qitem item[BLOCK_ITEMS];
  uint32_t next; /* next newer block of the bucket (the newest links back
                    to the oldest), or the next free block */
} qblock;

/* A bucket's blocks form a ring entered at the newest: appending stays
 * O(1) and serving reads the items oldest first, i.e. in push order, which
 * for simultaneous events is already their seq order. */
typedef struct qbucket {
  uint32_t blk; /* newest block, NIL when empty */
  uint32_t n;   /* items in the newest block; older blocks are full */
} qbucket;

/* Bottom entry: the whole key, so sorting and searching stay inside the
 * bottom array. */
typedef struct qentry {
  double time;
  uint64_t seq;
  sim_event *ev;
} qentry;

typedef struct rung {
  double start; /* nominal lower edge of bucket 0 */
  double inv;   /* buckets per unit of time */
  double nbd;   /* nb as a double, for the clamp */
  uint32_t nb;  /* number of buckets */
  uint32_t cur; /* first bucket not yet served */
  qbucket *bucket;
  size_t bucket_cap;
} rung;

typedef struct qstaged {
  double time;
  uint64_t seq;
  sim_event *ev; /* NULL: removed while staged */
  qbucket *bk;
} qstaged;

struct sim_event_queue {
  size_t size; /* events queued */

  qstaged stage[STAGE_ITEMS];
  size_t nstage;

  qblock *blk;
  size_t blk_cap;
  size_t blk_hwm;  /* blocks handed out since the last reset */
  size_t blk_used; /* blocks in buckets */
  uint32_t blk_free;

  qbucket top;
  double top_bound; /* top holds exactly the events with time > top_bound */

  rung rungs[MAX_RUNGS];
  unsigned nrungs;

  qentry *bot;
  size_t bot_cap;
  size_t bot_head, bot_tail; /* entries are bot[bot_head, bot_tail) */
  size_t bot_limit;
};

/* ---- ordering --------------------------------------------------------- */

static inline bool entry_less(const qentry *a, const qentry *b) {
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static int entry_cmp(const void *pa, const void *pb) {
  const qentry *a = pa, *b = pb;
  if (entry_less(a, b)) return -1;
  if (entry_less(b, a)) return 1;
  return 0;
}

static void sort_entries(qentry *a, size_t n) {
  size_t i = 1;
  while (i < n && !entry_less(&a[i], &a[i - 1])) i++;
  if (i >= n) return; /* often so: simultaneous events arrive in seq order */
  if (n > 64) {
    qsort(a, n, sizeof *a, entry_cmp);
    return;
  }
  for (; i < n; i++) {
    qentry x = a[i];
    size_t j = i;
    while (j > 0 && entry_less(&x, &a[j - 1])) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = x;
  }
}

/* ---- storage ---------------------------------------------------------- */

/* Makes room for `more` further blocks on top of one per staged event.
 * Blocks are addressed by number, so the array may move. */
static int blk_reserve(sim_event_queue *q, size_t more) {
  size_t need = q->blk_used + q->nstage + more;
  if (need <= q->blk_cap) return 0;
  if (need > MAX_BLOCKS) return -1;
  size_t cap = q->blk_cap * 2;
  if (cap < need) cap = need;
  if (cap < 16) cap = 16;
  if (cap > MAX_BLOCKS) cap = MAX_BLOCKS;
  qblock *p = aligned_alloc(CACHE_LINE, cap * sizeof *p);
  if (!p) return -1;
  if (q->blk_hwm) memcpy(p, q->blk, q->blk_hwm * sizeof *p);
  free(q->blk);
  q->blk = p;
  q->blk_cap = cap;
  return 0;
}

/* Takes a block; the caller has reserved it. */
static inline uint32_t blk_alloc(sim_event_queue *q) {
  uint32_t b = q->blk_free;
  q->blk_used++;
  if (b != NIL) {
    q->blk_free = q->blk[b].next;
    return b;
  }
  return (uint32_t)q->blk_hwm++;
}

static inline void blk_release(sim_event_queue *q, uint32_t b) {
  q->blk[b].next = q->blk_free;
  q->blk_free = b;
  q->blk_used--;
}

static inline bool bucket_needs_block(const qbucket *bk) {
  return bk->blk == NIL || bk->n == BLOCK_ITEMS;
}

/* Appends an event to a bucket; a block must be reserved if
 * bucket_needs_block(bk). */
static inline void bucket_add(sim_event_queue *q, qbucket *bk, double t, uint64_t seq,
                              sim_event *ev) {
  uint32_t b = bk->blk, i = bk->n;
  if (b == NIL || i == BLOCK_ITEMS) {
    uint32_t nb = blk_alloc(q);
    if (b == NIL) {
      q->blk[nb].next = nb;
    } else {
      q->blk[nb].next = q->blk[b].next; /* the oldest */
      q->blk[b].next = nb;
    }
    bk->blk = b = nb;
    i = 0;
  }
  q->blk[b].item[i].time = t;
  q->blk[b].item[i].seq = seq;
  q->blk[b].item[i].ev = ev;
  bk->n = i + 1;
  ev->pos = b * BLOCK_ITEMS + i;
}

/* Bucket of time t in rung rg: non-decreasing in t, clamped into range. */
static inline uint32_t rung_bucket(const rung *rg, double t) {
  double x = (t - rg->start) * rg->inv;
  if (!(x < rg->nbd)) return rg->nb - 1;
  return x > 0 ? (uint32_t)x : 0;
}

static int bot_reserve(sim_event_queue *q, size_t n) {
  if (n <= q->bot_cap) return 0;
  size_t cap = q->bot_cap * 2;
  if (cap < n) cap = n;
  qentry *p = realloc(q->bot, cap * sizeof *p);
  if (!p) return -1;
  q->bot = p;
  q->bot_cap = cap;
  return 0;
}

/* An empty queue forgets its structure (whatever is left in buckets was
 * removed), so blocks and the ladder start afresh. */
static void reset(sim_event_queue *q) {
  q->nstage = 0;
  q->blk_hwm = 0;
  q->blk_used = 0;
  q->blk_free = NIL;
  q->top.blk = NIL;
  q->top.n = 0;
  q->top_bound = -INFINITY;
  q->nrungs = 0;
  q->bot_head = q->bot_tail = 0;
  q->bot_limit = BOTTOM_LIMIT;
}

sim_event_queue *sim_event_queue_create(size_t capacity_hint) {
  sim_event_queue *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  if (capacity_hint == 0) capacity_hint = DEFAULT_CAPACITY;
  if (capacity_hint > MAX_BLOCKS) capacity_hint = MAX_BLOCKS;
  reset(q);
  if (bot_reserve(q, capacity_hint) != 0 || blk_reserve(q, capacity_hint / BLOCK_ITEMS + 1) != 0) {
    sim_event_queue_free(q);
    return NULL;
  }
  return q;
}

void sim_event_queue_free(sim_event_queue *q) {
  if (!q) return;
  for (unsigned r = 0; r < MAX_RUNGS; r++) free(q->rungs[r].bucket);
  free(q->blk);
  free(q->bot);
  free(q);
}

size_t sim_event_queue_size(const sim_event_queue *q) { return q->size; }

/* ---- moving events down the ladder ------------------------------------ */

/* Turns the (non-empty) bottom into a new lowest rung spanning [lo, hi].
 * Returns false, leaving bottom as it was, when the span cannot be split
 * (all times equal, or not finite), the ladder is full or memory is short:
 * bottom then simply stays larger. */
static bool bottom_to_rung(sim_event_queue *q, double lo, double hi) {
  size_t n = q->bot_tail - q->bot_head;
  if (q->nrungs == MAX_RUNGS || !(lo < hi)) return false;
  double span = hi - lo;
  size_t nb = (size_t)((double)n / BUCKET_EVENTS);
  if (nb < 2) nb = 2;
  double inv = (double)nb / span;
  if (!isfinite(span) || !isfinite(inv) || !(inv > 0)) return false;
  /* Each non-empty bucket leaves at most one block partly filled. */
  if (blk_reserve(q, n / BLOCK_ITEMS + (n < nb ? n : nb)) != 0) return false;
  rung *rg = &q->rungs[q->nrungs];
  if (rg->bucket_cap < nb) {
    qbucket *b = malloc(nb * sizeof *b);
    if (!b) return false;
    free(rg->bucket);
    rg->bucket = b;
    rg->bucket_cap = nb;
  }
  rg->start = lo;
  rg->inv = inv;
  rg->nb = (uint32_t)nb;
  rg->nbd = (double)nb;
  rg->cur = 0;
  for (size_t i = 0; i < nb; i++) rg->bucket[i] = (qbucket){NIL, 0};
  for (size_t i = q->bot_head; i < q->bot_tail; i++) {
    const qentry *e = &q->bot[i];
    bucket_add(q, &rg->bucket[rung_bucket(rg, e->time)], e->time, e->seq, e->ev);
  }
  q->bot_head = q->bot_tail = 0;
  q->nrungs++;
  return true;
}

static inline void prefetch_block(const sim_event_queue *q, uint32_t b) {
  const char *p = (const char *)&q->blk[b];
  for (size_t off = 0; off < sizeof(qblock); off += CACHE_LINE) __builtin_prefetch(p + off);
}

/* Moves a bucket into the empty bottom, then sorts it or, if it is big
 * and spread out, refines it into a new rung.  Returns the latest time
 * moved (-INFINITY if the bucket held only removed events). */
static double bucket_to_bottom(sim_event_queue *q, qbucket *bk) {
  uint32_t newest = bk->blk, newest_n = bk->n;
  bk->blk = NIL;
  bk->n = 0;
  qentry *out = q->bot;
  size_t n = 0;
  double lo = INFINITY, hi = -INFINITY;
  uint32_t b = q->blk[newest].next; /* the oldest */
  for (;;) {
    qblock *bl = &q->blk[b];
    uint32_t next = bl->next, cnt = b == newest ? newest_n : BLOCK_ITEMS;
    if (b != newest) prefetch_block(q, next);
    for (uint32_t i = 0; i < cnt; i++) {
      sim_event *ev = bl->item[i].ev;
      if (!ev) continue;
      /* The slot must not name ev once it has left (see remove). */
      bl->item[i].ev = NULL;
      /* The caller will touch ev soon; fetch it without waiting for it. */
      __builtin_prefetch(ev, 1);
      double t = bl->item[i].time;
      out[n].time = t;
      out[n].seq = bl->item[i].seq;
      out[n].ev = ev;
      lo = t < lo ? t : lo;
      hi = t > hi ? t : hi;
      n++;
    }
    blk_release(q, b);
    if (b == newest) break;
    b = next;
  }
  q->bot_head = 0;
  q->bot_tail = n;
  /* A bottom that could not be split (say, thousands of equal times) is
   * only re-examined after doubling, so inserts stay amortised O(1). */
  q->bot_limit = n > BOTTOM_LIMIT / 2 ? 2 * n : BOTTOM_LIMIT;
  if (n > SPLIT_THRESHOLD && bottom_to_rung(q, lo, hi)) return hi;
  sort_entries(out, n);
  return hi;
}

/* Files the staged events into their buckets.  Batching lets the misses
 * on bucket headers and blocks overlap instead of stalling each push. */
static void flush_stage(sim_event_queue *q) {
  size_t n = q->nstage;
  for (size_t i = 0; i < n; i++) {
    const qbucket *bk = q->stage[i].bk;
    if (bk->blk != NIL && bk->n < BLOCK_ITEMS) __builtin_prefetch(&q->blk[bk->blk].item[bk->n], 1);
  }
  for (size_t i = 0; i < n; i++) {
    const qstaged *s = &q->stage[i];
    if (s->ev) bucket_add(q, s->bk, s->time, s->seq, s->ev);
  }
  q->nstage = 0;
}

/* Makes bottom non-empty unless the queue is empty. */
static void refill(sim_event_queue *q) {
  flush_stage(q);
  while (q->bot_head == q->bot_tail) {
    if (q->nrungs == 0) {
      /* Ladder and bottom are empty: all of top comes down.  From now on
       * top takes only what is later than everything that came down. */
      if (q->top.blk == NIL) return;
      double hi = bucket_to_bottom(q, &q->top);
      if (hi > q->top_bound) q->top_bound = hi;
      continue;
    }
    rung *rg = &q->rungs[q->nrungs - 1];
    uint32_t b = rg->cur;
    while (b < rg->nb && rg->bucket[b].blk == NIL) b++;
    if (b == rg->nb) {
      q->nrungs--; /* served out */
      continue;
    }
    /* Blocks are scattered through the pool: start fetching a later
     * bucket now, so its miss overlaps the work on this one. */
    if (b + PREFETCH_AHEAD < rg->nb && rg->bucket[b + PREFETCH_AHEAD].blk != NIL)
      prefetch_block(q, rg->bucket[b + PREFETCH_AHEAD].blk);
    rg->cur = b + 1;
    bucket_to_bottom(q, &rg->bucket[b]);
  }
}

/* ---- bottom ----------------------------------------------------------- */

/* Inserts into the sorted bottom, shifting whichever side is shorter
 * (events at the current time land near the front, later ones near the
 * back, so both ends stay cheap). */
static void bottom_insert(sim_event_queue *q, const qentry *e) {
  size_t lo = q->bot_head, hi = q->bot_tail;
  /* First entry greater than e, so equal keys keep insertion order. */
  if (lo < hi && !entry_less(e, &q->bot[hi - 1])) {
    lo = hi;
  } else {
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (entry_less(e, &q->bot[mid]))
        hi = mid;
      else
        lo = mid + 1;
    }
  }
  size_t p = lo;
  /* bot_cap > count, so at least one end has room. */
  if (q->bot_head > 0 && (p - q->bot_head < q->bot_tail - p || q->bot_tail == q->bot_cap)) {
    memmove(&q->bot[q->bot_head - 1], &q->bot[q->bot_head], (p - q->bot_head) * sizeof *e);
    q->bot_head--;
    q->bot[p - 1] = *e;
  } else {
    memmove(&q->bot[p + 1], &q->bot[p], (q->bot_tail - p) * sizeof *e);
    q->bot_tail++;
    q->bot[p] = *e;
  }
  e->ev->pos = POS_BOTTOM;
  size_t n = q->bot_tail - q->bot_head;
  if (n > q->bot_limit) {
    /* Too many events crowd the span being served: give them a rung. */
    if (!bottom_to_rung(q, q->bot[q->bot_head].time, q->bot[q->bot_tail - 1].time))
      q->bot_limit = 2 * n; /* cannot split: look again after doubling */
  }
}

/* Removes bot[p], closing the gap from the shorter side. */
static void bottom_erase(sim_event_queue *q, size_t p) {
  if (p - q->bot_head < q->bot_tail - 1 - p) {
    memmove(&q->bot[q->bot_head + 1], &q->bot[q->bot_head], (p - q->bot_head) * sizeof *q->bot);
    q->bot_head++;
  } else {
    memmove(&q->bot[p], &q->bot[p + 1], (q->bot_tail - 1 - p) * sizeof *q->bot);
    q->bot_tail--;
  }
}

/* ---- API -------------------------------------------------------------- */

int sim_event_queue_push(sim_event_queue *q, sim_event *ev) {
  if (ev->pos != SIM_EVENT_NOT_QUEUED) return -1; /* already queued */
  if (q->size == 0) reset(q);
  if (bot_reserve(q, q->size + 1) != 0) return -1;
  double t = ev->time;
  qbucket *bk = NULL;
  if (t > q->top_bound) {
    bk = &q->top;
  } else {
    for (unsigned r = 0; r < q->nrungs; r++) {
      rung *rg = &q->rungs[r];
      uint32_t b = rung_bucket(rg, t);
      if (b >= rg->cur) {
        bk = &rg->bucket[b];
        break;
      }
    }
  }
  if (bk) {
    if (blk_reserve(q, 1) != 0) return -1; /* for when it is filed */
    if (q->nstage == STAGE_ITEMS) flush_stage(q);
    __builtin_prefetch(bk, 1);
    qstaged *s = &q->stage[q->nstage];
    s->time = t;
    s->seq = ev->seq;
    s->ev = ev;
    s->bk = bk;
    ev->pos = (uint32_t)(POS_STAGE + q->nstage++);
  } else {
    qentry e = {t, ev->seq, ev};
    bottom_insert(q, &e);
  }
  q->size++;
  return 0;
}

sim_event *sim_event_queue_pop_min(sim_event_queue *q) {
  if (q->size == 0) return NULL;
  if (q->bot_head == q->bot_tail) refill(q);
  sim_event *ev = q->bot[q->bot_head++].ev;
  ev->pos = SIM_EVENT_NOT_QUEUED;
  q->size--;
  return ev;
}

sim_event *sim_event_queue_peek_min(const sim_event_queue *q) {
  if (q->size == 0) return NULL;
  if (q->bot_head == q->bot_tail) {
    /* Refilling bottom moves events between internal lists but changes
     * neither the set nor its order, so peek stays logically const.  A
     * queue only ever comes from sim_event_queue_create (never a const
     * object), so writing through the cast is defined. */
    refill((sim_event_queue *)q);
  }
  return q->bot[q->bot_head].ev;
}

int sim_event_queue_remove(sim_event_queue *q, sim_event *ev) {
  uint32_t pos = ev->pos;
  if (pos == SIM_EVENT_NOT_QUEUED) return -1;
  if (pos >= POS_STAGE && pos < POS_BOTTOM) {
    qstaged *s = &q->stage[pos - POS_STAGE];
    if (pos - POS_STAGE >= q->nstage || s->ev != ev) return -1; /* not ours */
    s->ev = NULL;
    goto removed;
  }
  if (pos < POS_STAGE) {
    /* A bucket slot.  Serving a bucket clears its slots but leaves the
     * events' pos alone (so as not to touch them), so a slot that no
     * longer names ev means ev has moved on to bottom. */
    size_t b = pos / BLOCK_ITEMS, i = pos % BLOCK_ITEMS;
    if (b < q->blk_hwm && q->blk[b].item[i].ev == ev) {
      q->blk[b].item[i].ev = NULL; /* skipped when its bucket is served */
      goto removed;
    }
  }
  /* In bottom: binary search on the event's key, then walk the run of
   * equal keys (duplicates are possible if a caller reuses seq). */
  qentry e = {ev->time, ev->seq, ev};
  size_t lo = q->bot_head, hi = q->bot_tail;
  while (lo < hi) { /* first entry not less than e */
    size_t mid = lo + (hi - lo) / 2;
    if (entry_less(&q->bot[mid], &e))
      lo = mid + 1;
    else
      hi = mid;
  }
  while (lo < q->bot_tail && q->bot[lo].ev != ev && !entry_less(&e, &q->bot[lo])) lo++;
  if (lo == q->bot_tail || q->bot[lo].ev != ev) return -1; /* not ours, or key changed */
  bottom_erase(q, lo);
removed:
  ev->pos = SIM_EVENT_NOT_QUEUED;
  q->size--;
  return 0;
}
