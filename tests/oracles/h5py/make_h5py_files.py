#!/usr/bin/env python3
"""Writes the fixed h5py files the hdf5 tests read (tests/EnergyRegression.Plugins.Hdf5.Tests, H5pyFileTests).

    make_h5py_files.py OUTDIR

Every value follows from a formula the tests repeat in C#, and the tests also compare with what h5py
itself reads back (dump_h5py.py). Files:

  images_labels.h5  /images float32 (300, 32, 32), chunked (64, 32, 32), shuffle + gzip 4;
                    /energies float64 (300,), contiguous; /eta float32 (300,) big-endian, chunked + gzip
  table.h5          the table layout: /events (run >i4, rho >f8, flag bool, lumi uint16,
                    image float32 (N, 4, 4) chunked (16, 4, 4) gzip), /Electron (counts int64 with empty and
                    one 5000-object entry; pt float32 chunked (7,) shuffle + gzip 9; charge int8; window
                    float32 (M, 3, 3)), /Photon (offsets uint32; e >f8; id uint64 near 2**64)
  compound.h5       /events/cands: compound {e <f4, eta >f8, n <i2, ok bool, label S8}, chunked (10,) + gzip;
                    /events/run int64
  userblock.h5      a 512-byte user block, then /events/x float64 and /events/img int16 (1000, 2, 2), contiguous
"""
import os
import sys

import h5py
import numpy as np

N = 300
SPECIAL = {7: np.nan, 8: np.inf, 9: -np.inf, 10: -0.0}


def images_labels(path):
    i, r, c = np.meshgrid(np.arange(N), np.arange(32), np.arange(32), indexing="ij")
    images = ((i * 1024 + r * 32 + c) * 0.25).astype(np.float32)
    for k, v in SPECIAL.items():
        images[k, 3, 5] = v
    energies = (np.arange(N) * 1.5 + 0.125).astype(np.float64)
    energies[11] = np.nan
    eta = (np.arange(N) * 0.01 - 1.5).astype(">f4")
    with h5py.File(path, "w") as f:
        f.create_dataset("images", data=images, chunks=(64, 32, 32), compression="gzip", compression_opts=4, shuffle=True)
        f.create_dataset("energies", data=energies)
        f.create_dataset("eta", data=eta, dtype=">f4", chunks=(50,), compression="gzip")


def electron_counts(n):
    counts = np.array([(e * 7) % 4 for e in range(n)], dtype=np.int64)
    counts[5] = 5000
    counts[6] = 0
    return counts


def table(path):
    n = N
    counts = electron_counts(n)
    m = int(counts.sum())
    photon_counts = np.array([e % 3 for e in range(n)], dtype=np.uint32)
    photon_offsets = np.concatenate([[0], np.cumsum(photon_counts)]).astype(np.uint32)
    p = int(photon_offsets[-1])
    with h5py.File(path, "w") as f:
        ev = f.create_group("events")
        ev.create_dataset("run", data=(np.arange(n) + 1000).astype(">i4"), dtype=">i4")
        rho = (np.arange(n) * 0.5 - 3.25).astype(">f8")
        rho[7] = np.nan
        rho[8] = -np.inf
        ev.create_dataset("rho", data=rho, dtype=">f8")
        ev.create_dataset("flag", data=(np.arange(n) % 3 == 0))
        ev.create_dataset("lumi", data=(np.arange(n) * 200 % 65536).astype(np.uint16))
        img = (np.arange(n * 16).reshape(n, 4, 4) * 0.5).astype(np.float32)
        ev.create_dataset("image", data=img, chunks=(16, 4, 4), compression="gzip")
        el = f.create_group("Electron")
        el.create_dataset("counts", data=counts)
        pt = (np.arange(m) * 0.25 + 5.0).astype(np.float32)
        pt[3] = np.inf
        el.create_dataset("pt", data=pt, chunks=(7,), compression="gzip", compression_opts=9, shuffle=True)
        el.create_dataset("charge", data=np.where(np.arange(m) % 2 == 0, 1, -1).astype(np.int8))
        el.create_dataset("window", data=(np.arange(m * 9).reshape(m, 3, 3) % 1000 * 0.125).astype(np.float32),
                          chunks=(500, 3, 3), compression="gzip", shuffle=True)
        ph = f.create_group("Photon")
        ph.create_dataset("offsets", data=photon_offsets)
        ph.create_dataset("e", data=(np.arange(p) * 2.5 + 1.0).astype(">f8"), dtype=">f8")
        ph.create_dataset("id", data=(np.uint64(2**64 - 1) - np.arange(p, dtype=np.uint64)))
        f.create_dataset("note", data=np.bytes_("not a column"))  # a scalar string at the top: ignored


def compound(path):
    n = 57
    dt = np.dtype([("e", "<f4"), ("eta", ">f8"), ("n", "<i2"), ("ok", "?"), ("label", "S8")])
    a = np.zeros(n, dtype=dt)
    a["e"] = np.arange(n) * 1.25
    a["e"][4] = np.nan
    a["eta"] = np.arange(n) * -0.5
    a["n"] = np.arange(n) * 3 - 80
    a["ok"] = np.arange(n) % 2 == 1
    a["label"] = [b"c%d" % k for k in range(n)]
    with h5py.File(path, "w") as f:
        ev = f.create_group("events")
        ev.create_dataset("cands", data=a, chunks=(10,), compression="gzip")
        ev.create_dataset("run", data=np.arange(n, dtype=np.int64) * 10)


def user_block(path):
    # A 512-byte user block before the HDF5 data: addresses are relative to the base address 512.
    with h5py.File(path, "w", userblock_size=512) as f:
        ev = f.create_group("events")
        ev.create_dataset("x", data=np.arange(1000, dtype=np.float64) * 0.5)
        ev.create_dataset("img", data=np.arange(1000 * 4, dtype=np.int16).reshape(1000, 2, 2))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    images_labels(os.path.join(out, "images_labels.h5"))
    table(os.path.join(out, "table.h5"))
    compound(os.path.join(out, "compound.h5"))
    user_block(os.path.join(out, "userblock.h5"))


if __name__ == "__main__":
    main()
