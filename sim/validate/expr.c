/* sim/validate/expr.c - parsing and evaluating a check's expression (recursive descent). */
#include "validate/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum node_kind { N_NUM, N_STR, N_NAME, N_CALL, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV } node_kind;

struct val_expr {
  node_kind kind;
  double num;
  char *text; /* N_STR, N_NAME, N_CALL */
  val_expr *kids[VAL_EXPR_MAX_ARGS];
  size_t n_kids;
};

typedef struct parser {
  const char *text, *p;
  char *why;
  size_t n;
  int failed;
  int depth;
} parser;

enum { MAX_DEPTH = 64 };

static void fail(parser *ps, const char *what) {
  if (ps->failed) return;
  ps->failed = 1;
  snprintf(ps->why, ps->n, "%s at character %zu of \"%s\"", what, (size_t)(ps->p - ps->text) + 1, ps->text);
}

static void skip(parser *ps) {
  while (isspace((unsigned char)*ps->p)) ps->p++;
}

static val_expr *node(parser *ps, node_kind k) {
  val_expr *e = calloc(1, sizeof *e);
  if (!e) fail(ps, "out of memory");
  if (e) e->kind = k;
  return e;
}

void val_expr_free(val_expr *e) {
  if (!e) return;
  for (size_t i = 0; i < e->n_kids; i++) val_expr_free(e->kids[i]);
  free(e->text);
  free(e);
}

static val_expr *parse_sum(parser *ps);

static int is_name_char(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static val_expr *parse_primary(parser *ps) {
  skip(ps);
  if (++ps->depth > MAX_DEPTH) {
    fail(ps, "nested too deeply");
    return NULL;
  }
  val_expr *e = NULL;
  if (*ps->p == '(') {
    ps->p++;
    e = parse_sum(ps);
    skip(ps);
    if (*ps->p != ')') fail(ps, "expected ')'");
    else ps->p++;
  } else if (*ps->p == '"') {
    const char *start = ++ps->p;
    while (*ps->p && *ps->p != '"') ps->p++;
    if (*ps->p != '"') {
      fail(ps, "a string without its closing '\"'");
    } else if ((e = node(ps, N_STR))) {
      e->text = strndup(start, (size_t)(ps->p - start));
      if (!e->text) fail(ps, "out of memory");
      ps->p++;
    }
  } else if (isdigit((unsigned char)*ps->p) || *ps->p == '.') {
    char *end;
    double v = strtod(ps->p, &end);
    if (end == ps->p) {
      fail(ps, "expected a number");
    } else if ((e = node(ps, N_NUM))) {
      e->num = v;
      ps->p = end;
    }
  } else if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
    const char *start = ps->p;
    while (is_name_char(*ps->p)) ps->p++;
    char *name = strndup(start, (size_t)(ps->p - start));
    skip(ps);
    if (!name) {
      fail(ps, "out of memory");
    } else if (*ps->p == '(') {
      ps->p++;
      if ((e = node(ps, N_CALL))) {
        e->text = name;
        name = NULL;
        skip(ps);
        if (*ps->p == ')') {
          ps->p++;
        } else {
          for (;;) {
            if (e->n_kids == VAL_EXPR_MAX_ARGS) {
              fail(ps, "too many arguments");
              break;
            }
            e->kids[e->n_kids++] = parse_sum(ps);
            if (ps->failed) break;
            skip(ps);
            if (*ps->p == ',') {
              ps->p++;
              continue;
            }
            if (*ps->p == ')') {
              ps->p++;
              break;
            }
            fail(ps, "expected ',' or ')'");
            break;
          }
        }
      }
    } else if ((e = node(ps, N_NAME))) {
      e->text = name;
      name = NULL;
    }
    free(name);
  } else {
    fail(ps, *ps->p ? "unexpected character" : "unexpected end");
  }
  ps->depth--;
  return e;
}

