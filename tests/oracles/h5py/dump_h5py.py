#!/usr/bin/env python3
"""Independent oracle for the hdf5 tests: prints what h5py reads from an HDF5 file, as JSON.

    dump_h5py.py FILE            every dataset and attribute of the file

Output: {"datasets": {path: {"dtype", "shape", "chunks", "compression", "compression_opts", "shuffle",
"byteorder", "values"}}, "attributes": {path: {name: value}}}. Values are flat lists in C order; compound
datasets give {"fields": {member: {"dtype", "values"}}}. NaN and infinities are the strings "NaN",
"Infinity", "-Infinity"; negative zero is "-0"; booleans true/false; integers exact.
"""
import json
import math
import sys

import h5py
import numpy as np


def value(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        if f == 0.0 and math.copysign(1.0, f) < 0:
            return "-0"
        return f
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray):
        return [value(x) for x in v.ravel()]
    return str(v)


def dtype_name(dt):
    if dt.kind == "b":
        return "bool"
    if dt.kind in "iuf":
        return {"i": "int", "u": "uint", "f": "float"}[dt.kind] + str(dt.itemsize * 8)
    if dt.names:
        return "compound"
    return str(dt)


def byteorder(dt):
    if dt.byteorder == ">":
        return "big"
    if dt.byteorder in "<=" and dt.itemsize > 1:
        return "little"
    return "n/a"


def main():
    out = {"datasets": {}, "attributes": {}}
    with h5py.File(sys.argv[1], "r") as f:
        def attrs(path, obj):
            out["attributes"][path] = {k: value(obj.attrs[k]) if not isinstance(obj.attrs[k], str) else obj.attrs[k]
                                       for k in obj.attrs}

        attrs("/", f)

        def visit(name, obj):
            path = "/" + name
            attrs(path, obj)
            if not isinstance(obj, h5py.Dataset):
                return
            data = obj[()]
            entry = {
                "dtype": dtype_name(obj.dtype),
                "shape": list(obj.shape),
                "chunks": list(obj.chunks) if obj.chunks else None,
                "compression": obj.compression,
                "compression_opts": obj.compression_opts,
                "shuffle": bool(obj.shuffle),
                "byteorder": byteorder(obj.dtype),
            }
            if obj.dtype.names:
                entry["fields"] = {n: {"dtype": dtype_name(obj.dtype[n]), "byteorder": byteorder(obj.dtype[n]),
                                       "values": value(np.asarray(data[n]))} for n in obj.dtype.names}
            else:
                entry["values"] = value(np.asarray(data))
            out["datasets"][path] = entry

        f.visititems(visit)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
