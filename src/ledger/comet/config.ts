import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../shared/errors.js';

/**
 * Edits CometBFT's config.toml in place, keeping its comments: `values` maps "section.key" (or "key" for the
 * top level) to a TOML value already written out ('"text"', 'true', '5'). Every key must exist in the file.
 */
export function setTomlValues(text: string, values: Record<string, string>): string {
  const wanted = new Map(Object.entries(values));
  let section = '';
  const lines = text.split('\n').map((line) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      return line;
    }
    const kv = /^(\s*)([A-Za-z0-9_]+)\s*=/.exec(line);
    if (!kv) return line;
    const name = section ? `${section}.${kv[2]}` : kv[2]!;
    const value = wanted.get(name);
    if (value === undefined) return line;
    wanted.delete(name);
    return `${kv[1]}${kv[2]} = ${value}`;
  });
  if (wanted.size > 0) throw new Error(`config.toml has no ${[...wanted.keys()].join(', ')}`);
  return lines.join('\n');
}

/** Reads one value ("section.key") of a config.toml, unquoted; undefined when absent. */
export function getTomlValue(text: string, name: string): string | undefined {
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const kv = /^\s*([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv && (section ? `${section}.${kv[1]}` : kv[1]) === name) return kv[2]!.replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export const configPath = (home: string) => join(home, 'config', 'config.toml');
export const genesisPath = (home: string) => join(home, 'config', 'genesis.json');

/** The addresses a node's config gives: the ABCI socket, its RPC and its P2P listener. */
export interface NodeAddresses {
  proxyApp: string;
  rpc: string;
  p2p: string;
}

export async function readNodeAddresses(home: string): Promise<NodeAddresses> {
  let text: string;
  try {
    text = await readFile(configPath(home), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UserError(
      `${home} is not a CometBFT home (no config/config.toml): give a node folder made by "chain testnet" or "cometbft init"`,
    );
  }
  const get = (name: string) => {
    const v = getTomlValue(text, name);
    if (!v) throw new UserError(`${configPath(home)} has no ${name}: set it, or make the home again`);
    return v;
  };
  return { proxyApp: get('proxy_app'), rpc: get('rpc.laddr'), p2p: get('p2p.laddr') };
}

export async function editConfig(home: string, values: Record<string, string>): Promise<void> {
  const path = configPath(home);
  await writeFile(path, setTomlValues(await readFile(path, 'utf8'), values));
}

/** `tcp://127.0.0.1:26657` -> `http://127.0.0.1:26657`. */
export function httpUrl(laddr: string): string {
  return laddr.replace(/^tcp:\/\//, 'http://');
}
