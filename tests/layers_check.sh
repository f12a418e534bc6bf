#!/bin/sh
# Module layering: every #include "..." in sim/ and policies/ must be an
# arrow that docs/architecture.md allows (table layers-allowed) or lists as
# pending (table layers-pending); every pending row must still exist; and no
# header may include itself transitively.  POSIX sh + awk only.
# Usage: layers_check.sh SOURCE_DIR
set -eu
root=${1:-.}
cd "$root"
doc=docs/architecture.md
[ -f "$doc" ] || { echo "layers: expected $doc in $root, found none" >&2; exit 2; }
files=$(find sim policies -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
# shellcheck disable=SC2086
awk -v doc="$doc" '
function module_of(p,   parts, n) {
  n = split(p, parts, "/")
  if (parts[1] == "policies") return "policies"
  if (n == 2) { sub(/\.[ch]$/, "", parts[2]); return parts[2] }
  return parts[2]
}
function fail(msg) { print "layers: " msg; failures++ }
BEGIN { for (i = 1; i < ARGC; i++) if (ARGV[i] != doc) known[ARGV[i]] = 1 }
FILENAME == doc && /^```/ { table = ($0 ~ /^```layers-allowed/) ? "allowed" : ($0 ~ /^```layers-pending/) ? "pending" : ""; next }
FILENAME == doc && table == "allowed" && NF {
  m = $1; sub(/:$/, "", m); declared[m] = 1; allowed_text[m] = ""
  for (i = 2; i <= NF; i++) { allowed[m, $i] = 1; allowed_text[m] = allowed_text[m] " " $i }
  next
}
FILENAME == doc && table == "pending" && NF {
  # from -> to: file include
  key = $4 SUBSEP $5; pending[key] = $1 " -> " $3; sub(/:$/, "", pending[key]); next
}
FILENAME == doc { next }
/^[ \t]*#[ \t]*include[ \t]*"/ {
  inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
  n_inc++; inc_file[n_inc] = FILENAME; inc_line[n_inc] = FNR; inc_name[n_inc] = inc
}
END {
  for (i = 1; i <= n_inc; i++) {
    f = inc_file[i]; inc = inc_name[i]; where = f ":" inc_line[i] ": #include \"" inc "\""
    if (("sim/" inc) in known) target = "sim/" inc
    else if (inc in known) target = inc
    else { fail(where ": names no file under sim/ or the top of the tree"); continue }
    from = module_of(f); to = module_of(target)
    if (f ~ /\.h$/ && target ~ /\.h$/) { hdeg[f]++; hadj[f, hdeg[f]] = target }
    if (from == to) continue
    if (!(from in declared)) { fail(where ": module " from " has no row in " doc " table layers-allowed"); continue }
    if ((from, to) in allowed) continue
    if ((f, inc) in pending) { seen[f, inc] = 1; continue }
    fail(where ": " from " may not depend on " to " (" from " may use:" (allowed_text[from] == "" ? " nothing" : allowed_text[from]) "; " doc ")")
  }
  for (key in pending) if (!(key in seen)) {
    split(key, kp, SUBSEP)
    fail("pending arrow " pending[key] " (" kp[1] " includes \"" kp[2] "\") no longer exists: remove its row from " doc)
  }
  # Header cycles, by depth-first search over header -> header includes.
  for (h in hdeg) if (!color[h]) visit(h)
  if (failures) { print "layers: " failures " problem(s)"; exit 1 }
  print "layers: " n_inc " includes checked, no forbidden arrow, no header cycle"
}
function visit(h,   i, t, j, cycle) {
  color[h] = 1; stack[++depth] = h
  for (i = 1; i <= hdeg[h]; i++) {
    t = hadj[h, i]
    if (color[t] == 1) {
      cycle = ""
      for (j = 1; j <= depth; j++) if (stack[j] == t) break
      for (; j <= depth; j++) cycle = cycle stack[j] " -> "
      fail("header cycle: " cycle t)
    } else if (!color[t]) visit(t)
  }
  depth--; color[h] = 2
}
' "$doc" $files
