#!/usr/bin/env bash
# The GPU check, for a bare Linux machine with an NVIDIA GPU and no internet (a rented box, the device tool):
# finds the Vulkan loader and NVIDIA's Vulkan driver, runs the backend ladder's self-test on the real model
# (auto and WebGPU by name), `bench:gpu` and `bench:train`, and writes what it found and measured to
# $OUT/device-check.md (default ./device-check). Needs only this working tree and what scripts/device-pack.sh put
# in ./device-pack (Node, node_modules with dist/, Debian's Vulkan loader), unpacked here when the machine lacks
# them; or a Node on PATH (NODE=/path/to/node) and node_modules already in place. Under 10 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."

OUT="${OUT:-./device-check}"
mkdir -p "$OUT"
REPORT="$OUT/device-check.md"
PACK="${PACK:-$PWD/device-pack}"

# Node and node_modules from the pack when the machine has none.
NODE="${NODE:-$(command -v node || true)}"
if { [ -z "$NODE" ] || [ ! -x "$NODE" ]; } && [ -f "$PACK/node.xz" ]; then
  NODE="$PACK/bin/node"
  mkdir -p "$PACK/bin" && xz -dc "$PACK/node.xz" > "$NODE" && chmod +x "$NODE"
fi
if [ -z "$NODE" ] || [ ! -x "$NODE" ]; then
  echo "device-check: no node binary: put one on PATH, set NODE=/path/to/node, or run scripts/device-pack.sh" >&2
  exit 2
fi
if [ ! -d node_modules ] && [ -f "$PACK/modules.tar.xz" ]; then
  xz -T0 -dc "$PACK/modules.tar.xz" | tar -xf -
fi
if [ ! -d node_modules/@tensorflow/tfjs-backend-webgpu ] || [ ! -d node_modules/webgpu ]; then
  echo "device-check: node_modules lacks the WebGPU backend or the webgpu package: run npm ci where there is a registry, and carry node_modules (scripts/device-pack.sh)" >&2
  exit 2
fi
export PATH="$(dirname "$NODE"):$PATH"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

# The Vulkan loader: the system's, or Debian's libvulkan1 (and the GL dispatch libraries) from the pack, unpacked
# beside it and found through LD_LIBRARY_PATH.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  for deb in "$PACK"/*.deb; do [ -f "$deb" ] && dpkg -x "$deb" "$PACK/root"; done
  loader="$(find "$PACK" -name 'libvulkan.so.1' 2>/dev/null | head -1)"
  if [ -n "$loader" ]; then
    export LD_LIBRARY_PATH="$(dirname "$loader")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    echo "device-check: no Vulkan loader (libvulkan.so.1) here or in $PACK; WebGPU will find no adapter" >&2
  fi
fi
# NVIDIA's Vulkan driver manifest: container images keep it under /usr/local/nvidia, distributions under /usr/share.
if [ -z "${VK_DRIVER_FILES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/nvidia_icd*.json \
           /etc/vulkan/icd.d/nvidia_icd*.json; do
    if [ -f "$f" ]; then export VK_DRIVER_FILES="$f"; break; fi
  done
fi

# cuBLAS's float32 matmul at 2048 x 2048 through PyTorch, where it is installed: what the GPU's fp32 units give at
# that size (TF32 off), the yardstick for WebGPU's matmul at the same size.
torch_fp32() {
  python3 - <<'PY' 2>&1 | tail -1
import time, torch
torch.backends.cuda.matmul.allow_tf32 = False
a = torch.randn(2048, 2048, device="cuda"); b = torch.randn(2048, 2048, device="cuda")
for _ in range(5): a @ b
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(50): a @ b
torch.cuda.synchronize(); ms = (time.perf_counter() - t) / 50 * 1000
print(f"cuBLAS (PyTorch {torch.__version__}) float32 2048 x 2048: {2 * 2048**3 / ms / 1e6:.0f} GFLOP/s ({ms:.3f} ms)")
PY
}

{
  echo "# Device check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- node $("$NODE" --version), $(uname -srm), $(nproc) CPUs"
  echo "- Vulkan loader: $(ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' && echo system || echo "${LD_LIBRARY_PATH:-none}")"
  echo "- VK_DRIVER_FILES: ${VK_DRIVER_FILES:-none found}"
  if command -v nvidia-smi > /dev/null; then
    echo "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total,utilization.gpu,temperature.gpu --format=csv,noheader 2>&1 | head -1)"
    echo "- $(torch_fp32)"
  else
    echo "- GPU: nvidia-smi not found"
  fi
  echo
  echo "## Backend ladder, real model size (auto, then WebGPU by name)"
  echo
  echo '```'
  for choice in ${LADDER_CHOICES:-auto webgpu}; do
    timeout "${LADDER_TIMEOUT:-150}" "$NODE" --import tsx test/fixtures/backend-ladder.ts "$choice" --full > "$OUT/ladder-$choice.log" 2>&1
    echo "exit $?: $(tail -1 "$OUT/ladder-$choice.log")"
  done
  echo '```'
  echo
  # What sizes the GPU preset and sets tfjs's WebGPU flags: kernel cost, matmul programs, the step by batch.
  echo "## bench:gpu"
  echo
  timeout "${BENCH_TIMEOUT:-200}" "$NODE" --import tsx bench/gpu.ts > "$OUT/bench-gpu.log" 2>&1
  echo "exit $?"
  grep -v '^{' "$OUT/bench-gpu.log" | tail -45
  echo
  # The backends table first, on its own: it holds the GPU's figures; then threads and serving (CPU figures).
  for part in ${TRAIN_PARTS:-backends threads,serving}; do
    echo "## bench:train ($part)"
    echo
    BENCH_TRAIN_PARTS="$part" BENCH_TRAIN_BACKENDS=wasm,webgpu,tensorflow-gpu \
      BENCH_TRAIN_THREADS="${BENCH_TRAIN_THREADS:-1,2,4,8,1,2,4,8}" \
      BENCH_TRAIN_SECONDS="${BENCH_TRAIN_SECONDS:-10}" timeout "${BENCH_TIMEOUT:-200}" \
      "$NODE" --import tsx bench/train.ts > "$OUT/bench-train-${part%%,*}.log" 2>&1
    echo "exit $?"
    grep -v '^{' "$OUT/bench-train-${part%%,*}.log" | tail -25
    echo
  done
} 2>&1 | tee "$REPORT"
