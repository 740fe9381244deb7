#!/usr/bin/env bash
# Executes every notebook here headlessly against the package in ../../artifacts and fails if any cell fails, or if a
# notebook that draws charts does not show them inline.
# Needs `dotnet pack LabelFlip.Core -c Release -o artifacts` (from the repository root) and `dotnet tool restore`.
# Executed copies go to ../../artifacts/notebooks/; the committed notebooks stay without outputs.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
out=$root/artifacts/notebooks
mkdir -p "$out"

version=$(dotnet msbuild "$root/LabelFlip.Core/LabelFlip.Core.csproj" -getProperty:Version)
[[ -f $root/artifacts/LabelFlip.Core.$version.nupkg ]] ||
  { echo "run-notebooks: no artifacts/LabelFlip.Core.$version.nupkg; run 'dotnet pack LabelFlip.Core -c Release -o artifacts' first" >&2; exit 1; }

# .NET Interactive remembers where a `#r "nuget: ..."` line resolved to (~/.packagemanagement/nuget/Cache, keyed by
# the line's text) and reuses that path while it exists: a LabelFlip.Core of the same version restored earlier on
# this machine would stand in for the one packed now. Start without that memory.
rm -rf "${HOME:?}/.packagemanagement/nuget/Cache"

command -v jq >/dev/null || { echo "run-notebooks: needs jq, to read the executed notebooks' outputs" >&2; exit 1; }
# The code cells' text, and the SVG charts among the executed notebook's display outputs (HTML or SVG).
code_text='[.cells[] | select(.cell_type == "code") | .source | if type == "array" then join("") else . end] | join("\n")'
svg_outputs='[.cells[].outputs[]? | select(.output_type == "display_data" or .output_type == "execute_result")
  | .data["text/html"], .data["image/svg+xml"] | select(. != null) | if type == "array" then join("") else . end
  | select(contains("<svg"))] | length'

status=0
for notebook in *.ipynb; do
  # The notebooks load the version we ship, and carry no stale outputs.
  if ! grep -q "#r \\\\\"nuget: LabelFlip.Core, $version\\\\\"" "$notebook"; then
    echo "run-notebooks: $notebook does not reference LabelFlip.Core $version" >&2; status=1; continue
  fi
  if grep -q '"output_type"' "$notebook"; then
    echo "run-notebooks: $notebook is committed with outputs; clear them" >&2; status=1; continue
  fi

  executed=$out/$notebook
  rm -f "$executed"
  echo "run-notebooks: $notebook"
  if ! dotnet tool run dotnet-repl --run "$notebook" --exit-after-run --output-path "$executed" < /dev/null; then
    echo "run-notebooks: $notebook: dotnet-repl failed" >&2; status=1
  fi
  # A failing cell does not always change the exit code: read the executed notebook.
  if [[ ! -s $executed ]]; then
    echo "run-notebooks: $notebook: no executed notebook was written" >&2; status=1
  elif grep -q '"output_type": *"error"' "$executed"; then
    echo "run-notebooks: $notebook: a cell failed:" >&2
    grep -o '"evalue": *"[^"]*' "$executed" | head -5 >&2
    status=1
  else
    # A notebook that draws charts shows them inline, one SVG display output per chart drawn at least, rather than
    # only writing files.
    charts=$(jq -r "$code_text" "$notebook" | grep -Eo '\b(SweepPlots|DrawPlots)\.[A-Za-z]+\(' | wc -l || true)
    shown=$(jq "$svg_outputs" "$executed")
    if (( shown < charts )); then
      echo "run-notebooks: $notebook: draws $charts chart(s) but shows $shown SVG output(s)" >&2; status=1
    elif (( charts > 0 )); then
      echo "run-notebooks: $notebook: shows $shown SVG chart(s) inline"
    fi
  fi
done
exit $status
