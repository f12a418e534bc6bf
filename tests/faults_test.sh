#!/usr/bin/env bash
# tests/faults_test.sh - end-to-end checks that faults and hostile input
# never crash burnsim, hang it, make it write outside its folder or destroy
# a user's files: malformed CSV files, unsafe scenario names, --force on
# folders burnsim did not write, symbolic links, concurrent runs, kill -9
# and a rerun, signals while setting up and while gnuplot hangs, and a full
# disk (a small tmpfs where this machine can mount one, else `ulimit -f`).
# usage: faults_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"

cluster=$src/scenarios/cluster.cfg
quick=$src/scenarios/quickstart.cfg
declare -A scenario_of=([run]=$quick [compare]=$src/scenarios/compare_kpi.cfg)
short=(--set days=2 --no-plot)
org=(--set days=3 --set org.agents=60 --set org.teams=4)
leftovers() { # leftovers DIR...: staging folders, partial files or moved-aside folders
  find "$@" -maxdepth 2 \( -name '*.partial*' -o -name '*.replaced*' \) -print 2>/dev/null | grep -q .
}
no_leftovers() { ! leftovers "$@"; }
# Seconds since the epoch, with a fraction.
now() { date +%s.%N; }
within() { # within SECONDS START: less than SECONDS have passed since START
  awk -v s="$1" -v t0="$2" -v t1="$(now)" 'BEGIN { exit !(t1 - t0 < s) }'
}
in_dir() { (cd "$1" && shift && exec "$@"); } # in_dir DIR COMMAND...
wait_for() { # wait_for PATTERN: until a path matching PATTERN exists (at most 10 s)
  local i
  for i in $(seq 200); do compgen -G "$1" >/dev/null && return 0; sleep 0.05; done
  return 1
}

# ---- malformed CSV files are located errors, never a crash -------------------------
exit_code 0 "$burnsim" run "$cluster" "${short[@]}" -o "$work/good"
cp -r "$work/good" "$work/open_quote"
printf '1,"never closed\n' >>"$work/open_quote/summary.csv"
for cmd in report plot; do
  exit_code 2 "$burnsim" "$cmd" "$work/open_quote"
  check "$cmd: an unterminated quote is located" grep -q 'summary.csv:4: a quoted field is not closed' "$logs/err"
done

# ---- the scenario name is a safe folder name ---------------------------------------
mkdir -p "$work/cwd/sub"
for name in '../../outside' '' '.' '..' 'a/b' 'a,\"b' 'two\nlines'; do
  exit_code 2 in_dir "$work/cwd/sub" "$burnsim" run "$cluster" "${short[@]}" --set "name=\"$name\""
  check "name \"$name\" is refused at its key" grep -q 'name: expected a folder name' "$logs/err"
  check "name \"$name\": the message is one line per error" test "$(wc -l <"$logs/err")" = 2
done
check "no name wrote anything" test -z "$(ls -A "$work/cwd/sub")"
check "no name escaped the working folder" test -z "$(ls -A "$work/cwd" | grep -v '^sub$')"

# ---- --force replaces only a folder burnsim wrote, all of it -----------------------
mkdir -p "$work/project/src"
echo 'int main(void) { return 0; }' >"$work/project/src/main.c"
echo 'name = "mine";' >"$work/project/manifest.cfg"
for cmd in run compare; do
  exit_code 2 "$burnsim" "$cmd" "${scenario_of[$cmd]}" "${org[@]}" --reps 2 --no-plot -o "$work/project" --force
  check "$cmd --force: a folder with a manifest.cfg of its own is not replaced" test -s "$work/project/src/main.c"
  check "$cmd --force: says it is not burnsim's" grep -q 'not a burnsim results folder' "$logs/err"
done
# A real results folder with a user's file added is not burnsim's alone.
exit_code 0 "$burnsim" run "$cluster" "${short[@]}" -o "$work/added"
mkdir "$work/added/notes" && echo precious >"$work/added/notes/todo.txt"
for cmd in run compare; do
  exit_code 2 "$burnsim" "$cmd" "${scenario_of[$cmd]}" "${org[@]}" --reps 2 --no-plot -o "$work/added" --force
  check "$cmd --force: a results folder holding a user's files is not replaced" grep -q precious "$work/added/notes/todo.txt"
  check "$cmd --force: names what burnsim did not write" grep -q 'notes' "$logs/err"
