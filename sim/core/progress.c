/* sim/core/progress.c - where the event loop reports how far it has got. */
#include "core/progress.h"

#include <stddef.h>

static sim_progress_fn watcher;
static void *watcher_ctx;

void sim_progress_watch(sim_progress_fn fn, void *ctx) {
  watcher = fn;
  watcher_ctx = ctx;
}

void sim_progress_report(double now, double horizon) {
  if (watcher) watcher(now, horizon, watcher_ctx);
}
