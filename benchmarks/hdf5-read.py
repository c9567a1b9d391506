#!/usr/bin/env python3
"""The h5py side of benchmarks/hdf5-read.sh.

    hdf5-read.py make DIR N        writes DIR/contiguous.h5 and DIR/chunked.h5: /images float32 (N, 32, 32)
                                   of calorimeter-like windows (a shower around the centre on a noise floor,
                                   zero-suppressed), contiguous / chunked (64, 32, 32) + shuffle + gzip 4
    hdf5-read.py read REPEATS BATCH FILE...   h5py reads /images in batches of BATCH rows; prints
                                   file, "h5py", MB/s, seconds (best of REPEATS), tab-separated
"""
import os
import sys
import time

import h5py
import numpy as np


def make(directory, n):
    rng = np.random.default_rng(6)
    r = np.arange(32) - 16
    rr = np.sqrt(r[:, None] ** 2 + r[None, :] ** 2)
    profile = np.exp(-rr / 1.5).astype(np.float32)
    energy = rng.uniform(10, 100, size=n).astype(np.float32)
    images = energy[:, None, None] * profile[None, :, :]
    images += rng.normal(0, 0.05, size=images.shape).astype(np.float32)
    images[images < 0.1] = 0
    images = images.astype(np.float32)
    os.makedirs(directory, exist_ok=True)
    with h5py.File(os.path.join(directory, "contiguous.h5"), "w") as f:
        f.create_dataset("images", data=images)
    with h5py.File(os.path.join(directory, "chunked.h5"), "w") as f:
        f.create_dataset("images", data=images, chunks=(64, 32, 32), shuffle=True, compression="gzip", compression_opts=4)


def read(repeats, batch, files):
    for path in files:
        with h5py.File(path, "r") as f:
            ds = f["images"]
            n = ds.shape[0]
            nbytes = ds.size * ds.dtype.itemsize
        best = float("inf")
        for _ in range(repeats + 1):
            start = time.perf_counter()
            with h5py.File(path, "r") as f:
                ds = f["images"]
                for first in range(0, n, batch):
                    ds[first:first + batch]
            best = min(best, time.perf_counter() - start)
        print(f"{os.path.basename(path)}\th5py\t{nbytes / 1e6 / best:.0f}\t{best:.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        read(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