done
# A forged manifest does not make a folder burnsim's either.
mkdir -p "$work/forged/src" && cp "$work/good/manifest.cfg" "$work/forged/" && echo keep >"$work/forged/src/a.c"
exit_code 2 "$burnsim" run "$cluster" "${short[@]}" -o "$work/forged" --force
check "a copied manifest does not make a folder replaceable" test -s "$work/forged/src/a.c"
check "no folder was moved aside or staged" no_leftovers "$work"
# A campaign folder is replaced whole, and the earlier one only once the new one is complete.
exit_code 0 "$burnsim" run "$quick" "${org[@]}" --reps 2 --no-plot -o "$work/camp"
exit_code 0 "$burnsim" run "$quick" "${org[@]}" --reps 2 --no-plot --seed 9 -o "$work/camp" --force
check "run --reps --force replaced the campaign" grep -q '^master_seed = 9L;' "$work/camp/manifest.cfg"
check "and removed the earlier one" no_leftovers "$work"

# ---- symbolic links ------------------------------------------------------------------
exit_code 0 "$burnsim" run "$cluster" "${short[@]}" -o "$work/real"
ln -s real "$work/link"
exit_code 0 "$burnsim" run "$cluster" "${short[@]}" --seed 5 -o "$work/link" --force
check "--force through a link replaces the folder it points to" grep -q '^seed = 5L;' "$work/real/manifest.cfg"
check "and keeps the link" test -L "$work/link"
check "and leaves nothing aside" no_leftovers "$work"
ln -s nowhere "$work/dangling"
exit_code 2 "$burnsim" run "$cluster" "${short[@]}" -o "$work/dangling" --force
check "a dangling link is refused" grep -q 'dangling.*link' "$logs/err"
check "and stays as it was" test -L "$work/dangling" -a ! -e "$work/nowhere"
# report reads only the folder's own files.
echo SECRET-TEXT >"$logs/secret.txt"
cp -r "$work/good" "$work/linked"
rm "$work/linked/scenario.cfg" && ln -s "$logs/secret.txt" "$work/linked/scenario.cfg"
exit_code 2 "$burnsim" report "$work/linked" --no-plot
check "report refuses a linked scenario.cfg" grep -q 'scenario.cfg is a symbolic link' "$logs/err"
check "and embeds nothing of it" test ! -e "$work/linked/report.html"
cp -r "$work/good" "$work/plotlink" && mkdir "$logs/elsewhere" && ln -s "$logs/elsewhere" "$work/plotlink/plots"
exit_code 2 "$burnsim" plot "$work/plotlink"
check "plot refuses a plots/ that is a link" grep -q 'plots is a symbolic link' "$logs/err"
check "and writes nothing where it points" test -z "$(ls -A "$logs/elsewhere")"
# report -o never overwrites a file without --force.
echo 'my page' >"$logs/page.html"
exit_code 2 "$burnsim" report "$work/good" --no-plot -o "$logs/page.html"
check "report -o refuses an existing file" grep -q 'my page' "$logs/page.html"
check "and says --force replaces it" grep -q 'already exists; pass --force' "$logs/err"
exit_code 0 "$burnsim" report "$work/good" --no-plot -o "$logs/page.html" --force
check "report -o FILE --force replaces it" grep -q '<html' "$logs/page.html"
exit_code 0 "$burnsim" report "$work/good" --no-plot
exit_code 0 "$burnsim" report "$work/good" --no-plot
check "the folder's own report.html is rewritten without --force" test -s "$work/good/report.html"

# ---- concurrent runs with no -o each get their own folder ---------------------------
mkdir "$work/busy"
pids=()
for i in 1 2 3; do
  (cd "$work/busy" && exec "$burnsim" run "$cluster" --set days=40 --no-plot -q) 2>"$logs/busy$i" &
  pids+=($!)
done
for i in 0 1 2; do
  wait "${pids[$i]}"
  rc=$?
  if [ "$rc" = 0 ]; then pass; else fail "concurrent run $((i + 1)) exit $rc"; cat "$logs/busy$((i + 1))"; fi
done
check "three concurrent runs: three complete folders" \
  test -s "$work/busy/results/cluster+days=40/summary.csv" -a -s "$work/busy/results/cluster+days=40-2/summary.csv" \
  -a -s "$work/busy/results/cluster+days=40-3/summary.csv"
check "three concurrent runs: nothing left over" no_leftovers "$work/busy/results"

