#!/usr/bin/env python3
"""Writes the HDF5 breadth corpus of the hdf5 tests (tests/EnergyRegression.Plugins.Hdf5.Tests, CorpusTests)
with Debian 12's h5py 3.7, pandas 1.5 and PyTables 3.7 and the HDF5 filter plugins Debian packages
(hdf5-filter-plugin: bzip2, lz4; hdf5-filter-plugin-blosc-serial; hdf5-plugin-lzf; python3-hdf5plugin), and a
manifest of what every file holds.

    make_corpus.py OUTDIR      writes OUTDIR/*.h5 and OUTDIR/manifest.json

manifest.json: {case: {"file", "event_group"?, "datasets"?, "columns": {name: {"dtype", "shape", "values"}},
"counts": {collection: [...]}, "skipped": [substrings of the notes], "error": substring}}. Values are the
arrays this script wrote, flattened in C order (NaN/±inf as strings, -0 as "-0", strings as text): every
value the reader gives is compared with them exactly.
"""
import json
import math
import os
import sys
import warnings

import h5py
import hdf5plugin
import numpy as np

warnings.simplefilter("ignore")
N = 40
OUT = sys.argv[1]
MANIFEST = {}


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
        return v.decode("utf-8")
    if isinstance(v, str):
        return v
    raise TypeError(type(v))


def col(array, dtype=None):
    a = np.asarray(array)
    return {"dtype": dtype or a.dtype.name, "shape": list(a.shape[1:]), "values": [value(x) for x in a.ravel()]}


def case(name, file, columns, counts=None, skipped=None, error=None, **options):
    entry = {"file": file, "columns": columns, "counts": counts or {}, "skipped": skipped or []}
    if error:
        entry["error"] = error
    entry.update(options)
    MANIFEST[name] = entry


def path(name):
    return os.path.join(OUT, name)


def floats(n=N, scale=0.25, special=True):
    x = (np.arange(n) * scale - 3.0).astype(np.float64)
    if special:
        x[1], x[2], x[3], x[4] = np.nan, np.inf, -np.inf, -0.0
    return x


