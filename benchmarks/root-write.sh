#!/usr/bin/env bash
# ROOT write throughput per codec, side by side with the codec alone on the same baskets.
# Usage: benchmarks/root-write.sh [REPEATS]   (default 5; takes about a minute on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -v quiet -nologo | grep -E "error|warn" && exit 1 || true
dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll root-write "${1:-5}"
