#!/usr/bin/env bash
# Lets TorchSharp's native library run on the system's own C++ runtime (Debian 12: GCC 12's libstdc++, GLIBCXX_3.4.30),
# without installing anything from another Debian release:
#
#   scripts/torchsharp-compat.sh DIR      patches every libLibTorchSharp.so under DIR (idempotent)
#
# libLibTorchSharp.so (TorchSharp 0.107, built with GCC 13) needs exactly one GCC 13 version, GLIBCXX_3.4.32, for one
# symbol, std::ios_base_library_init(), that it references and never calls (everything else it needs is in
# GLIBCXX <= 3.4.30 and GLIBC <= 2.34). So, for each copy:
#   1. native/glibcxx-compat/ios_base_library_init.cpp is built with the system's g++ into
#      libenergyreg-glibcxx-compat.so beside it (it defines the symbol and initialises the standard streams), and
#      added as a DT_NEEDED of libLibTorchSharp.so (patchelf; its RUNPATH starts with $ORIGIN, so the shim is found);
#   2. the GLIBCXX_3.4.32 need is marked weak (VER_FLG_WEAK, scripts/elf-weak-version.py), so the loader accepts a
#      libstdc++ without that version. Where the runtime has it (GCC >= 13), it is used as before.
# The copy is patched beside the original and renamed over it, so a process loading it meanwhile never sees half a
# file. Run by the tool's build and publish (Directory.Build.targets); needs g++,
# patchelf, readelf and python3, which scripts/setup.sh installs from the machine's own release.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: torchsharp-compat.sh DIR}
shim_name=libenergyreg-glibcxx-compat.so
shim_source="$repo/native/glibcxx-compat/ios_base_library_init.cpp"
log() { printf '[torchsharp-compat] %s\n' "$*" >&2; }

for tool in g++ patchelf readelf python3; do
    command -v "$tool" >/dev/null || { log "needs $tool: run scripts/setup.sh (installs g++, patchelf, binutils, python3)"; exit 1; }
done

mapfile -t libraries < <(find "$dir" -name libLibTorchSharp.so -type f)
for library in "${libraries[@]}"; do
    libdir=$(dirname "$library")
    shim="$libdir/$shim_name"
    if [ ! -f "$shim" ] || [ "$shim_source" -nt "$shim" ]; then
        g++ -std=c++17 -shared -fPIC -O2 -Wall -Wextra -Werror -o "$shim.tmp$$" "$shim_source"
        mv -f "$shim.tmp$$" "$shim"
    fi
    has_needed=0
    readelf -d "$library" | grep -q "(NEEDED).*\[$shim_name\]" && has_needed=1
    weak=0
    readelf -V "$library" | grep -q 'Name: GLIBCXX_3\.4\.32  Flags: WEAK' && weak=1
    if ! readelf -V "$library" | grep -q 'Name: GLIBCXX_3\.4\.32'; then weak=1; fi  # another TorchSharp: nothing to do
    if [ "$has_needed" = 1 ] && [ "$weak" = 1 ]; then continue; fi
    work="$library.tmp$$"
    cp -p "$library" "$work"
    [ "$has_needed" = 1 ] || patchelf --add-needed "$shim_name" "$work"
    [ "$weak" = 1 ] || python3 "$repo/scripts/elf-weak-version.py" "$work" GLIBCXX_3.4.32 >/dev/null
    mv -f "$work" "$library"
    log "patched $library (GLIBCXX_3.4.32 weak, needs $shim_name)"
done
