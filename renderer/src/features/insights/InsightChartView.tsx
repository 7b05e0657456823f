// One Insights chart drawn with Apache ECharts (tree-shaken: bars, pies, the SVG renderer, grid, tooltip and aria),
// in the window's light or dark colours; a click on a bar or slice opens its users. Its numbers are also a table,
// where each count is a button (the keyboard's and screen readers' way to the same users).
import { useEffect, useRef, useState } from 'react';
import { BarChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { InsightBar, InsightChart } from '../../../../preload/contract';
import { count } from '../../format';
import { isTheme, usePref } from '../../stores/prefs';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

/** The window's colours, as the chart needs them (ECharts draws with values, not the stylesheet's variables). */
const PALETTES = {
  light: {
    text: '#1b1f24',
    muted: '#4f5863',
    line: '#d0d5dc',
    surface: '#ffffff',
    series: ['#1d4ed8', '#c2410c', '#15803d', '#7c3aed', '#a16207', '#be185d', '#0f766e', '#4b5563'],
  },
  dark: {
    text: '#e8eaed',
    muted: '#aab2bd',
    line: '#3a414b',
    surface: '#1c1f24',
    series: ['#8ab4f8', '#fdba74', '#86efac', '#c4b5fd', '#fde047', '#f9a8d4', '#5eead4', '#cbd5e1'],
  },
};

/** Light or dark as the window shows it now: the chosen theme, or the system's. */
export function useScheme(): 'light' | 'dark' {
  const theme = usePref('theme', 'system', isTheme);
  const query = '(prefers-color-scheme: dark)';
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setSystemDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}

/** Category names are long (connections, roles): their bars lie down. */
const horizontal = (chart: InsightChart) => chart.id === 'connections' || chart.id === 'roles';

export function chartHeight(chart: InsightChart): number {
  return horizontal(chart) ? Math.max(160, 48 + 30 * chart.bars.length) : 260;
}

/** The chart in words: its name for screen readers (ECharts' aria option writes it on the chart, too). */
const inWords = (chart: InsightChart) =>
  `${chart.title}: ${chart.bars.map((b) => `${b.label}: ${count(b.count)}`).join('; ')}. The table view lists the same numbers, each opening its users.`;

function options(chart: InsightChart, scheme: 'light' | 'dark'): echarts.EChartsCoreOption {
  const p = PALETTES[scheme];
  const base = {
    animation: false,
    textStyle: { color: p.text, fontFamily: 'system-ui, sans-serif', fontSize: 13 },
    tooltip: {
      trigger: 'item',
      backgroundColor: p.surface,
      borderColor: p.line,
      textStyle: { color: p.text },
    },
    aria: { enabled: true, label: { description: inWords(chart) } },
  };
  if (chart.kind === 'pie')
    return {
      ...base,
      // Blocked users are the part to notice: the warm colour is theirs.
      color: chart.id === 'blocked' ? [p.series[1]!, p.series[0]!] : p.series,
      series: [
        {
          type: 'pie',
          name: chart.title,
          radius: ['38%', '68%'],
          // Parts with no user would be slices of nothing, their labels piled up: the table lists them.
          data: chart.bars.filter((b) => b.count > 0).map((b) => ({ name: b.label, value: b.count })),
          label: { color: p.text, formatter: '{b}: {c}' },
          labelLine: { lineStyle: { color: p.muted } },
          itemStyle: { borderColor: p.surface, borderWidth: 2 },
        },
      ],
    };
  const lying = horizontal(chart);
  const categories = chart.bars.map((b) => b.label);
  const category = {
    type: 'category',
    data: lying ? [...categories].reverse() : categories,
    axisLabel: {
      color: p.text,
      interval: 0,
      // Months by name, the year under the first and under January; ranges wrap under their bar; long names are
      // cut with an ellipsis (the tooltip and the table have them whole).
      ...(chart.id === 'signups'
        ? {
            formatter: (v: string, i: number) =>
              i === 0 || v.startsWith('Jan') ? v.replace(' ', '\n') : v.split(' ')[0],
          }
        : {}),
      ...(lying ? { width: 220, overflow: 'truncate' } : { width: 60, overflow: 'break', lineHeight: 15 }),
    },
    axisLine: { lineStyle: { color: p.muted } },
    axisTick: { show: false },
  };
  const value = {
    type: 'value',
    minInterval: 1,
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.line } },
  };
  const values = chart.bars.map((b) => b.count);
  return {
    ...base,
    grid: { left: 8, right: 40, top: 16, bottom: 16, containLabel: true },
    xAxis: lying ? value : category,
    yAxis: lying ? category : value,
    series: [
      {
        type: 'bar',
        name: chart.title,
        data: lying ? [...values].reverse() : values,
        itemStyle: { color: p.series[0], borderRadius: lying ? [0, 3, 3, 0] : [3, 3, 0, 0] },
        label: { show: true, position: lying ? 'right' : 'top', color: p.text },
        barMaxWidth: 36,
        cursor: 'pointer',
      },
    ],
  };
}

/** The bar a click landed on, by its name (horizontal bars are drawn last first). */
const barAt = (chart: InsightChart, params: { name: string }): InsightBar | undefined =>
  chart.bars.find((b) => b.label === params.name);

export function ChartCanvas({ chart, onOpen }: { chart: InsightChart; onOpen: (bar: InsightBar) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const scheme = useScheme();

  useEffect(() => {
    const el = box.current!;
    const instance = echarts.init(el, null, { renderer: 'svg' });
    instance.setOption(options(chart, scheme));
    instance.on('click', (params) => {
      const bar = barAt(chart, params as { name: string });
      if (bar) onOpen(bar);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
    };
  }, [chart, scheme, onOpen]);

  return (
    <div
      ref={box}
      className="insight-canvas"
      role="img"
      aria-label={inWords(chart)}
      style={{ height: chartHeight(chart) }}
    />
  );
}