# --- filters: every value read must equal the value written ------------------------------------------------
def filters():
    f32 = floats().astype(np.float32)
    i32 = (np.arange(N) * 7919 % 1000 - 500).astype(np.int32)
    img = (np.arange(N * 16).reshape(N, 4, 4) % 97 * 0.5).astype(np.float32)
    specs = {
        "deflate": dict(compression="gzip", compression_opts=6),
        "shuffle_deflate": dict(compression="gzip", shuffle=True),
        "fletcher32": dict(fletcher32=True, chunks=(8,)),
        "fletcher32_deflate": dict(fletcher32=True, compression="gzip", shuffle=True),
        "lzf": dict(compression="lzf"),
        "szip_nn": dict(compression="szip", compression_opts=("nn", 8)),
        "szip_ec": dict(compression="szip", compression_opts=("ec", 16)),
        "bzip2": dict(**hdf5plugin.BZip2(blocksize=9)),
        "lz4": dict(**hdf5plugin.LZ4(nbytes=64)),
    }
    for cname in ["blosclz", "lz4", "lz4hc", "zlib", "zstd"]:
        for shuffle, label in [(hdf5plugin.Blosc.NOSHUFFLE, "noshuffle"), (hdf5plugin.Blosc.SHUFFLE, "shuffle"), (hdf5plugin.Blosc.BITSHUFFLE, "bitshuffle")]:
            specs[f"blosc_{cname}_{label}"] = dict(**hdf5plugin.Blosc(cname=cname, clevel=5, shuffle=shuffle))
    for name, spec in specs.items():
        spec.setdefault("chunks", (16,))
        big = np.tile(f32, 50)  # 2000 values: blosc splits blocks at ≥128 bytes per stream
        with h5py.File(path(f"filter_{name}.h5"), "w") as f:
            ev = f.create_group("events")
            ev.create_dataset("x", data=f32, **spec)
            ev.create_dataset("n", data=i32, **spec)
            chunks = (16, 4, 4)
            ev.create_dataset("img", data=img, **{**spec, "chunks": chunks})
            f.create_dataset("big", data=big, **{**spec, "chunks": (1000,)})
        case(f"filter_{name}", f"filter_{name}.h5", {"x": col(f32), "n": col(i32), "img": col(img)})
        case(f"filter_{name}_big", f"filter_{name}.h5", {"big": col(big)}, datasets={"big": "/big"})

    # scale-offset: integers losslessly (automatic bit width), floats with 3 decimal digits (D-scaling).
    so_int = (np.arange(N) * 3 + 1000).astype(np.int32)
    so_float = (np.arange(N) * 0.125 - 2).astype(np.float64)
    with h5py.File(path("filter_scaleoffset.h5"), "w") as f:
        ev = f.create_group("events")
        ev.create_dataset("i", data=so_int, scaleoffset=0, chunks=(16,))
        ev.create_dataset("d", data=so_float, scaleoffset=3, chunks=(16,))
        ev.create_dataset("u8", data=(np.arange(N) % 5).astype(np.uint8), scaleoffset=0, chunks=(16,))
    with h5py.File(path("filter_scaleoffset.h5"), "r") as f:
        d = f["events/d"][:]  # D-scaling rounds: the values h5py reads back are the reference
    case("filter_scaleoffset", "filter_scaleoffset.h5", {"i": col(so_int), "d": col(d), "u8": col((np.arange(N) % 5).astype(np.uint8))})

    # n-bit: a 20-bit integer at bit offset 4 inside 32 bits, packed by the nbit filter.
    nb = (np.arange(N) * 12345 % 500000 - 250000).astype(np.int32)
    with h5py.File(path("filter_nbit.h5"), "w") as f:
        f.create_group("events")
        tid = h5py.h5t.STD_I32LE.copy()
        tid.set_precision(20)
        tid.set_offset(4)
        space = h5py.h5s.create_simple((N,))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((16,))
        dcpl.set_filter(h5py.h5z.FILTER_NBIT, h5py.h5z.FLAG_OPTIONAL)  # H5Pset_nbit
        ds = h5py.h5d.create(f.id, b"/events/v", tid, space, dcpl=dcpl)
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, nb)
    case("filter_nbit", "filter_nbit.h5", {"v": col(nb)})

    # zstd plugin (32015): chunks compressed with python3-zstandard and written directly.
    import zstandard
    zs = (np.arange(N) * 1.5).astype(np.float64)
    with h5py.File(path("filter_zstd.h5"), "w") as f:
        f.create_group("events")
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((16,))
        dcpl.set_filter(32015, h5py.h5z.FLAG_OPTIONAL, (3,))
        ds = h5py.h5d.create(f.id, b"/events/z", h5py.h5t.IEEE_F64LE, h5py.h5s.create_simple((N,)), dcpl=dcpl)
        cctx = zstandard.ZstdCompressor(level=3, write_checksum=True)
        for k in range(0, N, 16):
            chunk = np.zeros(16, np.float64)
            part = zs[k:k + 16]
            chunk[:len(part)] = part
            ds.write_direct_chunk((k,), cctx.compress(chunk.tobytes()), 0)
    case("filter_zstd", "filter_zstd.h5", {"z": col(zs)})

    # A filter this reader does not decode: zfp (32013). One clear error naming it.
    with h5py.File(path("filter_zfp.h5"), "w") as f:
        f.create_group("events").create_dataset("x", data=f32, chunks=(16,), **hdf5plugin.Zfp(reversible=True))
    case("filter_zfp", "filter_zfp.h5", {}, error="filter 32013 (zfp) is not supported", datasets={"x": "/events/x"})


