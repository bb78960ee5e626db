// ECharts (5.6.0, from the org.mvnpm:echarts jar on the console's class path, served by the console itself).
import { withUnit } from './format.js';

const ECHARTS = '/_static/echarts/5.6.0/dist/echarts.esm.min.js';
let loading = null;

export function loadEcharts() {
  if (!loading) {
    loading = import(ECHARTS).catch((e) => {
      loading = null;
      throw new Error('the chart library could not be loaded (' + e.message + ')');
    });
  }
  return loading;
}

const PALETTE = ['#2456b8', '#17a589', '#8e44ad', '#d35400', '#7f8c8d'];
export const HEALTH_COLOURS = { ok: '#1a7f37', problem: '#d97706', critical: '#c0262d', unknown: '#9aa1ab' };

/** Traces (if a chart field is a 0..1 flag drawn ×100, its thresholds are scaled alike). */
const SCALED = { iperf3_result: 100, reachable: 100 };

/**
 * Options of one metrics chart: time axis in the browser's zone, adaptive units, connect_points,
 * zoom (inside + slider), one dashed line per active alert setting on one of the chart's fields.
 */
export function metricsChartOption(chart, settings) {
  const x = chart.x.map((t) => new Date(t).getTime());
  const fmt = (v) => withUnit(v, chart.unit, chart.adaptive_prefix);
  const fields = new Set(chart.traces.map((t) => t.field));
  const lines = (settings || []).filter((s) => s.active && fields.has(s.field)).map((s) => ({
    yAxis: s.threshold * (SCALED[s.field] || 1),
    name: s.field + ' ' + s.operator + ' ' + fmt(s.threshold * (SCALED[s.field] || 1)),
    label: { formatter: 'alert ' + s.operator + ' ' + fmt(s.threshold * (SCALED[s.field] || 1)), position: 'insideEndTop',
      color: s.status === 'problem' ? '#a35200' : '#5f6775' },
    lineStyle: { color: s.status === 'problem' ? '#d97706' : '#9aa1ab', type: 'dashed', width: 1.5 },
  }));
  const series = chart.traces.map((t, i) => ({
    name: t.name,
    type: 'line',
    showSymbol: true,
    symbolSize: 5,
    connectNulls: !!chart.connect_points,
    data: x.map((time, j) => [time, t.values[j]]).filter((p) => p[1] !== null),
    markLine: i === 0 && lines.length ? { symbol: 'none', silent: true, data: lines } : undefined,
  }));
  // keep a threshold above every value visible (else the axis scales to the data as usual)
  const yMax = Math.max(...lines.map((l) => l.yAxis), -Infinity);
  const dataMax = Math.max(...chart.traces.flatMap((t) => t.values.filter((v) => v !== null)), -Infinity);
  return {
    animation: false,
    color: PALETTE,
    legend: { top: 0, type: 'scroll' },
    grid: { left: 72, right: 16, top: 30, bottom: 62 },
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    xAxis: { type: 'time', min: x.length ? x[0] : null, max: x.length ? x[x.length - 1] : null },
    yAxis: { type: 'value', axisLabel: { formatter: fmt }, max: isFinite(yMax) && yMax > dataMax ? yMax * 1.15 : null },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
}