# ---- kill -9, then the same command again -------------------------------------------
# (a long and a short cluster scenario by the same name, so that both take the
# default folder results/cluster without --set)
printf 'base: {\n  @include "%s"\n};\ndays = %s;\n' "$cluster" 400.0 >"$logs/cluster_long.cfg"
printf 'base: {\n  @include "%s"\n};\ndays = %s;\n' "$cluster" 2.0 >"$logs/cluster_short.cfg"
mkdir "$work/killed"
(cd "$work/killed" && exec "$burnsim" run "$logs/cluster_long.cfg" --no-plot -q) 2>/dev/null &
pid=$!
wait_for "$work/killed/results/cluster.partial*/manifest.cfg"
kill -9 "$pid"
{ wait "$pid"; } 2>/dev/null
check "kill -9 leaves a staging folder" leftovers "$work/killed/results"
exit_code 0 in_dir "$work/killed" "$burnsim" run "$logs/cluster_short.cfg" --no-plot -q
check "the rerun takes the name the killed run had" test -s "$work/killed/results/cluster/summary.csv"
check "and removes what the killed run left" no_leftovers "$work/killed/results"
"$burnsim" run "$cluster" --set days=400 --no-plot -q -o "$work/killed_o" 2>/dev/null &
pid=$!
wait_for "$work/killed_o.partial*/manifest.cfg"
kill -9 "$pid"
{ wait "$pid"; } 2>/dev/null
exit_code 0 "$burnsim" run "$cluster" "${short[@]}" -o "$work/killed_o"
check "with -o the rerun writes the folder" test -s "$work/killed_o/summary.csv"
check "and removes the staging folder" test -z "$(ls -d "$work"/killed_o.* 2>/dev/null)"
# A live run's staging folder is never removed by another run.
"$burnsim" run "$cluster" --set days=400 --no-plot -q -o "$work/live" 2>/dev/null &
pid=$!
wait_for "$work/live.partial*/manifest.cfg"
exit_code 2 "$burnsim" run "$cluster" "${short[@]}" -o "$work/live"
check "a second run into a folder being written is refused" grep -q 'another burnsim is writing' "$logs/err"
check "and the first one's staging folder is still there" leftovers "$work"/live.*
kill -INT "$pid"
{ wait "$pid"; } 2>/dev/null

# ---- signals are answered promptly -----------------------------------------------------
# While a large organisation sets up and runs its first day (minutes to finish).
big=(--set org.agents=2000000 --set org.teams=1000 --set days=30 --no-plot -o "$work/big")
"$burnsim" run "$quick" "${big[@]}" 2>"$logs/big_err" &
pid=$!
sleep 0.5
t0=$(now)
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 1 ]; then pass; else fail "SIGTERM while setting up: exit $rc, expected 1"; fi
check "SIGTERM while setting up is answered within 1 s" within 1 "$t0"
check "SIGTERM while setting up writes nothing" test ! -e "$work/big" -a -z "$(ls -d "$work"/big.* 2>/dev/null)"
"$burnsim" run "$quick" "${big[@]}" 2>"$logs/big_err" &
pid=$!
wait_for "$work/big.partial*/daily.csv"
sleep 1
t0=$(now)
kill -TERM "$pid"
wait "$pid"
check "SIGTERM while simulating is answered within 1 s" within 1 "$t0"
check "SIGTERM while simulating writes nothing" test ! -e "$work/big" -a -z "$(ls -d "$work"/big.* 2>/dev/null)"

