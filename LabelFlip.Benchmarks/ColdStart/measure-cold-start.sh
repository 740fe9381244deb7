#!/usr/bin/env bash
# The main job's cold start: its two published forms, the portable one (ReadyToRun, `dotnet publish`) and the native
# one (Native AOT, `dotnet publish -p:PublishAot=true`), run from the command line in alternation, N rounds each,
# measured with /usr/bin/time -v. Prints a Markdown table: wall time, CPU time (user + system), maximum resident set
# size and the sweep's own time (performance.json), each as the range over the rounds; then checks that both forms
# wrote the same results.json.
#
#   LabelFlip.Benchmarks/ColdStart/measure-cold-start.sh [--rounds N] [--full] [--threads N]
#
# --quick is measured unless --full (the whole default run with its robustness section). Publishes into a temporary
# folder first (the native form needs clang: apt-get install clang). Needs GNU time (/usr/bin/time, package "time").
# The VM's speed drifts between minutes: alternating keeps the two forms' rounds side by side.
set -euo pipefail
rounds=5
mode=(--quick)
threads=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --full) mode=(); shift ;;
    --threads) threads=(--threads "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/samples/LabelFlip.Sweep" -c Release -o "$work/portable" -nologo -v q > "$work/publish.log" 2>&1 ||
  { cat "$work/publish.log" >&2; exit 1; }
dotnet publish "$root/samples/LabelFlip.Sweep" -c Release -p:PublishAot=true -o "$work/native" -nologo -v q > "$work/publish.log" 2>&1 ||
  { cat "$work/publish.log" >&2; exit 1; }

what=${mode[*]:-the whole default run}
[[ ${#threads[@]} -eq 0 ]] || what="$what, ${threads[*]}"
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); $what; $rounds rounds"
echo
for ((round = 1; round <= rounds; round++)); do
  for form in portable native; do
    out="$work/out-$form"
    rm -rf "$out"
    /usr/bin/time -v "$work/$form/labelflip-sweep" "${mode[@]}" "${threads[@]}" --quiet --out "$out" > /dev/null 2> "$work/time" ||
      { cat "$work/time" >&2; exit 1; }
    sweep=$(grep -o '"total_time_seconds": [0-9.]*' "$out/performance.json" | cut -d' ' -f2)
    awk -v form="$form" -v sweep="$sweep" -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
      /User time/ { cpu += $2 } /System time/ { cpu += $2 }
      /Maximum resident set size/ { rss = $2 / 1024 }
      END { printf "%s %.2f %.2f %.0f %.3f\n", form, wall, cpu, rss, sweep }' "$work/time" >> "$work/rounds"
  done
  cmp -s "$work/out-portable/results.json" "$work/out-native/results.json" ||
    { echo "round $round: the two forms wrote different results.json" >&2; exit 1; }
done

echo "| form | wall time | CPU time | max RSS | its sweep |"
echo "|---|---:|---:|---:|---:|"
for form in portable native; do
  awk -v form="$form" '
    $1 == form { for (i = 2; i <= 5; i++) { if (!(i in lo) || $i < lo[i]) lo[i] = $i; if (!(i in hi) || $i > hi[i]) hi[i] = $i } }
    END { printf "| %s | %.2f–%.2f s | %.2f–%.2f s | %.0f–%.0f MB | %.3f–%.3f s |\n", form, lo[2], hi[2], lo[3], hi[3], lo[4], hi[4], lo[5], hi[5] }' "$work/rounds"
done
echo
echo "Both forms wrote the same results.json in every round."
