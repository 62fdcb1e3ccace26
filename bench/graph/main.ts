import Sigma from 'sigma';
import type { PeerRow } from '../../src/shared/api.js';
import { trustGraph } from '../../src/renderer/lib/trust-graph.js';

/** A metagraph of `n` neurons, each weighting `k` others (seeded), as the dashboard receives it. */
function metagraph(n: number, k: number): PeerRow[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, uid) => {
    const targets = new Set<number>();
    while (targets.size < k) targets.add(Math.floor(random() * n));
    targets.delete(uid);
    const weights = [...targets].map((j): [number, number] => [j, 1 / targets.size]);
    return {
      uid,
      hotkey: `hot${uid}`,
      coldkey: `cold${uid}`,
      stake: String(Math.round(10 + random() * 1000)),
      rank: random(),
      trust: random(),
      consensus: random(),
      incentive: random(),
      dividends: random(),
      emission: '0',
      weights,
      gate: null,
      importance: null,
      ourWeight: null,
      latencyMs: null,
      isUs: uid === 0,
    };
  });
}

/** Lays out and draws each size; the results go to window.results for the runner (bench/graph.ts). */
async function run(): Promise<void> {
  const out: Array<Record<string, number>> = [];
  const container = document.getElementById('graph')!;
  for (const n of [128, 512, 1024]) {
    const peers = metagraph(n, 16);
    const t0 = performance.now();
    const graph = trustGraph(peers);
    const t1 = performance.now();
    const sigma = new Sigma(graph, container, { defaultEdgeType: 'arrow' });
    await new Promise(requestAnimationFrame);
    const t2 = performance.now();
    // Interaction: 30 camera moves, each redrawn.
    const frames: number[] = [];
    for (let i = 0; i < 30; i++) {
      const f0 = performance.now();
      sigma.getCamera().setState({ x: 0.5 + i / 100, y: 0.5, ratio: 1 - i / 60 });
      sigma.refresh();
      frames.push(performance.now() - f0);
    }
    frames.sort((a, b) => a - b);
    out.push({
      nodes: graph.order,
      edges: graph.size,
      layoutMs: t1 - t0,
      firstDrawMs: t2 - t1,
      frameP50Ms: frames[15]!,
    });
    sigma.kill();
  }
  (window as unknown as { results: unknown }).results = out;
}
void run().catch((e: Error) => ((window as unknown as { results: unknown }).results = { error: e.message }));
