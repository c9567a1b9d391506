#!/usr/bin/env bash
# Simulator throughput (events/s) on one thread and on all cores, per setting.
# Usage: benchmarks/simulate.sh [REPEATS]   (default 5; about a minute on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -v quiet -nologo | grep -E "error|warn" && exit 1 || true
dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll simulate "${1:-5}"
