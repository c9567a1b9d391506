#!/usr/bin/env bash
# Runs energyreg, setting the machine up and building the tool first when needed (first run, or
# sources changed since the last build). Usage: ./energyreg.sh run configs/quickstart.yaml
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool="$repo/artifacts/Release/energyreg/energyreg.dll"
stamp="$repo/artifacts/.setup-stamp"
if [ ! -f "$tool" ] || [ ! -f "$stamp" ] || \
   [ -n "$(find "$repo/src" "$repo/plugins" "$repo"/Directory.*.props -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit 2>/dev/null)" ]; then
    SETUP_SKIP_ORACLES=1 "$repo/scripts/setup.sh"
fi
exec dotnet "$tool" "$@"