# While gnuplot hangs: a time limit per figure, and SIGTERM stops it.
mkdir -p "$logs/hang"
# Each hanging gnuplot notes its process id (exec keeps it), so the check
# below looks at the processes burnsim started, not at the whole machine.
printf '#!/bin/sh\necho $$ >>"%s"\nexec sleep 29.75\n' "$logs/hang/pids" >"$logs/hang/gnuplot" && chmod +x "$logs/hang/gnuplot"
hang=(env "PATH=$logs/hang:$PATH" BURNSIM_GNUPLOT_TIMEOUT=1)
t0=$(now)
exit_code 0 "${hang[@]}" "$burnsim" run "$quick" "${org[@]}" -o "$work/hung"
check "a hanging gnuplot is stopped at its time limit" grep -q 'did not finish within 1 s' "$logs/err"
check "the run finishes soon after" within 12 "$t0"
check "its results are complete" test -s "$work/hung/summary.csv"
check "and it has no figure" test -z "$(ls "$work/hung/plots" 2>/dev/null)"
"${hang[@]}" BURNSIM_GNUPLOT_TIMEOUT=600 "$burnsim" run "$quick" "${org[@]}" -o "$work/hung_term" 2>"$logs/hung_err" &
pid=$!
wait_for "$work/hung_term.partial*/plots.partial*/*.log"
t0=$(now)
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 1 ]; then pass; else fail "SIGTERM while gnuplot hangs: exit $rc, expected 1"; fi
check "SIGTERM while gnuplot hangs is answered within 2 s" within 2 "$t0"
check "SIGTERM while gnuplot hangs writes nothing" test ! -e "$work/hung_term" -a -z "$(ls -d "$work"/hung_term.* 2>/dev/null)"
sleep 0.2
left_running() { # the hanging gnuplots that are still alive (not zombies)
  local pid
  while read -r pid; do
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q '^sleep 29.75'; then echo "$pid"; fi
  done <"$logs/hang/pids"
}
check "the hanging gnuplots ran" test -s "$logs/hang/pids"
check "no gnuplot is left running" test -z "$(left_running)"

# ---- a figure counts only when it is complete -------------------------------------------
# A gnuplot that writes the start of a PNG and says it succeeded.
mkdir -p "$logs/liar"
cat >"$logs/liar/gnuplot" <<'EOF'
#!/bin/sh
out=$(printf '%s\n' "$3" | sed -n "s/.*out='\([^']*\)'.*/\1/p")
fmt=$(printf '%s\n' "$3" | sed -n "s/.*fmt='\([^']*\)'.*/\1/p")
printf '\211PNG\r\n\032\n' >"$out/$(basename "$4" .gp).$fmt"
EOF
chmod +x "$logs/liar/gnuplot"
exit_code 0 env "PATH=$logs/liar:$PATH" "$burnsim" run "$quick" "${org[@]}" -o "$work/liar"
check "an incomplete figure is reported" grep -q 'waste.png was not drawn: .*incomplete' "$logs/err"
check "and not kept" test -z "$(ls "$work/liar/plots" 2>/dev/null)"
check "the results are complete" test -s "$work/liar/summary.csv"

# ---- a full disk --------------------------------------------------------------------------
# A small tmpfs in a private mount namespace (it vanishes with the test)
# where the machine allows; else a file size limit (`ulimit -f`), under
# which writes fail as they do on a full disk.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  on_small_disk() { # on_small_disk KiB COMMAND...: COMMAND with $work/full on a disk of that size
    local kib=$1; shift
    unshare -m bash -c 'mount -t tmpfs -o size="$0"k tmpfs "$1" && shift && "$@"' "$kib" "$work/full" "$@"
  }
  disk_full='no space left on device'
else
  on_small_disk() { local kib=$1; shift; bash -c 'trap "" XFSZ; ulimit -f "$0" && "$@"' $((kib / 8)) "$@"; }
  disk_full='file too large'
  echo "faults: no tmpfs here; a full disk is imitated with ulimit -f"
fi
mkdir -p "$work/full"
full_run() { # full_run KiB: quickstart into $work/full/q; exit status, messages and what is left in $logs
  on_small_disk "$1" bash -c '"$0" run "$1" --set days=20 --set org.agents=400 --set org.teams=8 -o "$2/q" 2>"$3/full_err"
    echo $? >"$3/full_rc"; ls -A "$2" >"$3/full_ls"; rm -f "$3/full_bad"
    for f in "$2"/q/plots/*.png; do
      [ -e "$f" ] && [ "$(tail -c 8 "$f" | od -An -tx1 | tr -d " \n")" != 49454e44ae426082 ] && echo "$f" >>"$3/full_bad"
    done; exit 0' "$burnsim" "$quick" "$work/full" "$logs"
}
if [ "$disk_full" = 'no space left on device' ]; then
  full_run 200
  check "figures on a full disk: the run fails" test "$(cat "$logs/full_rc")" = 1
  check "and says the disk is full" grep -qi "$disk_full" "$logs/full_err"
  check "and keeps no truncated figure" test ! -e "$logs/full_bad"
  check "and its results are complete" grep -q '^q$' "$logs/full_ls"
fi
full_run 40
check "results on a full disk: the run fails" test "$(cat "$logs/full_rc")" = 1
check "and says which file and why" grep -qi "cannot write .*\.csv: $disk_full" "$logs/full_err"
check "and leaves nothing" test ! -s "$logs/full_ls"

harness_done faults
