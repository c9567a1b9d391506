#!/usr/bin/python3
"""XGBoost (Debian python3-xgboost, hist method) on the set GbdtConsole wrote: settings matched with the gbdt
benchmark (300 trees, depth 6, eta 0.1, 255 bins, relative-loss weights 1/y^2). Prints `key value` lines."""
import sys, time
import numpy as np
import xgboost as xgb

directory = sys.argv[1]
features = 20
x = np.fromfile(f"{directory}/train_x.f32", dtype=np.float32).reshape(-1, features)
y = np.fromfile(f"{directory}/train_y.f32", dtype=np.float32)
tx = np.fromfile(f"{directory}/test_x.f32", dtype=np.float32).reshape(-1, features)
ty = np.fromfile(f"{directory}/test_y.f32", dtype=np.float32)
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2

start = time.perf_counter()
train = xgb.DMatrix(x, label=y, weight=1.0 / (y * y), nthread=threads)
booster = xgb.train({"tree_method": "hist", "max_depth": 6, "eta": 0.1, "max_bin": 255, "nthread": threads,
                     "objective": "reg:squarederror", "seed": 7}, train, num_boost_round=300)
print(f"train_seconds {time.perf_counter() - start:.3f}")

prediction = booster.inplace_predict(tx)
response = np.sort(prediction / ty)
k = int(np.ceil(0.682689492137086 * len(response)))
print(f"sigma_eff {np.min(response[k - 1:] - response[:len(response) - k + 1]) / 2:.6f}")

best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    booster.inplace_predict(x)
    best = min(best, time.perf_counter() - start)
print(f"predict_{threads}threads_rows_per_s {len(x) / best:.0f}")
