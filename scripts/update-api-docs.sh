#!/usr/bin/env bash
# Regenerates docs/api, the API reference of EnergyRegression.Abstractions and EnergyRegression.Testing, from their
# assemblies and XML documentation (tools/EnergyRegression.ApiDocs). Run it after changing a public member or its doc
# comment; the test ApiReferenceTests fails while docs/api differs from what the build generates. Also rewrites the code
# blocks of docs/plugins/*.md that show a template file whole (PluginPagesTests fails while they differ).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tools/EnergyRegression.ApiDocs -c Release -nologo -clp:ErrorsOnly -v:quiet
dotnet tools/EnergyRegression.ApiDocs/bin/Release/net10.0/EnergyRegression.ApiDocs.dll docs/api --examples docs/plugins
