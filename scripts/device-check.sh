#!/usr/bin/env bash
# The GPU check, for a bare Linux machine with an NVIDIA GPU and no internet (a rented box, the device tool):
# finds the Vulkan loader and NVIDIA's Vulkan driver, runs the backend ladder's self-test on the real model
# (auto and WebGPU by name) and `bench:train`, and writes what it found and measured to $OUT/device-check.md
# (default ./device-check). Needs only what is carried: a Node binary (on PATH or NODE=/path/to/node) and this
# working tree with node_modules; Debian's libvulkan1 unpacked beside it when the machine lacks the loader
# (scripts/device-pack.sh prepares that folder here, VULKAN_DIR points at it there). Under 10 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."

OUT="${OUT:-./device-check}"
mkdir -p "$OUT"
REPORT="$OUT/device-check.md"
NODE="${NODE:-$(command -v node || true)}"
if [ -z "$NODE" ] || [ ! -x "$NODE" ]; then
  echo "device-check: no node binary: put one on PATH or set NODE=/path/to/node" >&2
  exit 2
fi
if [ ! -d node_modules/@tensorflow/tfjs-backend-webgpu ] || [ ! -d node_modules/webgpu ]; then
  echo "device-check: node_modules lacks the WebGPU backend or the webgpu package: run npm ci where there is a registry, and carry node_modules" >&2
  exit 2
fi
export PATH="$(dirname "$NODE"):$PATH"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

# The Vulkan loader: the system's, or Debian's libvulkan1 unpacked (dpkg -x) under VULKAN_DIR.
VULKAN_DIR="${VULKAN_DIR:-$PWD/device-pack}"
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  loader="$(find "$VULKAN_DIR" -name 'libvulkan.so.1' 2>/dev/null | head -1)"
  if [ -n "$loader" ]; then
    export LD_LIBRARY_PATH="$(dirname "$loader")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    echo "device-check: no Vulkan loader (libvulkan.so.1) here or under $VULKAN_DIR; WebGPU will find no adapter" >&2
  fi
fi
# NVIDIA's Vulkan driver manifest: container images keep it under /usr/local/nvidia, distributions under /usr/share.
if [ -z "${VK_DRIVER_FILES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/nvidia_icd*.json \
           /etc/vulkan/icd.d/nvidia_icd*.json; do
    if [ -f "$f" ]; then export VK_DRIVER_FILES="$f"; break; fi
  done
fi

{
  echo "# Device check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- node $("$NODE" --version), $(uname -srm), $(nproc) CPUs"
  echo "- Vulkan loader: $(ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' && echo system || echo "${LD_LIBRARY_PATH:-none}")"
  echo "- VK_DRIVER_FILES: ${VK_DRIVER_FILES:-none found}"
  if command -v nvidia-smi > /dev/null; then
    echo "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total,utilization.gpu,temperature.gpu --format=csv,noheader 2>&1 | head -1)"
  else
    echo "- GPU: nvidia-smi not found"
  fi
  echo
  echo "## Backend ladder, real model size (auto, then WebGPU by name)"
  echo
  echo '```'
  for choice in auto webgpu; do
    timeout 240 "$NODE" --import tsx test/fixtures/backend-ladder.ts "$choice" --full 2>&1 | tail -3
  done
  echo '```'
  echo
  echo "## bench:train"
  echo
  BENCH_TRAIN_SECONDS="${BENCH_TRAIN_SECONDS:-10}" timeout 300 "$NODE" --import tsx bench/train.ts 2>&1 | tail -30
} > "$REPORT"
cat "$REPORT"
