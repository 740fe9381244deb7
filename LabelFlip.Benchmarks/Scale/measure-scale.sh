#!/usr/bin/env bash
# Peak memory and time of the main job against the number of runs: the study's design (9 poison fractions × 3 widths
# × 3 seeds = 81 runs a data draw) over D data draws (data.seed 1..D), for each D given, measured with /usr/bin/time -v.
# Prints a Markdown table: runs, wall time, CPU time (user + system), CPU per run, maximum resident set size.
#
#   LabelFlip.Benchmarks/Scale/measure-scale.sh [--epochs N] [--threads N] [--keep DIR] DRAWS...
#   e.g. measure-scale.sh --epochs 2 25 124 371 1235     # 2,025 / 10,044 / 30,051 / 100,035 runs
#
# Few epochs measure the memory quickly (it does not depend on them); the study's 200 epochs measure the real time.
# Build first: dotnet build samples/LabelFlip.Sweep -c Release. Needs GNU time (/usr/bin/time, package "time").
set -euo pipefail
epochs=200
threads=""
keep=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads="--threads $2"; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "name at least one number of data draws" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
program="$root/samples/LabelFlip.Sweep/bin/Release/net10.0/labelflip-sweep"
[[ -x $program ]] || { echo "build the main job first: dotnet build samples/LabelFlip.Sweep -c Release" >&2; exit 2; }
work=${keep:-$(mktemp -d)}
mkdir -p "$work"

echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u '+%Y-%m-%d %H:%M UTC'); $epochs epochs"
echo
echo "| data draws | runs | wall time | CPU time | CPU per run | max RSS |"
echo "|---:|---:|---:|---:|---:|---:|"
for draws in "$@"; do
  out="$work/draws-$draws"
  rm -rf "$out"
  # shellcheck disable=SC2086
  /usr/bin/time -v "$program" --data-seeds "$(seq -s, 1 "$draws")" --epochs "$epochs" --quick --quiet $threads \
    --out "$out" > "$out.stdout" 2> "$out.time" || { echo "draws $draws failed: see $out.time" >&2; exit 1; }
  runs=$((draws * 81))
  awk -v draws="$draws" -v runs="$runs" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "| %d | %d | %.1f s | %.1f s | %.3f ms | %.0f MB |\n", draws, runs, wall, cpu, cpu * 1000 / runs, rss }' "$out.time"
done
[[ -n $keep ]] || rm -rf "$work"
