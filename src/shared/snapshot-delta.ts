import type { EpochPoint, MinerSnapshot, PeerRow } from './api.js';

/** Epoch points the dashboard keeps (the charts' history). */
export const KEEP_EPOCHS = 500;

/** A metagraph row's changed fields (all of them for a new row), by uid. */
export type PeerPatch = Partial<PeerRow> & { uid: number };

/**
 * What the host pushes to a dashboard that holds the previous snapshot: the small top-level fields that changed,
 * the metagraph's rows only where a field of theirs changed (and only those fields), and the epochs finished
 * since (appended; the history is not sent again).
 */
export interface SnapshotDelta {
  changed: Partial<Omit<MinerSnapshot, 'epochs' | 'peers'>>;
  /** The metagraph's size now and its changed rows; absent when it did not change. */
  peers?: { count: number; rows: PeerPatch[] };
  newEpochs: EpochPoint[];
}

/** A push to a dashboard: the whole snapshot (the first, or when a delta cannot say it), or what changed. */
export type SnapshotPush = { type: 'snapshot'; snapshot: MinerSnapshot } | { type: 'delta'; delta: SnapshotDelta };

/** Whether two values of a snapshot are equal: primitives, [uid, weight] lists (compared in place), or as JSON. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b) && (Array.isArray(a[0]) || Array.isArray(b[0]))) {
    return a.length === b.length && a.every((x: unknown[], i) => x[0] === b[i][0] && x[1] === b[i][1]);
  }
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed from `prev` to `next`: null when nothing did, 'whole' when the whole snapshot must go (the
 * metagraph is not indexed by uid, or the epochs do not continue). Arrays the host reuses while they do not
 * change (the metagraph, the epochs) cost a reference comparison.
 */
export function diffSnapshot(prev: MinerSnapshot, next: MinerSnapshot): SnapshotDelta | null | 'whole' {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof MinerSnapshot>) {
    if (key === 'epochs' || key === 'peers') continue;
    if (!same(prev[key], next[key])) changed[key] = next[key];
  }
  const newEpochs = appended(prev.epochs, next.epochs);
  if (newEpochs === undefined) return 'whole';
  let peers: SnapshotDelta['peers'];
  if (prev.peers !== next.peers) {
    if (!next.peers.every((r, i) => r.uid === i)) return 'whole';
    const rows: PeerPatch[] = [];
    for (const row of next.peers) {
      const old = prev.peers[row.uid];
      if (!old) {
        rows.push(row);
        continue;
      }
      const patch: Record<string, unknown> = {};
      for (const field of Object.keys(row) as Array<keyof PeerRow>) {
        if (!same(old[field], row[field])) patch[field] = row[field];
      }
      if (Object.keys(patch).length > 0) rows.push({ ...(patch as Partial<PeerRow>), uid: row.uid });
    }
    if (rows.length > 0 || next.peers.length !== prev.peers.length) peers = { count: next.peers.length, rows };
  }
  if (Object.keys(changed).length === 0 && newEpochs.length === 0 && !peers) return null;
  return { changed: changed as SnapshotDelta['changed'], ...(peers ? { peers } : {}), newEpochs };
}

/** The points of `next` after the last of `prev` when `next` continues `prev`; undefined when it does not. */
function appended(prev: EpochPoint[], next: EpochPoint[]): EpochPoint[] | undefined {
  if (prev === next) return [];
  const last = prev.at(-1)?.epoch ?? 0;
  const at = next.findIndex((p) => p.epoch > last);
  const kept = at === -1 ? next : next.slice(0, at);
  if (kept.length > 0 && kept.at(-1)!.epoch !== last) return undefined;
  return at === -1 ? [] : next.slice(at);
}

/**
 * `prev` with `delta` applied: the host's snapshot now. Idempotent (values are absolute, epochs already held are
 * not appended twice), so a delta that arrives after the snapshot it led to changes nothing.
 */
export function applyDelta(prev: MinerSnapshot, delta: SnapshotDelta): MinerSnapshot {
  const last = prev.epochs.at(-1)?.epoch ?? 0;
  const fresh = delta.newEpochs.filter((p) => p.epoch > last);
  const epochs = fresh.length > 0 ? [...prev.epochs, ...fresh].slice(-KEEP_EPOCHS) : prev.epochs;
  let peers = prev.peers;
  if (delta.peers) {
    peers = prev.peers.slice(0, delta.peers.count);
    for (const patch of delta.peers.rows) peers[patch.uid] = { ...peers[patch.uid], ...patch } as PeerRow;
  }
  return { ...prev, ...delta.changed, peers, epochs };
}
