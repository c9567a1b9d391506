#!/usr/bin/env bash
# Sets up a Debian 12 machine for EnergyRegression and builds the tool. Idempotent: a second run
# installs nothing and only rebuilds what changed. Used by both README commands (energyreg.sh, test.sh).
#
#   scripts/setup.sh            system packages, NuGet restore, Release build of the tool and tests
#   SETUP_SKIP_BUILD=1 ...      system packages only
#   SETUP_SKIP_ORACLES=1 ...    no npm test oracles (energyreg.sh: running the tool does not need them)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root for: $*  (run as root or install sudo)"; exit 1; fi
}

apt_updated=0
apt_update_once() {
    if [ "$apt_updated" -eq 0 ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
}

# Installs those of the Debian packages "$@" (after the reason, $1) that are not installed yet.
install_missing() {
    local why=$1 p status
    shift
    local missing=()
    for p in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]} ($why)"
        apt_update_once
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# --- system packages -------------------------------------------------------------------------
# fonts-dejavu-core: fonts for headless plots; binutils: not needed, we grep the library instead.
# hdf5-tools (h5dump) and python3-h5py (for /usr/bin/python3): independent HDF5 oracles of the tests
# and the h5py side of benchmarks/hdf5-read.sh; the tool itself needs neither. The HDF5 breadth corpus
# (tests/oracles/h5py/make_corpus.py) is written at test time by pandas and PyTables (python3-pandas,
# python3-tables) and h5py with the filter plugins Debian packages (python3-hdf5plugin; bzip2/lz4, blosc,
# lzf and zfp plugins) and python3-zstandard (zstd chunks).
apt_packages=(fonts-dejavu-core ca-certificates hdf5-tools python3-h5py python3-pandas python3-tables python3-hdf5plugin
    hdf5-filter-plugin hdf5-filter-plugin-blosc-serial hdf5-plugin-lzf hdf5-filter-plugin-zfp-serial python3-zstandard)
missing=()
for p in "${apt_packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    log "system packages: all present"
else
    log "installing ${missing[*]}"
    apt_update_once
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- TorchSharp on the system's own C++ runtime ------------------------------------------------------
# TorchSharp's native library asks for one GCC 13 libstdc++ version (GLIBCXX_3.4.32) for a symbol it never calls;
# Debian 12 has GCC 12's runtime. The build patches the tool's copy of libLibTorchSharp.so instead of changing the
# system (scripts/torchsharp-compat.sh, run by the tool's build and publish), with g++, patchelf, readelf (binutils)
# and python3 from this machine's own release. Nothing is installed from another Debian release.
install_missing "to run TorchSharp on the system's libstdc++" g++ patchelf binutils python3
# Earlier versions of this script added Debian trixie as an apt source and installed trixie's libstdc++6 and libc6.
# Say so once; undoing it is the administrator's call (docs/troubleshooting.md, "Machines set up by an older setup").
if [ -f /etc/apt/sources.list.d/energyreg-trixie.sources ] || [ -f /etc/apt/preferences.d/energyreg-trixie ]; then
    log "note: an older setup added the Debian trixie apt source (/etc/apt/sources.list.d/energyreg-trixie.sources);" \
        "it is no longer used: see docs/troubleshooting.md, 'Machines set up by an older setup', to remove it"
fi

# --- HTCondor for the grid tests -----------------------------------------------------------------------
# A personal HTCondor pool runs the grid tests (tests/EnergyRegression.EndToEnd.Tests/GridTests.cs). Debian 12 has no
# condor; scripts/setup-htcondor.sh unpacks trixie's minicondor and what it strictly needs — trixie's glibc included,
# used by condor's programs alone — into /opt/energyreg-htcondor-trixie, through an apt configuration of its own: the
# system's apt sources, packages and C library stay as they are (it explains how). A failure fails the setup: the grid
# tests need the pool. Skipped with the test oracles.
if [ "${SETUP_SKIP_ORACLES:-0}" != 1 ]; then
    "$repo/scripts/setup-htcondor.sh"
