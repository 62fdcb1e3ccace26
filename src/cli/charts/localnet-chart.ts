import * as echarts from 'echarts';
import type { EpochInfo } from '../../ledger/client.js';

/** One periodic evaluation of a neuron (held-out batches). */
export interface EvalPoint {
  t: number;
  step: number;
  valLoss: number;
  valLossStudent: number;
  valLossSolo: number | null;
}

const WIDTH = 1000;
const HEIGHT = 440;
const COLORS = ['#2f6fdf', '#e8833a', '#3a9d5d', '#c23b5a', '#8a5cc2', '#6b7280', '#d4a017', '#1b9aaa'];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The localnet chart (SVG, ECharts server-side): left, the trained neurons' mean validation loss per
 * evaluation, with the network, with the student in its place, and of the solo twin; right, each neuron's
 * incentive per epoch (junk dashed).
 */
export function renderLocalnetChart(
  neurons: Array<{ uid: number; junk: boolean; evals: EvalPoint[] }>,
  epochs: EpochInfo[],
): string {
  const trained = neurons.filter((n) => !n.junk && n.evals.length > 0);
  const rounds = Math.min(...trained.map((n) => n.evals.length), Number.POSITIVE_INFINITY);
  const points = (pick: (e: EvalPoint) => number | null) =>
    Number.isFinite(rounds)
      ? Array.from({ length: rounds }, (_, k) => {
          const at = trained.map((n) => n.evals[k]!);
          const values = at.map(pick).filter((v): v is number => typeof v === 'number');
          return [mean(at.map((e) => e.step)), values.length ? mean(values) : null];
        })
      : [];
  const uids = neurons
    .map((n) => n.uid)
    .filter((u) => u >= 0)
    .sort((a, b) => a - b);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'Helvetica, Arial, sans-serif' },
    title: [
      {
        text: 'Validation loss (trained neurons, mean)',
        left: '25%',
        top: 8,
        textAlign: 'center',
        textStyle: { fontSize: 14 },
      },
      { text: 'Incentive per epoch', left: '76%', top: 8, textAlign: 'center', textStyle: { fontSize: 14 } },
    ],
    legend: [
      { left: '6%', bottom: 4, data: ['with the network', 'student (offline)', 'solo twin'] },
      { left: '56%', bottom: 4, data: uids.map((u) => label(neurons, u)) },
    ],
    grid: [
      { left: 60, right: '53%', top: 48, bottom: 70 },
      { left: '56%', right: 24, top: 48, bottom: 70 },
    ],
    xAxis: [
      { gridIndex: 0, type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26 },
      { gridIndex: 1, type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26 },
    ],
    yAxis: [
      { gridIndex: 0, type: 'value', scale: true, name: 'nats / token', nameLocation: 'middle', nameGap: 42 },
      { gridIndex: 1, type: 'value', min: 0, name: 'incentive', nameLocation: 'middle', nameGap: 42 },
    ],
    series: [
      ...[
        { name: 'with the network', pick: (e: EvalPoint) => e.valLoss, color: COLORS[0] },
        { name: 'student (offline)', pick: (e: EvalPoint) => e.valLossStudent, color: COLORS[1] },
        { name: 'solo twin', pick: (e: EvalPoint) => e.valLossSolo, color: COLORS[5] },
      ].map((s) => ({
        name: s.name,
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 0,
        color: s.color,
        showSymbol: true,
        symbolSize: 4,
        data: points(s.pick),
      })),
      ...uids.map((u, i) => ({
        name: label(neurons, u),
        type: 'line',
        xAxisIndex: 1,
        yAxisIndex: 1,
        color: COLORS[i % COLORS.length],
        showSymbol: false,
        lineStyle: { width: 2, type: neurons.find((n) => n.uid === u)?.junk ? 'dashed' : 'solid' },
        data: epochs.map((e) => [e.epoch, e.neurons.find((x) => x.uid === u)?.incentive ?? 0]),
      })),
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function label(neurons: Array<{ uid: number; junk: boolean }>, uid: number): string {
  return `uid ${uid}${neurons.find((n) => n.uid === uid)?.junk ? ' (junk)' : ''}`;
}
