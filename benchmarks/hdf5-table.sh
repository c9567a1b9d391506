#!/usr/bin/env bash
# Issue 28's HDF5 speed case, side by side with h5py on the same file: a table of ROWS x 10 float32 columns
# (shuffle + gzip 4, chunked as h5py chooses) written by h5py, then, as whole commands (start-up included):
#   read:  a chain reading every column in batches of 10 000 rows through one filter that keeps nothing
#          (`energyreg run`) against h5py reading the same batches and applying the same cut;
#   dump:  `energyreg dump FILE` against h5py printing the same JSON Lines (benchmarks/hdf5-table.py dump).
# Prints seconds (best of REPEATS) and the ratio h5py / energyreg (> 1: energyreg is faster). Results in
# benchmarks/README.md ("HDF5 reading").
#
#   benchmarks/hdf5-table.sh [ROWS] [REPEATS]      # defaults 1000000 rows, best of 3
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rows="${1:-1000000}"
repeats="${2:-3}"
python=/usr/bin/python3
tool="dotnet $repo/artifacts/Release/energyreg/energyreg.dll"
[ -f artifacts/Release/energyreg/energyreg.dll ] || scripts/setup.sh >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" benchmarks/hdf5-table.py make "$tmp/table.h5" "$rows"
cat > "$tmp/chain.yaml" <<YAML
name: hdf5-table-benchmark
batch_size: 10000
reader:
  type: hdf5
  with:
    files: ["$tmp/table.h5"]
stages:
  - name: nothing
    type: filter
    with:
      expression: "c0 > 1e30"
writer:
  type: json
  with:
    path: $tmp/out.jsonl
YAML

best() { # best wall-clock seconds of REPEATS runs of a command (stdout discarded)
    local best_s="" start s
    for _ in $(seq "$repeats"); do
        start=$EPOCHREALTIME
        "$@" > /dev/null
        s=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; fi
    done
    printf '%.2f' "$best_s"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $rows rows x 10 float32 columns, shuffle + gzip 4, $(du -m "$tmp/table.h5" | cut -f1) MB; h5py $("$python" -c 'import h5py; print(h5py.__version__, "HDF5", h5py.version.hdf5_version)'); best of $repeats"
"$python" benchmarks/hdf5-table.py read "$tmp/table.h5" 10000 > /dev/null # warm the page cache
read_h5py=$(best "$python" benchmarks/hdf5-table.py read "$tmp/table.h5" 10000)
read_tool=$(best $tool run "$tmp/chain.yaml" --quiet)
dump_h5py=$(best "$python" benchmarks/hdf5-table.py dump "$tmp/table.h5")
dump_tool=$(best $tool dump "$tmp/table.h5")
printf 'task\th5py s\tenergyreg s\th5py/energyreg\n'
printf 'read (chain)\t%s\t%s\t%s\n' "$read_h5py" "$read_tool" "$(ratio "$read_h5py" "$read_tool")"
printf 'dump\t%s\t%s\t%s\n' "$dump_h5py" "$dump_tool" "$(ratio "$dump_h5py" "$dump_tool")"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
