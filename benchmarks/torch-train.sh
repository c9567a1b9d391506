#!/usr/bin/env bash
# The seeds' CNN (252,929 parameters, batch 32, Adam 0.001) side by side on this machine:
#   (a) a bare TorchSharp loop on in-memory tensors         (benchmarks/EnergyRegression.Benchmarks -- torch-loop)
#   (b) energyreg train from a ROOT file through the chain   (root reader -> window 28x28 -> torch), per-epoch samples/s
#   (c) the same model and batch in PyTorch                  (Debian python3-torch, when importable)
# and inference: energyreg run applying the model (objects/s, reading and writing included) against a bare forward pass.
# Target (issue 9): (b) >= 0.9 x (a).
# Usage: benchmarks/torch-train.sh [STEPS] [THREADS]   (default 300 steps, all cores; ~2 min on 2 idle cores)
#   BENCH_INSTALL_PYTORCH=1 benchmarks/torch-train.sh   installs python3-torch with apt first (benchmarks only; not CI)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-300}
threads=${2:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tool=artifacts/Release/energyreg/energyreg.dll
# Debian's python3-torch lives in the system Python (not in a pyenv or venv python3 that may come first on PATH).
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}

if [ "${BENCH_INSTALL_PYTORCH:-0}" = 1 ] && ! "$python" -c 'import torch' 2>/dev/null; then
    echo "[bench] installing python3-torch (Debian) for column (c)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >&2
fi

dotnet build src/EnergyRegression.Cli -c Release -v quiet -nologo | grep -E " error |warning" && exit 1 || true
dotnet build benchmarks/EnergyRegression.Benchmarks -c Release -v quiet -nologo | grep -E " error |warning" && exit 1 || true

# (a) bare TorchSharp
bare=$(dotnet benchmarks/EnergyRegression.Benchmarks/bin/Release/net10.0/EnergyRegression.Benchmarks.dll torch-loop --steps "$steps" --threads "$threads")
a_train=$(awk '/^torchsharp_train_samples_per_s/ {print $2}' <<<"$bare")
a_forward=$(awk '/^torchsharp_forward_objects_per_s/ {print $2}' <<<"$bare")

# (b) energyreg train through the chain, from a file
dotnet "$tool" simulate --process particle-gun --particle e+ --energy 20:100 --eta 0 --phi pi/2 --events 6400 \
    --seed 3 --quiet -o "$work/gun.root" >/dev/null
epochs=3
per_epoch=$(( (steps + epochs - 1) / epochs ))
cat > "$work/chain.yaml" <<YAML
name: bench-seed-cnn
seed: 1
batch_size: 1000
reader: {type: root, with: {files: ["$work/gun.root"], tree: Events}}
stages:
  - {name: window, type: window, with: {collection: Electron, size: [28, 28]}}
  - name: cnn
    type: torch
    with:
      model: $work/cnn.model
      collection: Electron
      inputs: [Electron_window28x28]
      network: {kind: cnn, channels: [32, 64], dense: [64]}
      target: {truth: Electron_genEnergy, scale: 100}
      training: {batch_size: 32, epochs: $epochs, steps_per_epoch: $per_epoch, learning_rate: 0.001, checkpoints: false}
      threads: $threads
train: {validation: 0.05}
writer: {type: root, with: {path: "$work/applied.root"}}
YAML
start=$(date +%s.%N)
dotnet "$tool" train "$work/chain.yaml" --quiet >"$work/train.log" 2>&1 || { cat "$work/train.log"; exit 1; }
end=$(date +%s.%N)
# Epoch 1 includes the first-call warm-up; the later epochs' times are the steady state (validation pass included).
b_train=$(awk -F, -v n="$per_epoch" 'NR > 2 { s += $6; k++ } END { if (k) printf "%.0f", k * n * 32 / s }' "$work/cnn.curves.csv")
b_wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')

# inference in a chain: energyreg run applies the model (read ROOT -> window -> torch -> write ROOT)
run_out=$(dotnet "$tool" run "$work/chain.yaml" --quiet 2>&1)
run_rate=$(grep -oE '\(([0-9,.]+) events/s\)' <<<"$run_out" | tr -d '(,' | awk '{print $1}')

# (c) PyTorch
c_train="-"; c_forward="-"; c_version="not installed"
if "$python" -c 'import torch' 2>/dev/null; then
    py=$("$python" - "$steps" "$threads" <<'PY'
import sys, time, torch
steps, threads = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads); torch.manual_seed(1)
nn = torch.nn
model = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(3136, 64), nn.ReLU(), nn.Linear(64, 1))
assert sum(p.numel() for p in model.parameters()) == 252929
x, y = torch.rand(3200, 1, 28, 28), torch.rand(3200, 1)
opt = torch.optim.Adam(model.parameters(), 1e-3)
def step(i):
    s = i * 32 % (3200 - 32)
    loss = nn.functional.mse_loss(model(x[s:s + 32]), y[s:s + 32])
    opt.zero_grad(); loss.backward(); opt.step()
for i in range(20): step(i)
t = time.perf_counter()
for i in range(steps): step(i)
train = steps * 32 / (time.perf_counter() - t)
model.eval(); objects = torch.rand(1000, 1, 28, 28)
with torch.no_grad():
    model(objects); passes = max(3, steps // 20); t = time.perf_counter()
    for i in range(passes): model(objects)
forward = passes * 1000 / (time.perf_counter() - t)
print(f"{train:.0f} {forward:.0f} {torch.__version__}")
PY
)
    read -r c_train c_forward c_version <<<"$py"
fi

cpu=$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')
echo "seeds' CNN, batch 32, $threads thread(s), $steps steps; $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %12s\n' "measurement" "value"
printf '%-58s %12s\n' "(a) bare TorchSharp loop, training samples/s" "$a_train"
printf '%-58s %12s\n' "(b) energyreg train through the chain, samples/s" "$b_train"
printf '%-58s %12s\n' "    (b)/(a)" "$(awk -v a="$a_train" -v b="$b_train" 'BEGIN { printf "%.2f", b / a }')"
printf '%-58s %12s\n' "    energyreg train wall time, s (simulated file, 6,400 events)" "$b_wall"
printf '%-58s %12s\n' "(c) PyTorch $c_version, training samples/s" "$c_train"
printf '%-58s %12s\n' "bare TorchSharp forward pass, objects/s (batches of 1000)" "$a_forward"
printf '%-58s %12s\n' "(c) PyTorch forward pass, objects/s" "$c_forward"
printf '%-58s %12s\n' "energyreg run applying the model, objects/s (I/O included)" "$run_rate"
printf '%-58s %12s\n' "    run / bare forward" "$(awk -v a="$a_forward" -v b="$run_rate" 'BEGIN { printf "%.2f", b / a }')"
