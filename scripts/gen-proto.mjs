// Compiles src/neuron/network/proto/bittensor.proto with protons and marks the output as generated.
// Run: npm run proto
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const proto = 'src/neuron/network/proto/bittensor.proto';
const out = proto.replace(/\.proto$/, '.ts');
execFileSync(process.execPath, ['node_modules/protons/dist/bin/protons.js', proto], { stdio: 'inherit' });
const header =
  '// Generated from bittensor.proto by protons (npm run proto); do not edit.\n' +
  '// @ts-nocheck: the generator emits parameters it does not read, which this project\'s settings refuse.\n';
writeFileSync(out, header + readFileSync(out, 'utf8'));
