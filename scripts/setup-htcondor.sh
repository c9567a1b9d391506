#!/usr/bin/env bash
# Installs HTCondor for the grid tests (tests/EnergyRegression.EndToEnd.Tests, GridTests and NodeTests) into a private
# prefix, /opt/energyreg-htcondor-trixie, without changing the system's packages or its C library. Idempotent; safe to
# run from several checkouts at once (one install at a time, under a lock). Called by scripts/setup.sh.
#
# Why a private prefix: condor is not in Debian 12. Debian trixie's condor/minicondor packages depend on trixie's
# 64-bit-time library packages (libssl3t64, libcurl4t64, ...) and on trixie's libstdc++6 (GCC 14), which needs trixie's
# libc6 2.41. Installing them with apt would replace the machine's C library and bookworm's libssl3, libcurl4, ...
# system-wide. Instead:
#   1. apt-get resolves the set of packages it *would* install (a simulation against the installed packages, with
#      trixie pinned at 50, so only condor and what it strictly needs come from trixie), through an apt configuration
#      of its own under $prefix.apt (the system's sources plus trixie, its own lists and cache): the system's apt
#      sources, lists and packages are not touched;
#   2. exactly those .deb files are downloaded and unpacked with dpkg -x under the prefix — trixie's libc6 among them;
#   3. every ELF executable of the prefix gets the prefix's dynamic loader as its interpreter (patchelf
#      --set-interpreter) and every ELF object the prefix's library directories as DT_RPATH (--force-rpath: unlike
#      RUNPATH it also serves the libraries' own dependencies). So condor's programs run on trixie's glibc from the
#      prefix, with no LD_LIBRARY_PATH: the jobs condor starts (bash, dotnet, the tool) are system binaries and keep
#      the system's libc. The install is checked by running condor_version, and marked complete last.
set -euo pipefail
prefix=${ENERGYREG_HTCONDOR_PREFIX:-/opt/energyreg-htcondor-trixie}
layout="energyreg-htcondor layout 2: private glibc, patched interpreters"
log() { printf '[setup] %s\n' "$*" >&2; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root for: $*  (run as root or install sudo)"; exit 1; fi
}
complete() { [ -x "$prefix/usr/sbin/condor_master" ] && [ -f "$prefix/.complete" ] && head -1 "$prefix/.complete" | grep -qxF "$layout"; }
# trixie's condor, the packages apt must be told to take from trixie to resolve it beside bookworm (their versioned
# dependencies are not met by bookworm's libsasl2-2, libexpat1; libpython3.13-stdlib is not picked automatically), and
# trixie's C and C++ runtime with what they pull in (libc6 2.41 for libstdc++6 14; base-files and libc-bin go with that
# libc6; libsasl2-modules-db with libsasl2-2). They land in the prefix only.
wanted=(minicondor/trixie libsasl2-2/trixie libpython3.13-stdlib/trixie libexpat1/trixie
    libc6/trixie libstdc++6/trixie base-files/trixie libc-bin/trixie libsasl2-modules-db/trixie)
if complete; then
    log "HTCondor: installed in $prefix"; exit 0
fi
for tool in patchelf python3 apt-get dpkg flock; do
    command -v "$tool" >/dev/null || { log "HTCondor's install needs $tool (scripts/setup.sh installs patchelf)"; exit 1; }
done
as_root mkdir -p "$(dirname "$prefix")"
# One install at a time: several checkouts on one machine run their setups at once.
exec 9>"$prefix.lock"
flock 9
if complete; then
    log "HTCondor: installed in $prefix (by a setup running at the same time)"; exit 0
fi
log "installing HTCondor (Debian trixie minicondor, with trixie's glibc for it alone) into $prefix"
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
simulation=$(apt-get "${apt_private[@]}" install -s --no-install-recommends "${wanted[@]}" 2>&1 || true)
list=$(awk '/^Inst /{v = $3; if (v ~ /^\[/) v = $4; gsub(/[()]/, "", v); print $2 "=" v}' <<<"$simulation")
if ! grep -q '^condor=' <<<"$list" || ! grep -q '^libc6=' <<<"$list"; then
    log "apt could not resolve condor and trixie's libc6 for the prefix:"; printf '%s\n' "$simulation" >&2; exit 1
fi
download=$(mktemp -d)
staging="$prefix.partial"
trap 'rm -rf "$download"; as_root rm -rf "$staging"' EXIT
chmod 755 "$download"
# apt-get download runs as the _apt user where it can; it needs a directory that user may write.
(cd "$download" && as_root apt-get "${apt_private[@]}" download -qq $list)
as_root rm -rf "$staging"
as_root mkdir -p "$staging"
glibc_files=$(mktemp)
for deb in "$download"/*.deb; do
    as_root dpkg -x "$deb" "$staging"
    # glibc's own objects (libc6) are left as they are: they find each other beside the loader.
    if [ "$(dpkg-deb -f "$deb" Package)" = libc6 ]; then dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./||' >>"$glibc_files"; fi
done
# The loader and library directories as they will be once the staging directory is renamed to the prefix.
loader=$(cd "$staging" && find usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu -maxdepth 1 -name 'ld-linux-x86-64.so.2' 2>/dev/null | head -1)
[ -n "$loader" ] || { log "trixie's libc6 brought no ld-linux-x86-64.so.2"; exit 1; }
libdirs=$(cd "$staging" && find . -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sed 's|^\./||' | sort -u \
    | awk -v p="$prefix" '{printf "%s%s/%s", (NR > 1 ? ":" : ""), p, $0}')
# The ELF files of the prefix, glibc's own excepted (one pass, reading each file's first bytes).
mapfile -d '' elves < <(python3 - "$staging" "$glibc_files" <<'PY'
import os, sys
root, skip = sys.argv[1], set(open(sys.argv[2]).read().split())
for directory, _, files in os.walk(root):
    for name in files:
        path = os.path.join(directory, name)
        if os.path.islink(path) or os.path.relpath(path, root) in skip:
            continue
        with open(path, "rb") as f:
            if f.read(4) == b"\x7fELF":
                sys.stdout.write(path + "\0")
PY
)
patched=0
for file in "${elves[@]}"; do
    if patchelf --print-interpreter "$file" >/dev/null 2>&1; then
        as_root patchelf --set-interpreter "$prefix/$loader" "$file"
    fi
    if patchelf --print-rpath "$file" >/dev/null 2>&1; then
        as_root patchelf --force-rpath --set-rpath "$libdirs" "$file"
        patched=$((patched + 1))
    fi
done
rm -f "$glibc_files"
as_root chmod -R a+rX "$staging"
as_root rm -rf "$prefix"
as_root mv "$staging" "$prefix"
version=$(env -u LD_LIBRARY_PATH "$prefix/usr/bin/condor_version" 2>&1 | head -1) \
    || { log "HTCondor in $prefix does not run: $version"; exit 1; }
{ echo "$layout"; printf '%s\n' $list; } | as_root tee "$prefix/.complete" >/dev/null
log "HTCondor in $prefix ($patched ELF files on $("$prefix/$loader" --version | head -1)): $version"
