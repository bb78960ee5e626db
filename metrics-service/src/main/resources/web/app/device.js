import * as echarts from 'echarts';
import { formatValue } from './format.js';
import './device.css';

// The device page: reads the device id from /devices/{id} (or ?device=), a token from ?token= (kept in
// sessionStorage and removed from the address bar) or from the token field, and draws every chart of
// GET /api/v1/devices/{id}/charts with ECharts.
const params = new URLSearchParams(location.search);
const pathMatch = location.pathname.match(/\/devices\/([^/]+)/);
const deviceId = pathMatch ? decodeURIComponent(pathMatch[1]) : params.get('device');
const tz = params.get('tz') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
if (params.get('token')) {
  sessionStorage.setItem('bandwatch.token', params.get('token'));
  params.delete('token');
  history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
}

const state = { range: { time: '7d' }, instances: {}, data: null };
window.bandwatch = state;

const status = document.getElementById('status');
const container = document.getElementById('charts');

function token() {
  return sessionStorage.getItem('bandwatch.token');
}

function query() {
  const q = new URLSearchParams(state.range);
  q.set('tz', tz);
  return q.toString();
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch (e) { /* not a problem document */ }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return response;
}

function setBusy(text) {
  document.body.dataset.state = 'loading';
  status.textContent = text;
}

async function load() {
  if (!deviceId) {
    status.textContent = 'No device id in the address.';
    return;
  }
  if (!token()) {
    document.getElementById('token-form').hidden = false;
    status.textContent = 'Sign in: paste an access token.';
    return;
  }
  setBusy('Loading…');
  try {
    const response = await api('/api/v1/devices/' + encodeURIComponent(deviceId) + '/charts?' + query());
    state.data = await response.json();
    render(state.data);
    status.textContent = 'From ' + new Date(state.data.start).toLocaleString() + ' to '
      + new Date(state.data.end).toLocaleString() + ' (' + state.data.time_zone + '), one point per '
      + state.data.interval;
    document.body.dataset.state = 'ready';
  } catch (e) {
    status.textContent = 'Could not load the charts: ' + e.message;
    document.body.dataset.state = 'error';
    if (e.status === 401) {
      sessionStorage.removeItem('bandwatch.token');
      document.getElementById('token-form').hidden = false;
    }
  }
}

function render(data) {
  document.getElementById('device-title').textContent = data.device_name;
  if (data.charts.length === 0) {
    container.textContent = 'No measurements for this device yet.';
  }
  for (const chart of data.charts) {
    let section = document.getElementById('chart-' + chart.id);
    if (!section) {
      section = document.createElement('section');
      section.id = 'chart-' + chart.id;
      section.className = 'chart';
      section.innerHTML = '<h2></h2><p class="summary"></p><div class="plot"></div><a class="csv" href="#">Download CSV</a>';
      container.appendChild(section);
      section.querySelector('a.csv').addEventListener('click', (event) => {
        event.preventDefault();
        downloadCsv(chart.id);
      });
      state.instances[chart.id] = echarts.init(section.querySelector('.plot'));
    }
    section.querySelector('h2').textContent = chart.title + ' (' + chart.unit + ')';
    section.querySelector('.summary').textContent = chart.traces.map((t) => t.name + ': min '
      + formatValue(t.summary.min, chart.unit, chart.adaptive_prefix) + ', mean '
      + formatValue(t.summary.mean, chart.unit, chart.adaptive_prefix) + ', max '
      + formatValue(t.summary.max, chart.unit, chart.adaptive_prefix)).join(' · ');
    const x = chart.x.map((t) => new Date(t).getTime());
    state.instances[chart.id].setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 30, bottom: 70 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => formatValue(v, chart.unit, chart.adaptive_prefix),
      },
      xAxis: { type: 'time', min: x.length ? x[0] : null, max: x.length ? x[x.length - 1] : null },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v) => formatValue(v, chart.unit, chart.adaptive_prefix) },
      },
      dataZoom: [{ type: 'inside' }, { type: 'slider' }],
      series: chart.traces.map((t) => ({
        name: t.name,
        type: 'line',
        showSymbol: true,
        symbolSize: 5,
        connectNulls: chart.connect_points,
        data: x.map((time, i) => [time, t.values[i]]).filter((p) => p[1] !== null),
      })),
    }, { notMerge: true });
  }
}

async function downloadCsv(chartId) {
  const response = await api('/api/v1/devices/' + encodeURIComponent(deviceId) + '/charts/' + chartId + '.csv?'
    + query());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = deviceId + '-' + chartId + '.csv';
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Test and debugging hook: per chart, the number of points drawn in each series. */
state.pointCounts = () => {
  const counts = {};
  for (const [id, instance] of Object.entries(state.instances)) {
    counts[id] = instance.getOption().series.map((s) => s.data.length);
  }
  return counts;
};

for (const button of document.querySelectorAll('#ranges button[data-range]')) {
  button.addEventListener('click', () => {
    document.querySelectorAll('#ranges button').forEach((b) => b.classList.remove('active'));
    button.classList.add('active');
    state.range = { time: button.dataset.range };
    load();
  });
}
document.getElementById('custom-apply').addEventListener('click', () => {
  const start = document.getElementById('custom-start').value;
  const end = document.getElementById('custom-end').value;
  if (start && end) {
    document.querySelectorAll('#ranges button').forEach((b) => b.classList.remove('active'));
    state.range = { start, end };
    load();
  }
});
document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('bandwatch.token', document.getElementById('token-input').value.trim());
  document.getElementById('token-form').hidden = true;
  load();
});
window.addEventListener('resize', () => Object.values(state.instances).forEach((i) => i.resize()));

load();
