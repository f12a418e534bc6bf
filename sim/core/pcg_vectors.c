/* sim/core/pcg_vectors.c - the PCG reference test procedure and its vector files. */
#include "core/pcg_vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pcg_vector_kinds[PCG_VECTOR_KINDS] = {"raw", "again", "coins", "rolls", "cards"};
enum { K_RAW, K_AGAIN, K_COINS, K_ROLLS, K_CARDS };

/* Appends to a record; *overflow is set once it no longer fits. */
static void put(char *rec, int *overflow, const char *fmt, ...) {
  size_t len = strlen(rec);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(rec + len, PCG_VECTOR_LEN - len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= PCG_VECTOR_LEN - len) *overflow = 1;
}

static void put_hex(char *rec, int *overflow, uint64_t v, int width) {
  put(rec, overflow, "%s0x%0*" PRIx64, *rec ? " " : "", width / 4, v);
}

static uint64_t next32(void *c) { return pcg32_next(c); }
static uint64_t bounded32(void *c, uint64_t b) { return pcg32_bounded(c, (uint32_t)b); }
static void back32(void *c) { pcg32_advance(c, UINT64_C(0) - 6); }
static uint64_t next64(void *c) { return pcg64_next(c); }
static uint64_t bounded64(void *c, uint64_t b) { return pcg64_bounded(c, b); }
static void back64(void *c) { pcg64_advance(c, (pcg128_t)0 - 6); }

pcg_vector_gen pcg_vector_gen_pcg32(pcg32_t *state) {
  pcg32_seed(state, 42, 54);
  return (pcg_vector_gen){32, state, next32, bounded32, back32};
}

pcg_vector_gen pcg_vector_gen_pcg64(pcg64_t *state) {
  pcg64_seed(state, 42, 54);
  return (pcg_vector_gen){64, state, next64, bounded64, back64};
}

int pcg_vectors_make(const pcg_vector_gen *g, pcg_vector_records out) {
  static const char rank[] = "A23456789TJQK", suit[] = "hcds";
  int overflow = 0;
  for (int round = 0; round < PCG_VECTOR_ROUNDS; round++) {
    char(*rec)[PCG_VECTOR_LEN] = out[round];
    for (int k = 0; k < PCG_VECTOR_KINDS; k++) rec[k][0] = '\0';
    for (int i = 0; i < 6; i++) put_hex(rec[K_RAW], &overflow, g->next(g->ctx), g->width);
    g->back6(g->ctx);
    for (int i = 0; i < 6; i++) put_hex(rec[K_AGAIN], &overflow, g->next(g->ctx), g->width);
    for (int i = 0; i < 65; i++) put(rec[K_COINS], &overflow, "%c", g->bounded(g->ctx, 2) != 0 ? 'H' : 'T');
    for (int i = 0; i < 33; i++) put(rec[K_ROLLS], &overflow, "%s%d", i ? " " : "", (int)g->bounded(g->ctx, 6) + 1);
    int deck[52];
    for (int i = 0; i < 52; i++) deck[i] = i;
    for (int i = 52; i > 1; i--) {
      int c = (int)g->bounded(g->ctx, (uint64_t)i), t = deck[c];
      deck[c] = deck[i - 1];
      deck[i - 1] = t;
    }
    for (int i = 0; i < 52; i++)
      put(rec[K_CARDS], &overflow, "%s%c%c", i ? " " : "", rank[deck[i] / 4], suit[deck[i] % 4]);
  }
  return overflow ? -1 : 0;
}

static void report(void (*problem)(void *, int, const char *), void *ctx, int line, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (problem) problem(ctx, line, what);
}

int pcg_vectors_read(const char *path, int width, pcg_vector_records out,
                     void (*problem)(void *ctx, int line, const char *what), void *ctx) {
  memset(out, 0, sizeof(pcg_vector_records));
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[4096];
  int lineno = 0, records = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (!strchr(line, '\n') && !feof(f)) {
      report(problem, ctx, lineno, "line too long");
      break;
    }
    char *save = NULL, *end, *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok || tok[0] == '#') continue;
    long round = strtol(tok, &end, 10);
    if (*end || round < 1 || round > PCG_VECTOR_ROUNDS) {
      report(problem, ctx, lineno, "bad round '%s'", tok);
      continue;
    }
    tok = strtok_r(NULL, " \t\r\n", &save);
    int kind = 0;
    while (kind < PCG_VECTOR_KINDS && !(tok && strcmp(tok, pcg_vector_kinds[kind]) == 0)) kind++;
    if (kind == PCG_VECTOR_KINDS) {
      report(problem, ctx, lineno, "unknown record kind '%s'", tok ? tok : "");
      continue;
    }
    char canon[PCG_VECTOR_LEN] = "";
    int overflow = 0;
    while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
      if (kind == K_RAW || kind == K_AGAIN) {
        errno = 0;
        unsigned long long x = strtoull(tok, &end, 16);
        if (errno || *end || (width == 32 && x > UINT32_MAX)) {
          report(problem, ctx, lineno, "bad hex value '%s'", tok);
          continue;
        }
        put_hex(canon, &overflow, (uint64_t)x, width);
      } else {
        put(canon, &overflow, "%s%s", *canon ? " " : "", tok);
      }
    }
    if (overflow) {
      report(problem, ctx, lineno, "record too long");
      continue;
    }
    if (out[round - 1][kind][0]) {
      report(problem, ctx, lineno, "duplicate record %ld %s", round, pcg_vector_kinds[kind]);
      continue;
    }
    memcpy(out[round - 1][kind], canon, sizeof canon);
    records++;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    errno = EIO;
    return -1;
  }
  return records;
}
