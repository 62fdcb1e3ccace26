// Compiles our .proto files with protons and marks the output as generated.
// Run: npm run proto
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const proto = 'src/neuron/network/proto/bittensor.proto';
const out = proto.replace(/\.proto$/, '.ts');
execFileSync(process.execPath, ['node_modules/protons/dist/bin/protons.js', proto], { stdio: 'inherit' });
const header =
  '// Generated from bittensor.proto by protons (npm run proto); do not edit.\n' +
  "// @ts-nocheck: the generator emits parameters it does not read, which this project's settings refuse.\n";
// protons decodes `repeated uint32 shape` only in the unpacked form; proto3 encoders (Python, Go, ...) send it
// packed by default, and a decoder must accept both. Teach the message decoder the packed form.
const unpacked = '              obj.shape.push(reader.uint32())\n';
const both =
  '              if ((tag & 7) === 2) {\n' +
  '                const packedEnd = reader.uint32() + reader.pos\n' +
  '                while (reader.pos < packedEnd) {\n' +
  '                  if (opts.limits?.shape != null && obj.shape.length === opts.limits.shape) {\n' +
  '                    throw new MaxLengthError(\'Decode error - repeated field "shape" had too many elements\')\n' +
  '                  }\n' +
  '                  obj.shape.push(reader.uint32())\n' +
  '                }\n' +
  '              } else {\n' +
  '                obj.shape.push(reader.uint32())\n' +
  '              }\n';
const source = readFileSync(out, 'utf8');
if (!source.includes(unpacked))
  throw new Error('gen-proto: the generated shape decoder changed; update the packed-field patch');
writeFileSync(out, header + source.replace(unpacked, both));

// The ABCI 2.0 messages CometBFT speaks to our ledger application (no packed scalars in it).
const abci = 'src/ledger/abci/proto/abci.proto';
const abciOut = abci.replace(/\.proto$/, '.ts');
execFileSync(process.execPath, ['node_modules/protons/dist/bin/protons.js', abci], { stdio: 'inherit' });
writeFileSync(abciOut, header.replace('bittensor.proto', 'abci.proto') + readFileSync(abciOut, 'utf8'));
