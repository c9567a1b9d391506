#!/usr/bin/env bash
# Publishes energyreg self-contained for linux-x64 (no .NET install needed where it runs) with its built-in plugins,
# and packs it as one tarball for grid jobs: energyreg submit ... --transfer-tool artifacts/energyreg-linux-x64.tar.gz
# (docs/grid.md). The tarball's top level holds the 'energyreg' executable, the plugins/ directory and packages/: the
# plugin authors' packages (EnergyRegression.Abstractions, EnergyRegression.Testing, EnergyRegression.Templates; docs/plugins.md),
# which also land in artifacts/packages.
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
# The plugin authors' packages: into artifacts/packages (the template there defaults to that folder) and into the tarball
# (its template has no default folder: pass --package-source or set ENERGYREG_PACKAGES to the unpacked packages/).
for project in src/EnergyRegression.Abstractions src/EnergyRegression.Testing templates/EnergyRegression.Templates.csproj; do
    dotnet pack "$project" -c Release -nologo -clp:ErrorsOnly -v:quiet -o artifacts/packages
done
mkdir -p "$publish/packages"
cp artifacts/packages/EnergyRegression.Abstractions.*.nupkg artifacts/packages/EnergyRegression.Testing.*.nupkg "$publish/packages/"
dotnet pack templates/EnergyRegression.Templates.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet -o "$publish/packages" \
    -p:BakePackageSource=false -p:BakedTemplateJson="$repo/artifacts/obj/unbaked-template.json"
mkdir -p "$(dirname "$tarball")"
tar -czf "$tarball.partial" -C "$publish" . && mv "$tarball.partial" "$tarball"
printf '%s (%s)\n' "$tarball" "$(du -h "$tarball" | cut -f1)"
