import * as echarts from 'echarts';
import type { CollusionScenario, CollusionSeries } from '../../ledger/mechanism/index.js';

const WIDTH = 1000;
const HEIGHT = 440;
const COLORS = ['#2f6fdf', '#e8833a', '#c23b5a', '#3a9d5d', '#8a5cc2', '#6b7280'];

/**
 * Draws the cabal's stake share per epoch as an SVG: Yuma consensus on the left, the naive ranking
 * (no consensus term) on the right, one line per initial cabal stake. Rendered server-side by ECharts.
 */
export function renderCollusionChart(series: CollusionSeries[], scenario: CollusionScenario | undefined): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  const panels = [
    { title: 'Yuma consensus (trust-scaled incentive, bonds)', key: 'yuma' as const },
    { title: 'Naive ranking R = Wᵀ S (no consensus term)', key: 'naive' as const },
  ];
  const subtitle = scenario
    ? `${scenario.honestPeers} honest peers vs a cabal of ${scenario.cabalPeers}; ${scenario.params.emission} token(s) ` +
      `minted per epoch on an initial supply of ${scenario.initialStake}`
    : '';
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    color: COLORS,
    textStyle: { fontFamily: 'Helvetica, Arial, sans-serif' },
    title: [
      { text: "The cabal's share of all stake, per epoch", subtext: subtitle, left: 'center', top: 6 },
      ...panels.map((p, i) => ({
        text: p.title,
        left: i === 0 ? '27%' : '75%',
        top: 64,
        textAlign: 'center',
        textStyle: { fontSize: 13, fontWeight: 'normal' },
      })),
    ],
    legend: { bottom: 4, itemGap: 28, data: series.map((s) => `cabal stake ${s.cabalStake}`) },
    grid: [
      { left: 60, right: '53%', top: 96, bottom: 70 },
      { left: '55%', right: 24, top: 96, bottom: 70 },
    ],
    xAxis: panels.map((_, i) => ({ gridIndex: i, type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26 })),
    yAxis: panels.map((_, i) => ({
      gridIndex: i,
      type: 'value',
      min: 0,
      max: 0.5,
      name: i === 0 ? 'cabal share' : '',
      nameLocation: 'middle',
      nameGap: 42,
    })),
    series: panels.flatMap((panel, i) =>
      series.map((s) => ({
        name: `cabal stake ${s.cabalStake}`,
        type: 'line',
        xAxisIndex: i,
        yAxisIndex: i,
        showSymbol: false,
        lineStyle: { width: 2 },
        data: Array.from(s[panel.key], (v, e) => [e, v]),
      })),
    ),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
