#!/usr/bin/env python3
"""The h5py side of benchmarks/hdf5-table.sh (issue 28's case: a 10^6-row x 10-column float32 table,
shuffle + gzip).

    hdf5-table.py make FILE ROWS      writes /events/c0 ... /events/c9 float32 (ROWS,), chunked as h5py
                                      chooses (chunks=True), shuffle + gzip 4
    hdf5-table.py read FILE BATCH     reads every column in batches of BATCH rows and keeps the rows with
                                      c0 > 1e30 (none): what a chain with one filter does
    hdf5-table.py dump FILE           prints the table as JSON Lines, one object per row (what
                                      `energyreg dump FILE` prints), reading 10 000 rows at a time
"""
import json
import sys

import h5py
import numpy as np

COLUMNS = [f"c{k}" for k in range(10)]


def make(path, rows):
    rng = np.random.default_rng(28)
    with h5py.File(path, "w") as f:
        ev = f.create_group("events")
        for k, name in enumerate(COLUMNS):
            # Detector-like values: a few significant digits, so the data compresses as real data does.
            values = np.round(rng.normal(50 + k, 10, rows), 2).astype(np.float32)
            ev.create_dataset(name, data=values, chunks=True, shuffle=True, compression="gzip", compression_opts=4)


def read(path, batch):
    kept = 0
    with h5py.File(path, "r") as f:
        ds = [f["events/" + c] for c in COLUMNS]
        n = ds[0].shape[0]
        for first in range(0, n, batch):
            block = [d[first:first + batch] for d in ds]
            kept += int(np.count_nonzero(block[0] > 1e30))
    print(kept)


def dump(path):
    out = sys.stdout
    with h5py.File(path, "r") as f:
        ds = [f["events/" + c] for c in COLUMNS]
        n = ds[0].shape[0]
        for first in range(0, n, 10000):
            block = [d[first:first + 10000].tolist() for d in ds]
            for i in range(len(block[0])):
                out.write(json.dumps({c: block[k][i] for k, c in enumerate(COLUMNS)}, separators=(",", ":")))
                out.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "read":
        read(sys.argv[2], int(sys.argv[3]))
    else:
        dump(sys.argv[2])
