#!/usr/bin/env bash
# Runs the C# benchmarks (BenchmarkDotNet), the paired network ratios (AutoGrad.Benchmarks --paired) and the PyTorch
# peer in one go, then prints one side-by-side table and writes bench/results/compare.json and bench/RESULTS.md.
# PyTorch is optional: without it its columns are empty.
#
#   bench/compare.sh           full BenchmarkDotNet runs (tens of minutes)
#   bench/compare.sh --quick   short runs, under five minutes; noisier
#   bench/compare.sh --quick --filter '*Lstm*'   extra arguments go to BenchmarkDotNet (default filter: '*')
# A run with arguments for BenchmarkDotNet measures only some rows: it writes bench/results/filtered/ and leaves the
# committed bench/results/compare.json and bench/RESULTS.md (a full run's) alone.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
bdn_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) mode=quick ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) bdn_args+=("$1") ;;
    esac
    shift
done
results=bench/results
markdown=bench/RESULTS.md
if [ ${#bdn_args[@]} -gt 0 ]; then
    results=bench/results/filtered   # ignored by .gitignore
    markdown=$results/RESULTS.md
    mkdir -p "$results"
fi
# Without a filter BenchmarkDotNet asks which benchmarks to run, on a console nobody reads (its output goes to run.log).
case " ${bdn_args[*]-} " in
    *" --filter "*|*" -f "*|*" --filter="*|*" -f="*) ;;
    *) bdn_args+=(--filter '*') ;;
esac
quick_flag=()
if [ "$mode" = quick ]; then
    quick_flag=(--quick)
fi

start=$(date +%s)
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
artifacts=bench/results/BenchmarkDotNet.Artifacts   # ignored by .gitignore
rm -rf "$artifacts"
mkdir -p "$artifacts"

echo "== building bench/AutoGrad.Benchmarks (Release)"
dotnet build bench/AutoGrad.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly

echo "== running BenchmarkDotNet ($mode); log: $artifacts/run.log"
if ! dotnet bench/AutoGrad.Benchmarks/bin/Release/net10.0/AutoGrad.Benchmarks.dll "${quick_flag[@]}" \
        --artifacts "$artifacts" "${bdn_args[@]}" > "$artifacts/run.log" 2>&1; then
    tail -n 40 "$artifacts/run.log"
    echo "compare.sh: BenchmarkDotNet failed (see $artifacts/run.log)" >&2
    exit 1
fi
grep -E '^Global total time' "$artifacts/run.log" || true
if ! find "$artifacts" -name '*-report-full.json' | grep -q .; then
    echo "compare.sh: BenchmarkDotNet ran no benchmark (does the filter match any? see $artifacts/run.log); nothing written" >&2
    exit 1
fi

echo "== measuring paired ratios (generated/hand-written, probe overhead) in one process"
# The same environment as the BenchmarkDotNet job (BenchConfig.cs): one core's worth of runtime threads, tier-up by counts.
DOTNET_PROCESSOR_COUNT=1 DOTNET_TC_CallCountingDelayMs=0 dotnet bench/AutoGrad.Benchmarks/bin/Release/net10.0/AutoGrad.Benchmarks.dll \
    --paired "${quick_flag[@]}" --out "$artifacts/paired.json" > /dev/null ||
    { echo "compare.sh: the paired run failed; BenchmarkDotNet's reports are in $artifacts, unmerged" >&2; exit 1; }

# Debian's torch is installed for the system interpreter; fall back to whatever python3 is on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
echo "== running the PyTorch peer ($python)"
"$python" bench/peers/pytorch_mlp.py "${quick_flag[@]}" --out "$artifacts/pytorch.json" > /dev/null ||
    { echo "compare.sh: the PyTorch peer failed; BenchmarkDotNet's reports are in $artifacts, unmerged" >&2; exit 1; }

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# The previous run's outputs do not make the measured code "uncommitted".
if ! git diff --quiet HEAD -- . ':!bench/RESULTS.md' ':!bench/results' 2>/dev/null; then
    commit="$commit (with uncommitted changes)"
fi
echo "== merging"
"$python" bench/merge.py --bdn "$artifacts" --pytorch "$artifacts/pytorch.json" --paired "$artifacts/paired.json" \
    --out "$results/compare.json" \
    --markdown "$markdown" --notes bench/NOTES.md --commit "$commit" --mode "$mode" --load-before "$load_before" ||
    { echo "compare.sh: merging failed; the measurements are in $artifacts" >&2; exit 1; }
echo
echo "wrote $results/compare.json and $markdown in $(( $(date +%s) - start )) s"