# --- chunk indexes and layouts -------------------------------------------------------------------------------
def layouts():
    x = floats(N)
    y = (np.arange(N * 6).reshape(N, 2, 3) * 3 - 50).astype(np.int16)
    with h5py.File(path("index_latest.h5"), "w", libver="latest") as f:
        ev = f.create_group("events")
        ev.create_dataset("single", data=x, chunks=(N,))                             # single chunk
        ev.create_dataset("single_filtered", data=x, chunks=(N,), compression="gzip")
        dcpl_ds = ev.create_dataset("fixed", data=x, chunks=(8,), compression="gzip")   # fixed array
        ev.create_dataset("fixed_paged", data=np.tile(x, 1)[:N], chunks=(1,))          # fixed array, many pages
        ev.create_dataset("extensible", data=y, chunks=(3, 2, 3), maxshape=(None, 2, 3), compression="gzip")
        ev.create_dataset("extensible_plain", data=x, chunks=(2,), maxshape=(None,))
        ev.create_dataset("btree2", data=y, chunks=(4, 1, 3), maxshape=(None, None, 3), shuffle=True, compression="gzip")
        ev.create_dataset("edge", data=x, chunks=(7,), maxshape=(None,), compression="gzip")
        _ = dcpl_ds
    case("index_latest", "index_latest.h5", {"single": col(x), "single_filtered": col(x), "fixed": col(x), "fixed_paged": col(x),
                                           "extensible": col(y), "extensible_plain": col(x), "btree2": col(y), "edge": col(x)})

    # The implicit index: fixed size, no filters, space allocated early (low-level API).
    with h5py.File(path("index_implicit.h5"), "w", libver="latest") as f:
        f.create_group("events")
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((6,))
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        ds = h5py.h5d.create(f.id, b"/events/v", h5py.h5t.IEEE_F64LE, h5py.h5s.create_simple((N,)), dcpl=dcpl)
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, x)
    case("index_implicit", "index_implicit.h5", {"v": col(x)})

    # Compact storage, contiguous, a dataset that was never written (fill value), big-endian, a 2-D tensor.
    with h5py.File(path("layout_compact.h5"), "w") as f:
        f.create_group("events")
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        ds = h5py.h5d.create(f.id, b"/events/c", h5py.h5t.STD_I16BE, h5py.h5s.create_simple((N,)), dcpl=dcpl)
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(N, dtype=">i2") - 7)
        f["events"].create_dataset("unwritten", shape=(N,), dtype=np.float32, fillvalue=2.5)
        f["events"].create_dataset("unwritten_chunked", shape=(N,), dtype=np.int32, chunks=(8,), fillvalue=-3)
    case("layout_compact", "layout_compact.h5", {"c": col(np.arange(N) - 7, "int16"), "unwritten": col(np.full(N, 2.5, np.float32)),
                                                 "unwritten_chunked": col(np.full(N, -3, np.int32))})

    # External raw storage: the values live in two raw files next to the HDF5 file.
    raw = (np.arange(N) * 2.25).astype("<f8")
    half = N // 2
    raw[:half].tofile(path("raw_a.bin"))
    with open(path("raw_b.bin"), "wb") as out:
        out.write(b"\0" * 100)
        out.write(raw[half:].tobytes())
    with h5py.File(path("layout_external.h5"), "w") as f:
        f.create_group("events").create_dataset("e", shape=(N,), dtype="<f8",
                                                external=[("raw_a.bin", 0, half * 8), ("raw_b.bin", 100, (N - half) * 8)])
    case("layout_external", "layout_external.h5", {"e": col(raw)})

    # Virtual datasets: three source files stacked along axis 0, and rows of a source in this file.
    parts = []
    for k in range(3):
        part = (np.arange(10 * 3).reshape(10, 3) + 100 * k).astype(np.float32)
        parts.append(part)
        with h5py.File(path(f"vds_src{k}.h5"), "w") as f:
            f.create_dataset("data", data=part, compression="gzip" if k == 1 else None, chunks=(5, 3) if k == 1 else None)
    layout = h5py.VirtualLayout(shape=(30, 3), dtype=np.float32)
    for k in range(3):
        layout[k * 10:(k + 1) * 10] = h5py.VirtualSource(f"vds_src{k}.h5", "data", shape=(10, 3))
    rows = np.arange(30, dtype=np.int64)
    with h5py.File(path("layout_virtual.h5"), "w", libver="latest") as f:
        ev = f.create_group("events")
        ev.create_virtual_dataset("v", layout, fillvalue=0)
        f.create_dataset("own", data=rows * 10)
        own = h5py.VirtualLayout(shape=(30,), dtype=np.int64)
        own[:] = h5py.VirtualSource(".", "own", shape=(30,))
        ev.create_virtual_dataset("w", own)
    case("layout_virtual", "layout_virtual.h5", {"v": col(np.concatenate(parts)), "w": col(rows * 10)})

    for size in [512, 1024, 4096]:
        with h5py.File(path(f"userblock_{size}.h5"), "w", userblock_size=size) as f:
            f.create_group("events").create_dataset("x", data=x, chunks=(8,), compression="gzip")
        with open(path(f"userblock_{size}.h5"), "r+b") as out:
            out.write(b"#!user block text\n")
        case(f"userblock_{size}", f"userblock_{size}.h5", {"x": col(x)})