static val_expr *parse_unary(parser *ps) {
  skip(ps);
  if (*ps->p == '-') {
    ps->p++;
    if (++ps->depth > MAX_DEPTH) {
      fail(ps, "nested too deeply");
      return NULL;
    }
    val_expr *e = node(ps, N_NEG);
    if (e) {
      e->kids[e->n_kids++] = parse_unary(ps);
    }
    ps->depth--;
    return e;
  }
  return parse_primary(ps);
}

static val_expr *binary(parser *ps, node_kind k, val_expr *a, val_expr *b) {
  val_expr *e = node(ps, k);
  if (!e) {
    val_expr_free(a);
    val_expr_free(b);
    return NULL;
  }
  e->kids[0] = a;
  e->kids[1] = b;
  e->n_kids = 2;
  return e;
}

static val_expr *parse_product(parser *ps) {
  val_expr *e = parse_unary(ps);
  for (;;) {
    skip(ps);
    if (ps->failed || (*ps->p != '*' && *ps->p != '/')) return e;
    node_kind k = *ps->p++ == '*' ? N_MUL : N_DIV;
    e = binary(ps, k, e, parse_unary(ps));
  }
}

static val_expr *parse_sum(parser *ps) {
  val_expr *e = parse_product(ps);
  for (;;) {
    skip(ps);
    if (ps->failed || (*ps->p != '+' && *ps->p != '-')) return e;
    node_kind k = *ps->p++ == '+' ? N_ADD : N_SUB;
    e = binary(ps, k, e, parse_product(ps));
  }
}

val_expr *val_expr_parse(const char *text, char *why, size_t n) {
  parser ps = {.text = text, .p = text, .why = why, .n = n};
  val_expr *e = parse_sum(&ps);
  skip(&ps);
  if (!ps.failed && *ps.p) fail(&ps, "unexpected text");
  if (!ps.failed && e && e->kind == N_STR) fail(&ps, "a string is not a number");
  if (ps.failed || !e) {
    if (!ps.failed) snprintf(why, n, "cannot parse \"%s\"", text);
    val_expr_free(e);
    return NULL;
  }
  return e;
}

int val_expr_eval(const val_expr *e, const val_expr_env *env, double *out, char *why, size_t n) {
  double a = 0, b = 0;
  switch (e->kind) {
  case N_NUM: *out = e->num; return 0;
  case N_STR: snprintf(why, n, "the string \"%s\" is not a number", e->text); return -1;
  case N_NAME: return env->name(env->ctx, e->text, out, why, n);
  case N_CALL: {
    val_arg args[VAL_EXPR_MAX_ARGS];
    for (size_t i = 0; i < e->n_kids; i++) {
      args[i].str = e->kids[i]->kind == N_STR ? e->kids[i]->text : NULL;
      args[i].num = NAN;
      if (!args[i].str && val_expr_eval(e->kids[i], env, &args[i].num, why, n) != 0) return -1;
    }
    return env->call(env->ctx, e->text, args, e->n_kids, out, why, n);
  }
  case N_NEG:
    if (val_expr_eval(e->kids[0], env, &a, why, n) != 0) return -1;
    *out = -a;
    return 0;
  default: break;
  }
  if (val_expr_eval(e->kids[0], env, &a, why, n) != 0 || val_expr_eval(e->kids[1], env, &b, why, n) != 0) return -1;
  switch (e->kind) {
  case N_ADD: *out = a + b; break;
  case N_SUB: *out = a - b; break;
  case N_MUL: *out = a * b; break;
  default: *out = a / b; break; /* a division by 0 gives inf or nan, which the verdict fails */
  }
  return 0;
}

void val_expr_visit(const val_expr *e, void (*visit)(void *ctx, const char *name, int is_call), void *ctx) {
  if (!e) return;
  if (e->kind == N_NAME || e->kind == N_CALL) visit(ctx, e->text, e->kind == N_CALL);
  for (size_t i = 0; i < e->n_kids; i++) val_expr_visit(e->kids[i], visit, ctx);
}
