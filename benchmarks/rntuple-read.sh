#!/usr/bin/env bash
# RNTuple against TTree read throughput: the same NanoAOD-like events written by this project as a TTree and as an
# RNTuple, per codec, read back in 10 000-entry chunks (every column, then one float column) by the managed ROOT
# library. Prints MB/s of payload per CPU second and the RNTuple/TTree time ratio. See benchmarks/README.md
# ("RNTuple reading").
#
#   benchmarks/rntuple-read.sh [EVENTS] [CODECS]     # defaults 200000 events, none,zlib,lz4,zstd; about two minutes
#
# Times are CPU time (user + system, all threads of the process), best of 7 samples, so other work on a shared
# machine counts less than in wall time; the load average is printed with the results anyway.
# Environment: RNTUPLE_READ_BUDGET (seconds per sample, default 1).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
events="${1:-200000}"
codecs="${2:-none,zlib,lz4,zstd}"
budget="${RNTUPLE_READ_BUDGET:-1}"

echo "# building benchmarks/EnergyRegression.Benchmarks (Release)" >&2
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll rntuple-read \
    --events "$events" --codecs "$codecs" --budget "$budget"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
