#!/usr/bin/env bash
# The gbdt regressor against XGBoost on the same synthetic 200k x 20 set (issue 10's benchmark):
# training time and sigma_eff side by side, then prediction throughput. Needs python3-xgboost
# (apt-get install python3-xgboost, run with Debian's /usr/bin/python3; not part of CI).
# Usage: benchmarks/gbdt.sh [ROWS] [THREADS]   (THREADS for training and prediction of both; default: all cores)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=${1:-200000}
n=${2:-$(nproc)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dotnet run -c Release --project "$repo/benchmarks/EnergyRegression.Benchmarks" -- gbdt "$dir" "$rows" "$n" > "$dir/ours.txt"
/usr/bin/python3 "$repo/benchmarks/gbdt-xgboost.py" "$dir" "$n" > "$dir/xgb.txt"
value() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
printf '%-28s %14s %14s\n' "" "energyreg gbdt" "XGBoost hist"
printf '%-28s %14s %14s\n' "train seconds" "$(value train_seconds "$dir/ours.txt")" "$(value train_seconds "$dir/xgb.txt")"
printf '%-28s %14s %14s\n' "sigma_eff(pred/true)" "$(value sigma_eff "$dir/ours.txt")" "$(value sigma_eff "$dir/xgb.txt")"
printf '%-28s %14s %14s\n' "predict rows/s ($n threads)" "$(value "predict_${n}threads_rows_per_s" "$dir/ours.txt")" "$(value "predict_${n}threads_rows_per_s" "$dir/xgb.txt")"
printf '%-28s %14s\n' "predict rows/s (1 thread)" "$(value predict_1thread_rows_per_s "$dir/ours.txt")"
printf '%-28s %14s\n' "predict rows/s (ML.NET)" "$(value predict_mlnet_rows_per_s "$dir/ours.txt")"
grep -E '^(trees|identical_to_mlnet)' "$dir/ours.txt"
