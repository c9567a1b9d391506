#!/usr/bin/env bash
# Sets the machine up (idempotent), builds in Release and runs the whole test suite. .ci/run calls exactly this.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$repo"
"$repo/scripts/setup.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
set +e
dotnet test EnergyRegression.sln -c Release --no-build "$@" 2>&1 | tee artifacts/test.log
rc=${PIPESTATUS[0]}
set -e
# One closing line over all test projects: "N passed, N failed, N skipped".
awk '/^(Passed!|Failed!)/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test.log
exit "$rc"
