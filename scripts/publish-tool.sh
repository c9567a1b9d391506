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
build=$repo/artifacts/publish-build/energyreg/
rm -rf "$publish"
# A build of its own (ToolDir): a linux-x64 build must not overwrite the Release tool folder that tests and users run.
# It assembles the plugins next to the tool (ToolDir/plugins), built for linux-x64 too; then the tool is published.
dotnet publish src/EnergyRegression.Cli -c Release -r linux-x64 --self-contained -nologo -clp:ErrorsOnly -v:quiet \
    -p:ToolDir="$build" -o "$publish"
cp -r "$build/plugins" "$publish/plugins"
mkdir -p "$(dirname "$tarball")"
tar -czf "$tarball.partial" -C "$publish" . && mv "$tarball.partial" "$tarball"
printf '%s (%s)\n' "$tarball" "$(du -h "$tarball" | cut -f1)"
