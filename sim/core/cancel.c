/* sim/core/cancel.c - the flag long loops poll. */
#include "core/cancel.h"

#include <stddef.h>

static const volatile sig_atomic_t *watched;

void sim_cancel_watch(const volatile sig_atomic_t *flag) {
  watched = flag;
}

int sim_cancelled(void) {
  return watched && *watched;
}
