#!/usr/bin/env bash
# HDF5 read throughput of an N×32×32 float32 dataset, contiguous and chunked (64 rows) + shuffle + gzip 4,
# in batches of rows: this project (src/EnergyRegression.Hdf5, the hdf5 reader plugin, PureHDF's own
# hyperslab reads) side by side with h5py reading the same files. See benchmarks/README.md ("HDF5 reading").
#
#   benchmarks/hdf5-read.sh [N] [REPEATS] [BATCH]     # defaults 20000 images (82 MB), best of 3, 1000 rows
#
# MB/s are uncompressed bytes of the dataset over wall-clock seconds, best of REPEATS after a warm-up read
# (the files are then in the page cache: this measures decoding, not the disk). Needs Debian's python3-h5py
# (scripts/setup.sh installs it) for /usr/bin/python3.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
n="${1:-20000}"
repeats="${2:-3}"
batch="${3:-1000}"
python=/usr/bin/python3
"$python" -c 'import h5py' 2>/dev/null || python=python3

echo "# building benchmarks/EnergyRegression.Benchmarks (Release)" >&2
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" benchmarks/hdf5-read.py make "$tmp" "$n"

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $n images of 32x32 float32, batches of $batch rows, best of $repeats; h5py $("$python" -c 'import h5py; print(h5py.__version__, "HDF5", h5py.version.hdf5_version)')"
echo "# file sizes: contiguous $(du -m "$tmp/contiguous.h5" | cut -f1) MB, chunked+deflate $(du -m "$tmp/chunked.h5" | cut -f1) MB"
printf 'file\treader\tMB/s\tseconds\n'
"$python" benchmarks/hdf5-read.py read "$repeats" "$batch" "$tmp/contiguous.h5" "$tmp/chunked.h5"
dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll hdf5-read --repeats "$repeats" --batch "$batch" \
    "$tmp/contiguous.h5" "$tmp/chunked.h5"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
