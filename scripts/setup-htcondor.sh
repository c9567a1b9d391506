#!/usr/bin/env bash
# Installs HTCondor for the grid tests (tests/EnergyRegression.EndToEnd.Tests, HTCondorPoolTests) into a private prefix,
# /opt/energyreg-htcondor, without changing the system's packages. Idempotent. Called by scripts/setup.sh.
#
# Why a private prefix: condor is not in Debian 12; Debian trixie's condor/minicondor packages depend on trixie's
# 64-bit-time library packages (libssl3t64, libcurl4t64, libdb5.3t64, libreadline8t64, ...). Installing them with
# apt would replace bookworm's libssl3, libcurl4, libreadline8 system-wide and remove every package pinned to the
# old versions (curl, openssh-client, libssl-dev, ...). Instead apt-get resolves the set of packages it *would*
# install (a simulation against the installed packages, with trixie pinned at 50 so that only condor and what it
# strictly needs come from trixie), downloads exactly those .deb files and unpacks them with dpkg -x under the prefix.
# apt runs with a configuration of its own under $prefix.apt (the system's sources plus trixie, its own package lists,
# cache and pin): the system's apt sources, lists and packages are not touched, nothing is installed. The daemons run
# with LD_LIBRARY_PATH pointing into the prefix; /usr/bin/python3 (3.11, with python3-h5py) is untouched.
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
log "installing HTCondor (Debian trixie minicondor) into $prefix"
# A private apt configuration: the system's sources (for resolving against bookworm) plus trixie, pinned low.
aptdir="$prefix.apt"
as_root rm -rf "$aptdir"
as_root mkdir -p "$aptdir/sources.list.d" "$aptdir/preferences.d" "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
for source in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    if [ -f "$source" ] && [[ "$source" != */energyreg-trixie.sources ]]; then as_root cp "$source" "$aptdir/sources.list.d/"; fi
done
if [ -f /etc/apt/sources.list ]; then as_root cp /etc/apt/sources.list "$aptdir/sources.list"; else as_root touch "$aptdir/sources.list"; fi
as_root tee "$aptdir/sources.list.d/trixie.sources" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
as_root tee "$aptdir/preferences.d/trixie" >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 50
PIN
apt_private=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=$aptdir/sources.list.d"
    -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$aptdir/preferences.d"
    -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache" -o "APT::Sandbox::User=root")
as_root apt-get "${apt_private[@]}" update -qq
list=$(apt-get "${apt_private[@]}" install -s --no-install-recommends "${wanted[@]}" 2>&1 \
    | awk '/^Inst /{v = $3; if (v ~ /^\[/) v = $4; gsub(/[()]/, "", v); print $2 "=" v}')
if ! grep -q '^condor=' <<<"$list"; then
    log "apt could not resolve condor from trixie:"
    apt-get "${apt_private[@]}" install -s --no-install-recommends "${wanted[@]}" >&2 || true; exit 1
fi
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
chmod 755 "$download"
# apt-get download runs as the _apt user where it can; it needs a directory that user may write.
(cd "$download" && as_root apt-get "${apt_private[@]}" download -qq $list)
as_root rm -rf "$prefix"
as_root mkdir -p "$prefix"
for deb in "$download"/*.deb; do as_root dpkg -x "$deb" "$prefix"; done
as_root chmod -R a+rX "$prefix"
printf '%s\n' $list | as_root tee "$prefix/.complete" >/dev/null
version=$(LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu:$prefix/usr/lib" "$prefix/usr/bin/condor_version" 2>&1 | head -1 || true)
log "HTCondor in $prefix: $version"
