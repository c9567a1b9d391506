#!/usr/bin/env bash
# ROOT read throughput per codec: EnergyRegression.Root against the codec alone on the same baskets, and
# against JSROOT on the same files and branches. See benchmarks/README.md ("ROOT reading").
#
#   benchmarks/root-read.sh            # about a minute on 2 cores
#
# Times are CPU time (user + system, all threads of the process), so MB/s are per core and other work on a
# shared machine does not count. Nothing is pinned: on one CPU the .NET JIT waits ten times longer before
# optimizing hot code, which made pinned runs measure half-compiled code.
# Environment: ROOT_READ_BUDGET (seconds per measured quantity, default 0.25), ROOT_READ_JSROOT_BUDGET
# (seconds of JSROOT runs per workload, at least 3 runs, default 0.5), ENERGYREG_ROOT_TESTDATA
# (default ../shared/testdata/root from the repository root).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
budget="${ROOT_READ_BUDGET:-0.25}"
jsroot_budget="${ROOT_READ_JSROOT_BUDGET:-0.5}"
jsroot_dir="tests/oracles/jsroot/node_modules/jsroot"

if [[ ! -d "$jsroot_dir" ]]; then
    echo "root-read.sh: $jsroot_dir is missing (npm ci in tests/oracles/jsroot)" >&2
    exit 1
fi

echo "# building benchmarks/EnergyRegression.Benchmarks (Release)" >&2
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
bench=(dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll root-read)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"${bench[@]}" --workloads >"$tmp/workloads.tsv"

echo "# timing JSROOT $(node -p "require('./$jsroot_dir/package.json').version") on node $(node --version)" >&2
node benchmarks/root-read-jsroot.mjs "$tmp/workloads.tsv" --budget "$jsroot_budget" >"$tmp/jsroot.tsv"
if grep -q $'\tNaN\t' "$tmp/jsroot.tsv"; then
    echo "# JSROOT could not read:" >&2
    grep $'\tNaN\t' "$tmp/jsroot.tsv" | cut -f1,6 >&2
fi

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${bench[@]}" --jsroot "$tmp/jsroot.tsv" --budget "$budget"

echo
echo "# the same ZSTD reads with the managed decoder (ENERGYREG_ZSTD=managed), codec-only with it too"
ENERGYREG_ZSTD=managed "${bench[@]}" --codecs zstd --jsroot "$tmp/jsroot.tsv" --budget "$budget" --no-decoders | grep '^[#|]' | grep -v '^# MB\|^#   \|^# ours\|^# wall'
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
