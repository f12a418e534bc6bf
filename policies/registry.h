/* policies/registry.h - the look-ups every registry of type objects offers.
 *
 * REGISTRY_LOOKUPS(prefix, type, list) defines, for a static array `list`
 * of pointers to `type` (each with a `name`):
 *   const type *prefix_at(size_t i);        the i-th type, NULL past the end
 *   const char *prefix_name_at(size_t i);   its name (the config schema's choices)
 *   const type *prefix_find(const char *);  by name, NULL when unknown
 */
#ifndef BURNSIM_REGISTRY_H
#define BURNSIM_REGISTRY_H

#include <stddef.h>
#include <string.h>

#define REGISTRY_LOOKUPS(prefix, type, list)                                   \
  const type *prefix##_at(size_t i) {                                          \
    return i < sizeof list / sizeof list[0] ? list[i] : NULL;                  \
  }                                                                            \
  const char *prefix##_name_at(size_t i) {                                     \
    const type *t = prefix##_at(i);                                            \
    return t ? t->name : NULL;                                                 \
  }                                                                            \
  const type *prefix##_find(const char *name) {                                \
    for (size_t i = 0; prefix##_at(i); i++)                                    \
      if (strcmp(prefix##_at(i)->name, name) == 0) return prefix##_at(i);      \
    return NULL;                                                               \
  }

#endif
