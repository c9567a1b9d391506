#!/usr/bin/env bash
# Builds the clean grid-node root of the node tests (tests/EnergyRegression.EndToEnd.Tests, NodeTests; docs/grid.md,
# "Tested on a clean node"): a minimal Debian 12 (debootstrap --variant=minbase bookworm: libc6 2.36, GCC 12's
# libstdc++6, bash, coreutils, tar, gzip, and libssl3, which every grid node has (EL's openssl-libs) and .NET's SHA-256
# needs — no .NET, no ICU, no Python, no compiler, nothing this machine added) in
# /opt/energyreg-node-root. The HTCondor test pool runs its jobs inside it with bubblewrap (unprivileged user
# namespaces, no root), as sites run jobs inside an Apptainer image. Idempotent; one build at a time under a lock.
# Called by scripts/setup.sh with the test oracles.
set -euo pipefail
root=${ENERGYREG_NODE_ROOT:-/opt/energyreg-node-root}
mirror=${ENERGYREG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
marker="energyreg node root 2: debootstrap minbase bookworm + libssl3"
log() { printf '[setup] %s\n' "$*" >&2; }
complete() { [ -f "$root/.complete" ] && head -1 "$root/.complete" | grep -qxF "$marker"; }
if complete; then
    log "clean node root: $root"; exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    log "building the clean node root $root needs root (debootstrap): run scripts/setup.sh as root"; exit 1
fi
for tool in debootstrap bwrap flock; do
    command -v "$tool" >/dev/null || { log "the node root needs $tool (scripts/setup.sh installs debootstrap and bubblewrap)"; exit 1; }
done
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9
if complete; then
    log "clean node root: $root (built by a setup running at the same time)"; exit 0
fi
log "building a clean Debian 12 node root (debootstrap --variant=minbase --include=libssl3 bookworm) in $root"
rm -rf "$root.partial"
debootstrap --variant=minbase --include=libssl3 bookworm "$root.partial" "$mirror" >"$root.log" 2>&1 \
    || { log "debootstrap failed: see $root.log"; tail -5 "$root.log" >&2; exit 1; }
# Nothing of the build stays: apt's downloaded packages are not part of a node.
rm -rf "$root.partial/var/cache/apt/archives/"*.deb
rm -rf "$root"
mv "$root.partial" "$root"
{ echo "$marker"; chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' libc6 libstdc++6 libgcc-s1 libssl3; } >"$root/.complete"
log "clean node root in $root: $(grep -E '^(libc6|libstdc\+\+6) ' "$root/.complete" | tr '\n' ' ')"