fi

# --- A clean grid node for the node tests ----------------------------------------------------------------
# tests/EnergyRegression.EndToEnd.Tests/NodeTests.cs runs the published tarball in HTCondor jobs inside a minimal Debian 12
# root (debootstrap --variant=minbase bookworm into /opt/energyreg-node-root, scripts/setup-node-root.sh) through
# bubblewrap, unprivileged. Both tools are Debian 12 packages; the root is built once. Skipped with the test oracles.
if [ "${SETUP_SKIP_ORACLES:-0}" != 1 ]; then
    install_missing "the clean grid node of the node tests" debootstrap bubblewrap
    as_root "$repo/scripts/setup-node-root.sh"
fi

# --- npm test oracles ------------------------------------------------------------------------------
# tests/oracles/jsroot: JSROOT (npm package jsroot, pinned in its package.json/package-lock.json), the
# ROOT team's JavaScript reader, used by the tests as an independent oracle for ROOT files. JSROOT 7
# needs node >= 18; Debian 12's nodejs package is 18.x, just enough, so apt is used only when node is
# missing altogether and an older node on PATH is an error. npm ci runs only when jsroot is not
# installed or package-lock.json changed since the last install (npm writes node_modules/.package-lock.json).
if [ "${SETUP_SKIP_ORACLES:-0}" = 1 ]; then
    log "test oracles skipped (SETUP_SKIP_ORACLES=1)"
else
    if ! command -v node >/dev/null; then
        log "installing nodejs npm (for the JSROOT test oracle)"
        apt_update_once
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    node_version=$(node --version 2>/dev/null || echo unknown)
    node_major=${node_version#v}
    node_major=${node_major%%.*}
    if ! [[ "$node_major" =~ ^[0-9]+$ ]] || [ "$node_major" -lt 18 ]; then
        log "node $node_version is too old: the JSROOT test oracle needs node >= 18 (put a newer node on PATH)"; exit 1
    fi
    if ! command -v npm >/dev/null; then
        log "node $node_version has no npm: install npm (apt-get install npm, or node's own distribution)"; exit 1
    fi
    # tests/oracles/jsonschema: Ajv (JSON Schema 2020-12) and yaml, pinned the same way, check the chain files against
    # the schema `energyreg schema` generates.
    # tests/oracles/onnxruntime: onnxruntime-node (ONNX Runtime's JavaScript binding, CPU binaries inside the package; its
    # install script, skipped, would only fetch CUDA ones) runs the ONNX models the tool exports, independently of the
    # tool's own ONNX Runtime.
    for oracle in jsroot:jsroot jsonschema:ajv onnxruntime:onnxruntime-node; do
        oracle_dir="$repo/tests/oracles/${oracle%%:*}"
        if [ ! -f "$oracle_dir/node_modules/${oracle#*:}/package.json" ] \
                || [ "$oracle_dir/package-lock.json" -nt "$oracle_dir/node_modules/.package-lock.json" ]; then
            log "installing the ${oracle%%:*} test oracle (npm ci in tests/oracles/${oracle%%:*}, node $node_version)"
            (cd "$oracle_dir" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error >&2)
        else
            log "${oracle%%:*} test oracle: installed (node $node_version)"
        fi
    done
fi

# --- .NET SDK ------------------------------------------------------------------------------------
if ! command -v dotnet >/dev/null; then
    log "the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)"; exit 1
fi

if [ "${SETUP_SKIP_BUILD:-0}" = 1 ]; then exit 0; fi

# --- restore and build -----------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log "restoring and building (Release)"
dotnet build EnergyRegression.sln -c Release -nologo -clp:ErrorsOnly -v:quiet
mkdir -p artifacts && touch artifacts/.setup-stamp
log "done: tool at artifacts/Release/energyreg/energyreg.dll"
