#!/usr/bin/env bash
# Publishes energyreg self-contained for linux-x64 (no .NET install needed where it runs) with its built-in plugins,
# and packs it as one tarball for grid jobs: energyreg submit ... --transfer-tool artifacts/energyreg-linux-x64.tar.gz
# (docs/grid.md). The tarball's top level holds the 'energyreg' executable and the plugins/ directory.
#
#   scripts/publish-tool.sh [OUTPUT.tar.gz]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
tarball=${1:-artifacts/energyreg-linux-x64.tar.gz}
publish=artifacts/publish/energyreg-linux-x64
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$publish"
# The Release build assembles the plugins next to the tool (artifacts/Release/energyreg/plugins); publish the tool itself.
dotnet build src/EnergyRegression.Cli -c Release -nologo -clp:ErrorsOnly -v:quiet
dotnet publish src/EnergyRegression.Cli -c Release -r linux-x64 --self-contained -nologo -clp:ErrorsOnly -v:quiet -o "$publish"
cp -r artifacts/Release/energyreg/plugins "$publish/plugins"
mkdir -p "$(dirname "$tarball")"
tar -czf "$tarball.partial" -C "$publish" . && mv "$tarball.partial" "$tarball"
printf '%s (%s)\n' "$tarball" "$(du -h "$tarball" | cut -f1)"
