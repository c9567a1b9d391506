#!/usr/bin/env python3
"""Where HDF5 stores a chunked dataset's chunks, as HDF5 itself says (H5Dget_chunk_info through h5py).

    chunk_info.py FILE DATASET     prints [[file offset, stored size, first row], ...] as JSON
"""
import json
import sys

import h5py

with h5py.File(sys.argv[1], "r") as f:
    ds = f[sys.argv[2]]
    chunks = []
    for i in range(ds.id.get_num_chunks()):
        info = ds.id.get_chunk_info(i)
        chunks.append([info.byte_offset, info.size, info.chunk_offset[0]])
    json.dump(chunks, sys.stdout)
