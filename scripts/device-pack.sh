#!/usr/bin/env bash
# Prepares ./device-pack for scripts/device-check.sh on a machine without internet or Node (a rented GPU box, the
# device tool, which carries at most 64 MiB): this Node binary, node_modules without what only builds, lints or
# packages the app (and without source maps, browser bundles and other platforms' Dawn builds), the compiled
# dist/ the worker threads load, and Debian's Vulkan loader with the GL dispatch libraries NVIDIA's Vulkan driver
# links against, as .deb files. Run here after `npm ci && npm run build`, where Debian's mirror is reachable.
# device-check.sh unpacks it there.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE="${NODE:-$(command -v node)}"
if [ ! -d node_modules ] || [ ! -f dist/neuron/worker/replica-entry.js ]; then
  echo "device-pack: run npm ci and npm run build first (node_modules and dist/ are packed)" >&2
  exit 2
fi

rm -rf device-pack && mkdir -p device-pack
xz -T0 -6 -c "$NODE" > device-pack/node.xz

# The packages the check loads: the app's runtime dependencies (without the renderer's charts and the desktop
# updater) and what runs the check (tsx, webgpu, two libraries the sources import), with every
# package they depend on, read from package-lock.json the way Node resolves them.
closure() {
  node --input-type=module -e '
    import { readFileSync, existsSync } from "node:fs";
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
    const keep = new Set();
    const resolve = (from, name) => {
      for (let base = from; ; ) {
        const key = `${base ? base + "/" : ""}node_modules/${name}`;
        if (lock[key]) return key;
        if (!base) return undefined;
        const i = base.lastIndexOf("/node_modules/");
        base = i < 0 ? "" : base.slice(0, i);
      }
    };
    const visit = (key) => {
      if (!key || keep.has(key) || !existsSync(key)) return;
      keep.add(key);
      const p = lock[key];
      for (const d of Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies }))
        visit(resolve(key, d));
    };
    const deps = Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies);
    const roots = deps.filter((d) => d !== "echarts" && d !== "electron-updater");
    // tfjs requires long and seedrandom without declaring them (found hoisted beside it).
    const extra = ["webgpu", "tsx", "@petamoriken/float16", "@noble/curves", "long", "seedrandom", "node-fetch"];
    for (const r of [...roots, ...extra])
      visit(resolve("", r));
    // A package nested inside a kept one travels with it.
    const top = [...keep].filter((k) => ![...keep].some((o) => k.startsWith(o + "/")));
    console.log(top.sort().join("\n"));
  '
}
# Within them, what Node never reads: source maps, type declarations, tfjs's browser bundles (Node loads
# dist/*.node.js and the .wasm files), other platforms' native builds.
excludes=(--exclude='*.map' --exclude='*.d.ts' --exclude='*.html'
  --exclude='node_modules/@tensorflow/*/dist/*.min.js' --exclude='node_modules/@tensorflow/*/dist/*.es2017.js'
  --exclude='node_modules/@tensorflow/*/dist/*.fesm.js' --exclude='node_modules/@tensorflow/tfjs/dist/miniprogram'
  --exclude='node_modules/@tensorflow/tfjs/dist/tf.js' --exclude='node_modules/@tensorflow/tfjs-core/dist/tf-core.js'
  --exclude='node_modules/@tensorflow/tfjs-layers/dist/tf-layers.js'
  --exclude='node_modules/@tensorflow/tfjs-converter/dist/tf-converter.js'
  --exclude='node_modules/@tensorflow/tfjs-backend-*/dist/tf-backend-cpu.js'
  --exclude='node_modules/@tensorflow/tfjs-backend-*/dist/tf-backend-webgl.js'
  --exclude='node_modules/@tensorflow/tfjs-backend-*/dist/tf-backend-wasm.js'
  --exclude='node_modules/@tensorflow/tfjs-backend-*/dist/tf-backend-webgpu.js'
  --exclude='node_modules/@tensorflow/tfjs-data/dist/tf-data.js'
  --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/darwin-*'
  --exclude='node_modules/webgpu/dist/linux-arm64' --exclude='node_modules/classic-level/prebuilds/[!l]*'
  --exclude='node_modules/classic-level/prebuilds/linux-arm*'
  --exclude='node_modules/gpt-tokenizer/src' --exclude='node_modules/gpt-tokenizer/data')
tar "${excludes[@]}" -cf - $(closure) dist | xz -T0 -6 > device-pack/modules.tar.xz

(cd device-pack && apt-get download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 > /dev/null)
du -sh device-pack/*
du -sh device-pack
