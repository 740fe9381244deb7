#!/usr/bin/env bash
# Runs every file-based C# script here with `dotnet run` against the package in ../../artifacts and fails if a script
# fails to build (a warning counts), exits non-zero, misses a line it must print, or ran a LabelFlip.Core other than
# the one packed now. Needs `dotnet pack LabelFlip.Core -c Release -o artifacts` (from the repository root).
# Each script's console output goes to ../../artifacts/scripts/<script>.txt, the sweep's files to .../scripts/sweep/.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
out=$root/artifacts/scripts
mkdir -p "$out"

version=$(dotnet msbuild "$root/LabelFlip.Core/LabelFlip.Core.csproj" -getProperty:Version)
package=$root/artifacts/LabelFlip.Core.$version.nupkg
[[ -f $package ]] ||
  { echo "run-scripts: no artifacts/LabelFlip.Core.$version.nupkg; run 'dotnet pack LabelFlip.Core -c Release -o artifacts' first" >&2; exit 1; }
command -v unzip >/dev/null || { echo "run-scripts: needs unzip, to compare the library a script ran with the package" >&2; exit 1; }
packed=$(mktemp)
trap 'rm -f "$packed"' EXIT
unzip -p "$package" lib/net10.0/LabelFlip.Core.dll > "$packed"

# What each script must print, one extended regular expression per line, each matching a whole line of its output.
# Every script also prints "LabelFlip.Core <informational version>" of the library it loaded; that is checked for all.
# The numbers pinned here are deterministic (same seed, same bits on every machine).
declare -A expected arguments
expected[sweep.cs]='28 runs, fingerprint [0-9a-f]{16}
28 runs in [0-9.]+ s on [0-9]+ threads?
width 32 .*
width 128 .*
Findings:
Larger models more sensitive .*: (yes|no|inconclusive|not applicable) — .*
accuracy_vs_poison\.svg +[0-9,]+ bytes
chart: .*/accuracy_vs_poison\.svg'
arguments[sweep.cs]=$out/sweep
expected[building-blocks.cs]='500 rows × 10 features, 5 classes; 350 train / 150 test; per class: 100, 100, 100, 100, 100
70 of 350 training labels flipped; the first ten:
same test accuracy as by hand: True; same final loss: True
threshold \(accuracy 0\.555\): 33\.02% exact, 33\.05% on the study.s grid'

status=0
fail() { echo "run-scripts: $script: $*" >&2; status=1; }

for script in *.cs; do
  # A script loads the version we ship, and one that nothing here checks is a script nobody runs.
  references=$(grep -E '^#:package +LabelFlip\.Core([@ ]|$)' "$script" || true)
  if [[ $references != "#:package LabelFlip.Core@$version" ]]; then
    fail "must reference the package as exactly one line '#:package LabelFlip.Core@$version'; it has: ${references:-none}"; continue
  fi
  if [[ -z ${expected[$script]:-} ]]; then
    fail "run-scripts.sh names no lines it must print; add them to 'expected'"; continue
  fi

  # A file-based program's build is cached per file (under ~/.local/share/dotnet/runfile/ with the .NET 10 SDK) and
  # reused while the file, its directives and the build files beside it are unchanged: the cache does not look at the
  # package, so a build against a LabelFlip.Core of the same version packed earlier would stand in for the one packed
  # now, without even a restore. Drop that build, and have `dotnet run` build anew regardless (--no-cache).
  # Restore first: the cached build's assets file names the package folder of the run that made it (an isolated
  # NUGET_PACKAGES since deleted, in CI), and `dotnet clean` fails on packages it cannot find there (NETSDK1064).
  log=$out/${script%.cs}.txt
  if ! { dotnet restore "$script" && dotnet clean "$script"; } > "$log" 2>&1; then
    cat "$log" >&2; fail "dotnet restore or dotnet clean failed"; continue
  fi
  args=()
  if [[ -n ${arguments[$script]:-} ]]; then
    rm -rf "${arguments[$script]}"
    args=(-- "${arguments[$script]}")
  fi
  echo "run-scripts: dotnet run $script ${args[*]}"
  if ! dotnet run --no-cache "$script" "${args[@]}" < /dev/null 2>&1 | tee "$log"; then
    fail "dotnet run failed (exit code ${PIPESTATUS[0]})"; continue
  fi

  # Warnings are errors in this repository, but not every warning goes through the compiler.
  if grep -E ': warning [A-Z]+[0-9]+' "$log" | grep -v ': warning NU1900' >&2; then
    fail "the build warned"
  fi
  grep -Eqx "LabelFlip\.Core ${version//./\\.}(\+[0-9a-f]+)?" "$log" ||
    fail "did not print 'LabelFlip.Core $version': it loaded another version, or did not say which"
  while IFS= read -r line; do
    grep -Eqx -- "$line" "$log" || fail "no line of its output matches: $line"
  done <<< "${expected[$script]}"

  # The library it ran with is the one in the package packed now, byte for byte.
  # A LabelFlip.Core of this version restored earlier into the same NUGET_PACKAGES folder would stand in for it.
  target=$(dotnet build "$script" -getProperty:TargetDir)
  if ! cmp -s "$packed" "${target%/}/LabelFlip.Core.dll"; then
    fail "ran with ${target%/}/LabelFlip.Core.dll, which is not the one in $package (restore into an empty NUGET_PACKAGES)"
  fi
done

# The sweep's charts were written, and are SVG.
for chart in accuracy_vs_poison generalization_gap train_vs_test; do
  file=$out/sweep/$chart.svg
  script=sweep.cs
  [[ -s $file ]] && grep -q '^<svg' "$file" && grep -q '</svg>' "$file" || fail "wrote no SVG chart to $file"
done
exit $status
