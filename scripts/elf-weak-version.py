#!/usr/bin/env python3
"""Marks version needs of an ELF64 shared library weak: elf-weak-version.py LIBRARY VERSION [VERSION ...]

A version need (an Elf64_Vernaux entry of the .gnu.version_r section) with VER_FLG_WEAK set is not an error when the
library providing it lacks that version: glibc's loader accepts the object and only `ldd -v` mentions it
(elf/dl-version.c). Used by scripts/torchsharp-compat.sh for TorchSharp's GLIBCXX_3.4.32 need. Layouts: System V
gABI "Symbol Versioning" (Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32;
Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32) and the ELF-64 header and
section header layouts. Only little-endian ELF64 (x86-64) is handled. Idempotent; prints what it changed.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def fail(message):
    sys.exit(f"elf-weak-version: {message}")


def main(path, versions):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            fail(f"{path} is not a little-endian ELF64 file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        verneed = [s for s in sections if s[1] == SHT_GNU_VERNEED]
        if not verneed:
            fail(f"{path} has no .gnu.version_r section")
        _, _, _, _, offset, _, link, count, _, _ = verneed[0]
        strtab = sections[link][4]

        def name(at):
            end = data.index(b"\0", strtab + at)
            return data[strtab + at:end].decode()

        wanted = set(versions)
        changed = []
        need = offset
        for _ in range(count):
            _, cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, need)
            aux = need + vn_aux
            for _ in range(cnt):
                _, flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                version = name(vna_name)
                if version in wanted:
                    wanted.discard(version)
                    if not flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                        changed.append(f"{version} ({name(vn_file)})")
                aux += vna_next
            need += vn_next
        if wanted:
            fail(f"{path} needs no version {', '.join(sorted(wanted))}")
        if changed:
            f.seek(0)
            f.write(data)
            print(f"{path}: marked weak: {', '.join(changed)}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__.splitlines()[0])
    main(sys.argv[1], sys.argv[2:])
