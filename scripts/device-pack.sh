#!/usr/bin/env bash
# Prepares ./device-pack for scripts/device-check.sh on a machine without internet: Debian's Vulkan loader
# (libvulkan1), unpacked, for GPU boxes whose image lacks it. Run here, where Debian's mirror is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf device-pack && mkdir -p device-pack/root
(cd device-pack && apt-get download libvulkan1 > /dev/null)
for deb in device-pack/*.deb; do dpkg -x "$deb" device-pack/root; done
find device-pack/root -name 'libvulkan.so.1*'
