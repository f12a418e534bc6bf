/* sim/validate/expr.h - the small arithmetic a validation check is written in.
 *
 * A check's quantity is an expression such as
 *     mean_queue_jobs / admitted_rate_x_wait
 *     top_agent_tokens / ((tokens_useful + tokens_burn) / agents)
 *     week_share(1)
 *     rental_usd_per_mtok("llama-70b", 2.69)
 * numbers, "strings" (only as arguments), names, function calls, + - * /,
 * unary minus and parentheses.  What a name or a function means is up to
 * the environment that evaluates it (measure.h): a column of a run's
 * summary, a figure of the cost model, a closed form.
 */
#ifndef BURNSIM_VALIDATE_EXPR_H
#define BURNSIM_VALIDATE_EXPR_H

#include <stddef.h>

typedef struct val_expr val_expr;

/* An argument of a call: a number, or a string literal (str not NULL). */
typedef struct val_arg {
  double num;
  const char *str;
} val_arg;

#define VAL_EXPR_MAX_ARGS 8

typedef struct val_expr_env {
  void *ctx;
  /* The value of a name.  Returns 0, or -1 with the reason in why. */
  int (*name)(void *ctx, const char *name, double *out, char *why, size_t n);
  /* The value of a call.  Returns 0, or -1 with the reason in why. */
  int (*call)(void *ctx, const char *fn, const val_arg *args, size_t nargs, double *out, char *why, size_t n);
} val_expr_env;

/* Parses text.  Returns the expression, or NULL with the reason in why
 * (naming the position). */
val_expr *val_expr_parse(const char *text, char *why, size_t n);
void val_expr_free(val_expr *e);

/* Evaluates e in env.  Returns 0, or -1 with the reason in why. */
int val_expr_eval(const val_expr *e, const val_expr_env *env, double *out, char *why, size_t n);

/* Calls visit for every name and every function e uses (is_call set for a
 * function), e.g. to tell whether it needs a run. */
void val_expr_visit(const val_expr *e, void (*visit)(void *ctx, const char *name, int is_call), void *ctx);

#endif
