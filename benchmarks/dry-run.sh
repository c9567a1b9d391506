#!/usr/bin/env bash
# Every benchmark of the suite once, with BenchmarkDotNet's dry job: proves the benchmarks still build,
# set up and run (CI calls this), measures nothing. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project benchmarks/EnergyRegression.Benchmarks -- --filter '*' --job dry "$@"
# The seeds' CNN in a bare TorchSharp loop, a few steps (benchmarks/torch-train.sh runs it with the chain and PyTorch).
dotnet run -c Release --no-build --project benchmarks/EnergyRegression.Benchmarks -- torch-loop --steps 3
# The HDF5 table against h5py on a small table, once (benchmarks/hdf5-table.sh with its defaults measures).
benchmarks/hdf5-table.sh 20000 1 > /dev/null
