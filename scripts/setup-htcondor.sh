#!/usr/bin/env bash
# Installs HTCondor for the grid tests (tests/EnergyRegression.EndToEnd.Tests, HTCondorPoolTests) into a private prefix,
# /opt/energyreg-htcondor, without changing the system's packages. Idempotent. Called by scripts/setup.sh.
#
# Why a private prefix: condor is not in Debian 12; Debian trixie's condor/minicondor packages depend on trixie's
# 64-bit-time library packages (libssl3t64, libcurl4t64, libdb5.3t64, libreadline8t64, ...). Installing them with
# apt would replace bookworm's libssl3, libcurl4, libreadline8 system-wide and remove every package pinned to the
# old versions (curl, openssh-client, libssl-dev, ...). Instead apt-get resolves the set of packages it *would*
# install (a simulation, honouring the low trixie pin of scripts/setup.sh: only condor and what it strictly needs
# come from trixie), downloads exactly those .deb files and unpacks them with dpkg -x under the prefix. The daemons
# run with LD_LIBRARY_PATH pointing into the prefix; /usr/bin/python3 (3.11, with python3-h5py) is untouched.
set -euo pipefail
prefix=${ENERGYREG_HTCONDOR_PREFIX:-/opt/energyreg-htcondor}
log() { printf '[setup] %s\n' "$*" >&2; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root for: $*  (run as root or install sudo)"; exit 1; fi
}
# trixie's condor and the extra packages apt needs named to resolve it beside bookworm (their versioned dependencies
# are not met by bookworm's libsasl2-2, libexpat1; libpython3.13-stdlib is not picked automatically).
wanted=(minicondor/trixie libsasl2-2/trixie libpython3.13-stdlib/trixie libexpat1/trixie)
if [ -x "$prefix/usr/sbin/condor_master" ] && [ -f "$prefix/.complete" ]; then
    log "HTCondor: installed in $prefix"; exit 0
fi
if [ ! -f /etc/apt/sources.list.d/energyreg-trixie.sources ]; then
    log "HTCondor needs the trixie apt source scripts/setup.sh adds (pinned at 50)"; exit 1
fi
log "installing HTCondor (Debian trixie minicondor) into $prefix"
as_root apt-get update -qq
list=$(apt-get install -s --no-install-recommends "${wanted[@]}" 2>&1 \
    | awk '/^Inst /{v = $3; if (v ~ /^\[/) v = $4; gsub(/[()]/, "", v); print $2 "=" v}')
if ! grep -q '^condor=' <<<"$list"; then
    log "apt could not resolve condor from trixie:"; apt-get install -s --no-install-recommends "${wanted[@]}" >&2 || true; exit 1
fi
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
chmod 755 "$download"
# apt-get download runs as the _apt user where it can; it needs a directory that user may write.
(cd "$download" && as_root apt-get download -qq $list)
as_root rm -rf "$prefix"
as_root mkdir -p "$prefix"
for deb in "$download"/*.deb; do as_root dpkg -x "$deb" "$prefix"; done
as_root chmod -R a+rX "$prefix"
printf '%s\n' $list | as_root tee "$prefix/.complete" >/dev/null
version=$(LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu:$prefix/usr/lib" "$prefix/usr/bin/condor_version" 2>&1 | head -1 || true)
log "HTCondor in $prefix: $version"
