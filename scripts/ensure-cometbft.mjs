// Makes sure the cometbft binary the chain tests run is here: found on PATH or in $GOPATH/bin (Go's default
// ~/go/bin), else built from source with `go install` (a minute or two, once). Run by `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const VERSION = '0.38.25';
const MODULE = `github.com/cometbft/cometbft/cmd/cometbft@v${VERSION}`;

function goPath() {
  try {
    return execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
  } catch {
    return process.env.GOPATH ?? join(homedir(), 'go');
  }
}

function find() {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    ...goPath()
      .split(delimiter)
      .map((d) => join(d, 'bin')),
  ];
  for (const dir of dirs.filter(Boolean)) {
    const path = join(dir, 'cometbft');
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    const version = spawnSync(path, ['version'], { encoding: 'utf8' }).stdout?.trim();
    if (version === VERSION) return path;
  }
  return undefined;
}

if (!find()) {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    console.error(
      `error: the chain tests need CometBFT ${VERSION}; install Go (https://go.dev/dl), then run: go install ${MODULE}`,
    );
    process.exit(1);
  }
  console.error(`Building CometBFT ${VERSION} with go install (once; a minute or two)...`);
  const built = spawnSync('go', ['install', MODULE], { stdio: 'inherit' });
  if (built.status !== 0 || !find()) {
    console.error(`error: go install ${MODULE} failed; run it by hand to see why`);
    process.exit(1);
  }
}