# --- links and odd objects -------------------------------------------------------------------------------------
def links():
    x = floats(N)
    other = (np.arange(N) * 10 + 1).astype(np.int64)
    with h5py.File(path("links_target.h5"), "w") as f:
        f.create_dataset("values", data=other)                    # contiguous: must be read from this file
        g = f.create_group("events")
        g.create_dataset("a", data=other * 2)
        g.create_dataset("b", data=x, chunks=(8,), compression="gzip")
    with h5py.File(path("links.h5"), "w") as f:
        ev = f.create_group("events")
        ev.create_dataset("x", data=x)
        ev["ext"] = h5py.ExternalLink("links_target.h5", "/values")
        ev["soft"] = h5py.SoftLink("/events/x")
        ev["dangling"] = h5py.SoftLink("/nowhere")
        ev["dangling_ext"] = h5py.ExternalLink("missing_file.h5", "/values")
        f.create_dataset("padding", data=np.zeros(1000))             # so the linking file's bytes differ at that address
    case("links", "links.h5", {"x": col(x), "ext": col(other), "soft": col(x)}, skipped=["/events/dangling (dangling soft link", "/events/dangling_ext (the external file missing_file.h5 is not found"])
    with h5py.File(path("links_group.h5"), "w") as f:
        f["events"] = h5py.ExternalLink("links_target.h5", "/events")
        f.create_dataset("padding", data=np.ones(500))
    case("links_group", "links_group.h5", {"a": col(other * 2), "b": col(x)})

    # Odd objects that must not block the file: an empty (null) dataset, a scalar, an unrelated group with a
    # dataset called counts, and a group with many links and attributes (dense storage).
    with h5py.File(path("odd.h5"), "w", libver="latest") as f:
        ev = f.create_group("events")
        ev.create_dataset("x", data=x)
        ev.create_dataset("empty", data=h5py.Empty("f4"))
        ev.create_dataset("scalar", data=3.5)
        meta = f.create_group("meta")
        meta.create_dataset("counts", data=np.arange(7))
        dense = f.create_group("Dense")
        dense.create_dataset("counts", data=(np.arange(N) % 3).astype(np.int32))
        total = int((np.arange(N) % 3).sum())
        for k in range(20):
            dense.create_dataset(f"v{k:02d}", data=(np.arange(total) + k).astype(np.int16))
            dense.attrs[f"attr{k:02d}"] = k
    dense_cols = {f"Dense_v{k:02d}": col((np.arange(int((np.arange(N) % 3).sum())) + k).astype(np.int16)) for k in range(20)}
    case("odd", "odd.h5", {"x": col(x), **dense_cols}, counts={"Dense": [int(c) for c in np.arange(N) % 3]},
         skipped=["/events/empty (an empty (null) dataspace", "/events/scalar (a scalar", "/meta (not a collection"])


# --- types ---------------------------------------------------------------------------------------------------------
def types():
    n = N
    data = {
        "f16": (np.arange(n) * 0.5 - 7).astype(np.float16),
        "f64be": floats(n).astype(">f8"),
        "i8": (np.arange(n) - 20).astype(np.int8),
        "u16be": (np.arange(n) * 1000).astype(">u2"),
        "i64": (np.arange(n, dtype=np.int64) - 2**62),
        "u64": (np.uint64(2**64 - 1) - np.arange(n, dtype=np.uint64)),
        "flag": np.arange(n) % 3 == 0,
    }
    ld = (np.arange(n) * 0.1).astype(np.longdouble)
    level = h5py.enum_dtype({"LOW": 0, "MID": 5, "HIGH": 10}, basetype="i2")
    levels = (np.arange(n) % 3 * 5).astype(np.int16)
    strs = np.array([b"e%d" % k for k in range(n)], dtype="S6")
    vstr = np.array([("é" * (k % 3)) + str(k) for k in range(n)], dtype=object)
    jag = [np.arange(k % 4, dtype=np.float32) * 1.5 + k for k in range(n)]
    jag_i = [np.arange(k % 3, dtype=np.int64) - k for k in range(n)]
    comp = np.zeros(n, dtype=[("e", "<f4"), ("v", "<f8", (3,)), ("name", "S4"), ("n", ">i4")])
    comp["e"] = np.arange(n) * 1.5
    comp["v"] = np.arange(n * 3).reshape(n, 3) * 0.5
    comp["name"] = [b"c%d" % k for k in range(n)]
    comp["n"] = np.arange(n) - 9
    with h5py.File(path("types.h5"), "w") as f:
        ev = f.create_group("events")
        for k, v in data.items():
            ev.create_dataset(k, data=v)
        ev.create_dataset("ld", data=ld)
        ev.create_dataset("level", data=levels, dtype=level)
        ev.create_dataset("label", data=strs)
        ev.create_dataset("vlabel", data=vstr, dtype=h5py.string_dtype("utf-8"))
        ev.create_dataset("hits", data=np.array(jag, dtype=object), dtype=h5py.vlen_dtype(np.float32), chunks=(8,), compression="gzip")
        ev.create_dataset("ids", data=np.array(jag_i, dtype=object), dtype=h5py.vlen_dtype(np.int64))
        ev.create_dataset("rec", data=comp, chunks=(10,), compression="gzip")
        # Attributes of every numeric type (inspect shows them).
        for t in ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8", ">i4", ">f8"]:
            ev.attrs["a_" + t.replace(">", "be")] = np.array(7, dtype=t) if t[-1] != "2" or t[0] != "f" else np.array(1.5, dtype=t)
        ev.attrs["a_vec"] = np.arange(3, dtype=np.uint32)
        ev.attrs["a_bool"] = np.True_
        ev.attrs["a_str"] = "text"
    columns = {k: col(v, {"f16": "float32", "flag": "bool"}.get(k)) for k, v in data.items()}
    columns["f16"] = col(data["f16"].astype(np.float32), "float32")
    columns["ld"] = col(ld.astype(np.float64), "float64")
    columns["level"] = col(levels, "int16")
    columns["label"] = col(strs, "string")
    columns["vlabel"] = col(vstr.astype(str), "string")
    columns["hits"] = {"dtype": "float32", "shape": [], "values": [value(v) for a in jag for v in a]}
    columns["ids"] = {"dtype": "int64", "shape": [], "values": [value(v) for a in jag_i for v in a]}
    columns["rec_e"] = col(comp["e"])
    columns["rec_v"] = col(comp["v"])
    columns["rec_name"] = col(comp["name"], "string")
    columns["rec_n"] = col(comp["n"].astype(np.int32), "int32")
    case("types", "types.h5", columns, counts={"hits": [len(a) for a in jag], "ids": [len(a) for a in jag_i]},
         attributes={"/events": {"a_i1": "7", "a_u1": "7", "a_i2": "7", "a_u2": "7", "a_i4": "7", "a_u4": "7", "a_i8": "7", "a_u8": "7",
                                 "a_f2": "1.5", "a_f4": "7", "a_f8": "7", "a_bei4": "7", "a_bef8": "7", "a_vec": "[0, 1, 2]",
                                 "a_bool": "true", "a_str": "\"text\""}},
         enum={"/events/level": "enum int16 {LOW = 0, MID = 5, HIGH = 10}"})


# --- pandas and PyTables ---------------------------------------------------------------------------------------------
def pandas_files():
    import pandas as pd
    import tables
    n = N
    df = pd.DataFrame({
        "e": floats(n),
        "n": np.arange(n, dtype=np.int64) * 3,
        "f": (np.arange(n) * 0.5).astype(np.float32),
        "ok": np.arange(n) % 2 == 0,
        "s": [f"s{k}" for k in range(n)],
        "i16": (np.arange(n) - 5).astype(np.int16),
    })
    expected = {"index": col(np.arange(n, dtype=np.int64)), "e": col(df["e"].values), "n": col(df["n"].values),
                "f": col(df["f"].values), "ok": col(df["ok"].values, "bool"), "s": col(np.array(df["s"].values, dtype=str), "string"),
                "i16": col(df["i16"].values)}
    df.to_hdf(path("pandas_table.h5"), key="events", format="table", mode="w")
    case("pandas_table", "pandas_table.h5", expected)
    # Appended twice (two row groups), blosc:lz4 compression, a named index, the DataFrame under another key.
    named = df.copy()
    named.index = pd.Index(np.arange(n, dtype=np.int64) + 1000, name="event")
    named.iloc[: n // 2].to_hdf(path("pandas_append.h5"), key="electrons", format="table", mode="w", complib="blosc:lz4", complevel=5)
    named.iloc[n // 2:].to_hdf(path("pandas_append.h5"), key="electrons", format="table", append=True, complib="blosc:lz4", complevel=5)
    appended = dict(expected)
    del appended["index"]
    appended["event"] = col(np.arange(n, dtype=np.int64) + 1000)
    case("pandas_append", "pandas_append.h5", appended)
    df.to_hdf(path("pandas_columns.h5"), key="events", format="table", mode="w", data_columns=True, complib="zlib", complevel=4)
    case("pandas_columns", "pandas_columns.h5", expected)
    df.to_hdf(path("pandas_fixed.h5"), key="events", format="fixed", mode="w", complib="bzip2", complevel=3)
    fixed = dict(expected)
    del fixed["s"]
    case("pandas_fixed", "pandas_fixed.h5", fixed, skipped=["columns s: pickled Python objects"])
    df.to_hdf(path("pandas_lzo.h5"), key="events", format="table", mode="w", complib="lzo", complevel=3)
    case("pandas_lzo", "pandas_lzo.h5", {}, error="filter 305 (lzo) is not supported")

    # PyTables: a Table, a VLArray of floats, an EArray, CArrays with blosc's codecs and bit-shuffle.
    class Particle(tables.IsDescription):
        energy = tables.Float32Col(pos=0)
        charge = tables.Int8Col(pos=1)
        good = tables.BoolCol(pos=2)
        tag = tables.StringCol(8, pos=3)
        hits = tables.Float64Col(shape=(2,), pos=4)
    with tables.open_file(path("pytables.h5"), "w") as h:
        t = h.create_table("/", "readout", Particle, filters=tables.Filters(complevel=5, complib="blosc:zstd", bitshuffle=True))
        row = t.row
        for k in range(n):
            row["energy"] = k * 0.75
            row["charge"] = 1 if k % 2 else -1
            row["good"] = k % 3 == 0
            row["tag"] = b"t%d" % k
            row["hits"] = (k, -k * 0.5)
            row.append()
        t.flush()
        h.create_group("/", "events")
        vl = h.create_vlarray("/events", "tracks", tables.Float64Atom(), filters=tables.Filters(complevel=1, complib="zlib"))
        for k in range(n):
            vl.append(np.arange(k % 5) * 0.5 + k)
        ea = h.create_earray("/events", "energies", tables.Float32Atom(), (0,), filters=tables.Filters(complevel=5, complib="blosc:blosclz", shuffle=True))
        ea.append((np.arange(n) * 1.25).astype(np.float32))
        for cname in ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"]:
            h.create_carray("/", f"c_{cname}", obj=(np.arange(n * 50) % 251 * 0.5).astype(np.float64),
                            filters=tables.Filters(complevel=7, complib=f"blosc:{cname}", shuffle=cname != "zlib", bitshuffle=cname == "zlib"))
        h.create_carray("/", "c_bzip2", obj=(np.arange(n * 50) % 13).astype(np.int32), filters=tables.Filters(complevel=9, complib="bzip2"))
    ref = (np.arange(n * 50) % 251 * 0.5).astype(np.float64)
    case("pytables_table", "pytables.h5", {"energy": col((np.arange(n) * 0.75).astype(np.float32)), "charge": col(np.where(np.arange(n) % 2, 1, -1).astype(np.int8)),
                                           "good": col(np.arange(n) % 3 == 0, "bool"), "tag": col(np.array([b"t%d" % k for k in range(n)]), "string"),
                                           "hits": col(np.stack([np.arange(n), -np.arange(n) * 0.5], axis=1).astype(np.float64))}, event_group="/readout")
    tracks = [np.arange(k % 5) * 0.5 + k for k in range(n)]
    case("pytables_vlarray", "pytables.h5", {"tracks": {"dtype": "float64", "shape": [], "values": [value(v) for a in tracks for v in a]},
                                             "energies": col((np.arange(n) * 1.25).astype(np.float32))},
         counts={"tracks": [len(a) for a in tracks]})
    for cname in ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"]:
        case(f"pytables_blosc_{cname}", "pytables.h5", {cname: col(ref)}, datasets={cname: f"/c_{cname}"})
    case("pytables_bzip2", "pytables.h5", {"b": col((np.arange(n * 50) % 13).astype(np.int32))}, datasets={"b": "/c_bzip2"})


def main():
    os.makedirs(OUT, exist_ok=True)
    filters()
    layouts()
    links()
    types()
    pandas_files()
    with open(path("manifest.json"), "w") as out:
        json.dump(MANIFEST, out)


if __name__ == "__main__":
    main()
