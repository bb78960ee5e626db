// The device page: health (naming the settings in problem), charts, checks inline (add, edit, activate,
// delete, run now with live state), alert settings inline, recent runs and notifications. Each part loads
// on its own, so a service that is down shows only its part as unavailable.
import { api, qs, enc } from '../api.js';
import { h, clear, loading, failure, empty, healthBadge, statusText, table, toast, can, confirmAction, field, form } from '../ui.js';
import { when, ago, duration, withUnit, fieldLabel, fieldValue, isoDuration, FIELD_UNITS, TIME_ZONE } from '../format.js';
import { loadEcharts, metricsChartOption } from '../charts.js';
import { checkForm } from './check-form.js';
import { orgName, refreshUnread } from '../app.js';

const RANGES = ['1d', '3d', '7d', '30d', '365d'];

export function render(root, route) {
  const id = route.params[0];
  const state = { id, device: null, settings: [], settingsLoaded: null, range: { time: route.query.get('time') || '7d' },
    charts: {}, timers: new Set(), disposed: false, checks: [] };
  window.bandwatch = state;   // test and debugging hook (no secrets in it)
  /** Per chart, the number of points drawn in each series (used by the browser tests). */
  state.pointCounts = () => Object.fromEntries(Object.entries(state.charts).map(([k, c]) =>
    [k, c.getOption().series.map((x) => x.data.length)]));

  const head = h('div.page-head');
  const healthPanel = h('section.panel', { id: 'device-health', 'aria-labelledby': 'h-health' });
  const chartsPanel = h('section.panel', { id: 'device-charts', 'aria-labelledby': 'h-charts' });
  const checksPanel = h('section.panel', { id: 'device-checks', 'aria-labelledby': 'h-checks' });
  const settingsPanel = h('section.panel', { id: 'device-settings', 'aria-labelledby': 'h-settings' });
  const runsPanel = h('section.panel', { id: 'device-runs', 'aria-labelledby': 'h-runs' });
  const notesPanel = h('section.panel', { id: 'device-notifications', 'aria-labelledby': 'h-notes' });
  clear(root, head, healthPanel, chartsPanel, checksPanel, settingsPanel, h('div.grid-2', runsPanel, notesPanel));

  state.reloadSettings = () => loadSettings(state, settingsPanel, healthPanel);
  state.reloadRuns = () => loadRuns(state, runsPanel);
  state.reloadCharts = () => loadCharts(state, chartsPanel);
  state.reloadChecks = () => loadChecks(state, checksPanel);

  clear(head, h('div', h('a.small', { href: '#/fleet' }, '← Fleet'), h('h1', { id: 'device-title' }, 'Device')));
  clear(healthPanel, loading());
  api.get('inventory/devices/' + enc(id)).then((device) => {
    state.device = device;
    document.title = device.name + ' · Bandwatch';
    renderHead(state, head);
    state.reloadChecks();
    state.reloadSettings();
  }).catch((e) => {
    if (e.unauthorized) return;
    clear(healthPanel, failure('Could not load the device', e));
    clear(checksPanel, failure('Checks unavailable', e));
    state.settingsDone();
  });
  state.settingsLoaded = new Promise((resolve) => { state.settingsDone = resolve; });
  state.reloadCharts();
  state.reloadRuns();
  loadNotifications(state, notesPanel);

  const onResize = () => Object.values(state.charts).forEach((c) => c.resize());
  window.addEventListener('resize', onResize);
  return () => {
    state.disposed = true;
    state.timers.forEach((t) => clearInterval(t));
    window.removeEventListener('resize', onResize);
    Object.values(state.charts).forEach((c) => c.dispose());
  };
}

function renderHead(state, head) {
  const d = state.device;
  clear(head,
    h('div',
      h('a.small', { href: '#/fleet' }, '← Fleet'),
      h('h1', { id: 'device-title' }, d.name),
      h('p.sub', d.address + (d.ssh_port && d.ssh_port !== 22 ? ':' + d.ssh_port : ''), ' · ', orgName(d.organization_id),
        ' · ', (d.tags || []).map((t) => h('span.tag', t)), d.enabled ? null : h('span.tag', 'disabled'))),
    healthBadge(d.health));
}

// ---------------------------------------------------------------- health and alert settings

async function loadSettings(state, panel, healthPanel) {
  clear(panel, h('h2', { id: 'h-settings' }, 'Alert settings'), loading());
  try {
    const list = await api.get('alert/alert-settings' + qs({ device_id: state.id }));
    state.settings = Array.isArray(list) ? list : list.items || [];
    renderSettings(state, panel);
  } catch (e) {
    state.settings = [];
    if (!e.unauthorized) clear(panel, h('h2', { id: 'h-settings' }, 'Alert settings'), failure('Alert settings unavailable', e));
  }
  renderHealth(state, healthPanel);
  state.settingsDone();
}

function renderHealth(state, panel) {
  const d = state.device;
  if (!d) return;
  const problems = state.settings.filter((s) => s.active && s.status === 'problem');
  const checkName = (checkId) => (state.checks.find((c) => c.id === checkId) || {}).name || 'check';
  clear(panel, h('h2', { id: 'h-health' }, 'Health'),
    h('div.row', healthBadge(d.health), h('span.muted', healthText(d.health, problems.length))),
    problems.length ? h('ul', { class: 'problems' }, problems.map((s) => h('li',
      h('strong', fieldLabel(s.field)), ' ' + s.operator + ' ' + fieldValue(s.field, s.threshold),
      ' (' + checkName(s.check_id) + '): last ' + fieldValue(s.field, s.last_value),
      s.first_crossing_at ? ', since ' + when(s.first_crossing_at) + ' (' + ago(s.first_crossing_at) + ')' : ''))) : null);
}

function healthText(health, n) {
  switch (health) {
    case 'ok': return 'Every active alert setting is ok.';
    case 'critical': return 'The device is unreachable.';
    case 'problem': return n === 1 ? 'One alert setting is in problem:' : n + ' alert settings are in problem:';
    default: return 'No active alert setting has seen a measurement yet.';
  }
}

function renderSettings(state, panel) {
  const orgId = state.device.organization_id;
  const editable = can(orgId, 'operator');
  const checkName = (checkId) => (state.checks.find((c) => c.id === checkId) || {}).name || checkId.slice(0, 8);
  const body = state.settings.length === 0 ? empty('No alert settings (they appear when the device has checks).')
    : table([
      { label: 'Check', cell: (s) => checkName(s.check_id) },
      { label: 'Field', cell: (s) => fieldLabel(s.field) },
      { label: 'Condition', cell: (s) => s.operator + ' ' + fieldValue(s.field, s.threshold) },
      { label: 'Tolerance', cell: (s) => isoDuration(s.tolerance) },
      { label: 'Active', cell: (s) => (s.active ? 'yes' : 'no') },
      { label: 'State', cell: (s) => h('span', healthBadge(s.status === 'problem' ? 'problem' : s.active ? 'ok' : 'unknown'),
        s.status === 'problem' && s.first_crossing_at ? h('span.small.muted', ' since ' + when(s.first_crossing_at)) : null) },
      { label: 'Last value', num: true, cell: (s) => fieldValue(s.field, s.last_value) },
      { label: '', cell: (s) => (editable ? h('button.small', { type: 'button', dataset: { editSetting: s.id },
        onclick: (e) => editSetting(state, panel, s, e.target.closest('tr')) }, 'Edit') : '') },
    ], state.settings, { label: 'Alert settings' });
  clear(panel, h('h2', { id: 'h-settings' }, 'Alert settings'), body);
}

function editSetting(state, panel, s, row) {
  panel.querySelectorAll('.setting-edit').forEach((e) => e.remove());
  const unit = FIELD_UNITS[s.field] ?? '';
  const hint = h('span');
  const updateHint = (v) => { hint.textContent = v === '' ? '' : '= ' + withUnit(Number(v), unit); };
  const f = settingForm(s, unit, async (values) => {
    await api.put('alert/alert-settings/' + enc(s.id), {
      operator: values.operator, threshold: values.threshold, tolerance: values.tolerance, active: values.active,
    });
    toast('Alert setting saved');
    state.reloadSettings();
    state.reloadCharts();
  }, () => wrap.remove(), hint);
  f.querySelector('input[name=threshold]').addEventListener('input', (e) => updateHint(e.target.value));
  updateHint(String(s.threshold));
  const wrap = h('div.setting-edit.panel', h('h3', 'Edit: ' + fieldLabel(s.field)), f);
  row.closest('.table-wrap').after(wrap);
  f.querySelector('select, input').focus();
}

function settingForm(s, unit, onSubmit, cancel, hint) {
  return form({
    label: 'Alert setting',
    submit: 'Save setting',
    cancel,
    fields: [
      field({ name: 'operator', label: 'Operator', type: 'select', value: s.operator, options: [['<', '< below'], ['>', '> above']] }),
      field({ name: 'threshold', label: 'Threshold' + (unit ? ' (' + unit + ')' : ''), type: 'number', value: s.threshold,
        step: 'any', required: true }),
      field({ name: 'tolerance', label: 'Tolerance (ISO-8601)', value: s.tolerance, hint: 'e.g. PT0S, PT30M, P2D' }),
      field({ name: 'active', label: 'Active', type: 'checkbox', value: s.active }),
    ],
    onSubmit,
    extra: hint,
  });
}

// ---------------------------------------------------------------- charts

async function loadCharts(state, panel) {
  const rangeBar = h('div.range-bar',
    h('div.segmented', { role: 'group', 'aria-label': 'Time range', id: 'ranges' }, RANGES.map((r) => h('button', {
      type: 'button', dataset: { range: r }, 'aria-pressed': String(state.range.time === r),
      onclick: () => { state.range = { time: r }; state.reloadCharts(); },
    }, r))),
    customRange(state),
    h('span.muted.small', 'Times in ' + TIME_ZONE));
  const list = h('div.charts', { id: 'charts' });
  const status = h('p.muted.small', { id: 'charts-status', role: 'status' }, 'Loading charts…');
  clear(panel, h('div.panel-head', h('h2', { id: 'h-charts' }, 'Charts'), rangeBar), status, list);
  panel.dataset.state = 'loading';
  Object.values(state.charts).forEach((c) => c.dispose());
  state.charts = {};
  let data;
  let echarts;
  try {
    [data, echarts] = await Promise.all([
      api.get('metrics/devices/' + enc(state.id) + '/charts' + chartQuery(state)), loadEcharts()]);
    await state.settingsLoaded;
  } catch (e) {
    if (e.unauthorized) return;
    clear(status);
    status.replaceWith(failure('Charts unavailable', e));
    panel.dataset.state = 'error';
    return;
  }
  if (state.disposed) return;
  status.textContent = 'From ' + when(data.start) + ' to ' + when(data.end) + ' (' + data.time_zone + '), one point per '
    + data.interval + '. Drag or scroll in a chart to zoom.';
  if (data.charts.length === 0) {
    list.replaceWith(empty('No measurements for this device in this range yet. Run a check now to get the first points.'));
  }
  for (const chart of data.charts) {
    const plot = h('div.plot', { role: 'img', 'aria-label': chart.title + ' chart' });
    const csv = h('a.small', { href: '/console/api/metrics/devices/' + enc(state.id) + '/charts/' + enc(chart.id) + '.csv'
      + chartQuery(state), download: (state.device ? state.device.name : state.id) + '-' + chart.id + '.csv',
    dataset: { csv: chart.id } }, 'CSV');
    const summary = chart.traces.map((t) => t.name + ': min ' + withUnit(t.summary.min, chart.unit, chart.adaptive_prefix)
      + ', mean ' + withUnit(t.summary.mean, chart.unit, chart.adaptive_prefix) + ', max '
      + withUnit(t.summary.max, chart.unit, chart.adaptive_prefix)).join(' · ');
    list.appendChild(h('figure.chart', { id: 'chart-' + chart.id, dataset: { chart: chart.id } },
      h('div.row', h('h3', chart.title + ' (' + chart.unit + ')'), h('span.spacer'), csv),
      h('p.summary', summary), plot));
    const instance = echarts.init(plot);
    instance.setOption(metricsChartOption(chart, state.settings), { notMerge: true });
    state.charts[chart.id] = instance;
  }
  panel.dataset.state = 'ready';
}


function chartQuery(state) {
  return qs({ ...state.range, tz: TIME_ZONE });
}

function customRange(state) {
  const start = h('input', { type: 'datetime-local', 'aria-label': 'From', value: state.range.start || '' });
  const end = h('input', { type: 'datetime-local', 'aria-label': 'To', value: state.range.end || '' });
  const error = h('span.field-error', { role: 'alert' });
  return h('form.custom', { onsubmit: (e) => {
    e.preventDefault();
    if (!start.value || !end.value || start.value >= end.value) {
      error.textContent = 'Pick a start before the end.';
      return;
    }
    state.range = { start: start.value, end: end.value };
    state.reloadCharts();
  } }, h('span.small.muted', 'Custom:'), start, h('span', '–'), end, h('button.small', { type: 'submit' }, 'Show'), error);
}

// ---------------------------------------------------------------- checks

async function loadChecks(state, panel) {
  const orgId = state.device.organization_id;
  const title = h('h2', { id: 'h-checks' }, 'Checks');
  const add = can(orgId, 'operator') ? h('button.primary', { type: 'button', id: 'add-check', onclick: () => {
    const existing = panel.querySelector('.check-new');
    if (existing) { existing.querySelector('input, select').focus(); return; }
    const f = checkForm({ device: state.device, onSaved: () => { toast('Check created'); state.reloadChecks(); },
      onCancel: () => wrap.remove() });
    const wrap = h('div.check-card.check-new', h('h3', 'New check'), f);
    panel.querySelector('.panel-head').after(wrap);
    f.querySelector('select, input').focus();
  } }, 'Add check') : null;
  // the add button comes with the list, so a form opened early is not dropped by the list's arrival
  clear(panel, h('div.panel-head', title), loading());
  try {
    const page = await api.get('inventory/checks' + qs({ device_id: state.id, size: 100 }));
    state.checks = Array.isArray(page) ? page : page.items || [];
  } catch (e) {
    if (!e.unauthorized) clear(panel, h('div.panel-head', title), failure('Checks unavailable', e));
    return;
  }
  clear(panel, h('div.panel-head', title, add));
  if (state.checks.length === 0) panel.appendChild(empty('No checks yet.'));
  state.checks.forEach((c) => panel.appendChild(checkCard(state, c)));
  if (state.settings.length) renderSettings(state, document.getElementById('device-settings'));
}

function scheduleText(s) {
  if (!s) return '–';
  if (s.interval) return 'every ' + isoDuration(s.interval);
  return 'cron ' + s.cron + ' (' + (s.time_zone || 'UTC') + ')' + (s.random_slip && s.random_slip !== 'PT0S'
    ? ', random slip up to ' + isoDuration(s.random_slip) : '');
}

function checkCard(state, c) {
  const orgId = state.device.organization_id;
  const operator = can(orgId, 'operator');
  const live = h('div.live', { hidden: true, role: 'status', 'aria-live': 'polite', dataset: { live: c.id } });
  const next = h('span.small.muted');
  const card = h('div.check-card' + (c.active ? '' : '.inactive'), { dataset: { check: c.id, type: c.type } },
    h('div.row',
      h('h3', c.name),
      h('span.tag', c.type),
      c.active ? null : h('span.tag', 'inactive'),
      h('span.spacer'),
      operator && c.active ? h('button.primary.small', { type: 'button', dataset: { run: c.id },
        onclick: (e) => runNow(state, c, live, e.target) }, 'Run now') : null,
      operator ? h('button.small', { type: 'button', onclick: () => editCheck(state, c, card) }, 'Edit') : null,
      operator ? h('button.small', { type: 'button', onclick: () => setActive(state, c, !c.active) },
        c.active ? 'Deactivate' : 'Activate') : null,
      operator ? h('button.small.danger', { type: 'button', onclick: () => deleteCheck(state, c) }, 'Delete') : null),
    h('p.small', scheduleText(c.schedule), ' · ', next),
    c.type === 'iperf3' ? iperfSummary(c) : pingSummary(c),
    live);
  api.get('runner/checks/' + enc(c.id) + '/schedule').then((s) => {
    next.textContent = 'next run ' + (s.next_run_at ? when(s.next_run_at) + ' (' + ago(s.next_run_at) + ')' : '–')
      + ' · last ' + (s.last_run_at ? when(s.last_run_at) + ' ' + (s.last_status || '') + (s.last_error_code ? ' ' + s.last_error_code : '') : 'never');
  }).catch((e) => {
    if (e.unauthorized) return;
    next.textContent = e.status === 404 ? 'not scheduled by the runner yet' : 'schedule unavailable (' + e.message + ')';
  });
  return card;
}

function iperfSummary(c) {
  const e = c.effective_params || {};
  const co = e.client_options || {};
  const parts = [
    'servers: ' + ((e.host || []).join(', ') || 'the organization\'s pool'),
    'time ' + (co.time ?? '–') + ' s',
    'parallel ' + (co.parallel ?? '–'),
    co.reverse ? 'reverse' : null, co.bidirectional ? 'bidirectional' : null,
    co.udp && co.udp.bitrate ? 'UDP ' + co.udp.bitrate + 'bit/s' : null,
  ].filter(Boolean);
  return h('p.small.muted', 'Effective: ' + parts.join(' · '));
}

function pingSummary(c) {
  const p = c.effective_params || c.params || {};
  const parts = ['count', 'interval', 'bytes', 'timeout'].filter((k) => p[k] !== undefined).map((k) => k + ' ' + p[k]);
  return h('p.small.muted', parts.length ? 'Options: ' + parts.join(' · ') : 'Default ping options');
}

function editCheck(state, c, card) {
  if (card.querySelector('form')) return;
  const f = checkForm({ device: state.device, check: c, onSaved: () => { toast('Check saved'); state.reloadChecks(); },
    onCancel: () => f.remove() });
  card.appendChild(f);
  f.querySelector('input, select').focus();
}

function checkBody(c, changes) {
  return { device_id: c.device_id, name: c.name, type: c.type, params: c.params || {}, schedule: c.schedule,
    active: c.active, ...changes };
}

async function setActive(state, c, active) {
  try {
    await api.put('inventory/checks/' + enc(c.id), checkBody(c, { active }), { ifMatch: c.version });
    toast(active ? 'Check activated' : 'Check deactivated');
    state.reloadChecks();
  } catch (e) {
    if (!e.unauthorized) toast('Could not change the check: ' + e.message);
  }
}

async function deleteCheck(state, c) {
  if (!confirmAction('Delete the check "' + c.name + '"? Its alert settings go with it; its measurements stay.')) return;
  try {
    await api.del('inventory/checks/' + enc(c.id));
    toast('Check deleted');
    state.reloadChecks();
    state.reloadSettings();
  } catch (e) {
    if (!e.unauthorized) toast('Could not delete the check: ' + e.message);
  }
}

// ---------------------------------------------------------------- run now with live state

async function runNow(state, c, live, button) {
  button.disabled = true;
  live.hidden = false;
  live.dataset.state = 'queued';
  live.textContent = 'Asking for a run…';
  const asked = Date.now();
  try {
    await api.post('inventory/checks/' + enc(c.id) + '/run', {});
  } catch (e) {
    button.disabled = false;
    live.dataset.state = 'failed';
    live.textContent = 'Run now refused: ' + e.message;
    return;
  }
  let sawActivity = false;
  const timer = setInterval(async () => {
    let view;
    try {
      view = await api.get('checks/' + enc(c.id) + '/live');
    } catch (e) {
      if (e.unauthorized) { clearInterval(timer); return; }
      live.textContent = 'Live state unavailable: ' + e.message;
      return;
    }
    if (state.disposed) return;
    const lastFinished = view.last_run && view.last_run.finished_at ? new Date(view.last_run.finished_at).getTime() : 0;
    if (view.state === 'queued') {
      sawActivity = true;
      live.dataset.state = 'queued';
      live.textContent = 'Queued: waiting for a free iperf3 server'
        + (view.queue_position !== null && view.queue_position !== undefined ? ', position ' + view.queue_position + ' in the queue' : '')
        + (view.since ? ' (since ' + when(view.since, true) + ')' : '');
    } else if (view.state === 'running') {
      sawActivity = true;
      live.dataset.state = 'running';
      live.textContent = 'Running' + (view.server ? ' on server ' + view.server.host + ':' + view.server.port : '')
        + (view.since ? ' since ' + when(view.since, true) : '') + '…';
    } else if (lastFinished >= asked - 1000 || (sawActivity && view.state !== 'queued')) {
      const r = view.last_run || {};
      clearInterval(timer);
      state.timers.delete(timer);
      button.disabled = false;
      live.dataset.state = r.status === 'ok' ? 'ok' : 'failed';
      live.textContent = r.status === 'ok'
        ? 'Finished ok in ' + duration(r.duration_ms) + (r.server_host ? ' on ' + r.server_host : '') + ' at ' + when(r.finished_at, true)
        : 'Failed: ' + (r.error_code || 'unknown error') + (r.error_message ? ' — ' + r.error_message : '')
          + (r.finished_at ? ' (' + when(r.finished_at, true) + ')' : '');
      state.reloadRuns();
      setTimeout(() => { if (!state.disposed) { state.reloadCharts(); state.reloadSettings(); } }, 2500);
    } else {
      live.dataset.state = 'queued';
      live.textContent = 'Requested; waiting for a runner to take it…';
    }
  }, 1000);
  state.timers.add(timer);
}

// ---------------------------------------------------------------- runs and notifications

async function loadRuns(state, panel) {
  const title = h('h2', { id: 'h-runs' }, 'Recent runs');
  clear(panel, title, loading());
  try {
    const runs = await api.get('runner/runs' + qs({ device: state.id, limit: 15 }));
    const list = Array.isArray(runs) ? runs : runs.items || [];
    clear(panel, title, list.length === 0 ? empty('No runs yet.') : table([
      { label: 'Started', cell: (r) => when(r.started_at) },
      { label: 'Type', cell: (r) => r.type },
      { label: 'Status', cell: (r) => statusText(r.finished_at ? r.status : 'running') },
      { label: 'Duration', num: true, cell: (r) => duration(r.duration_ms) },
      { label: 'Server', cell: (r) => (r.server ? r.server.host + ':' + r.server.port : '–') },
      { label: 'Error', cell: (r) => (r.error ? h('code', { title: r.error.message || '' }, r.error.code) : '') },
    ], list, { label: 'Recent runs' }));
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Runs unavailable', e));
  }
}

async function loadNotifications(state, panel) {
  const title = h('h2', { id: 'h-notes' }, 'Notifications');
  clear(panel, title, loading());
  try {
    const list = await api.get('alert/notifications' + qs({ device_id: state.id, limit: 15 }));
    const items = Array.isArray(list) ? list : list.items || [];
    clear(panel, title, items.length === 0 ? empty('No notifications for this device.') : table([
      { label: 'Time', cell: (n) => when(n.created_at || n.time || n.point_time) },
      { label: 'Type', cell: (n) => h('span.health.health-' + (n.type === 'problem' ? 'problem' : 'ok'), n.type) },
      { label: 'Message', cell: (n) => n.message },
      { label: '', cell: (n) => (n.read ? h('span.muted.small', 'read') : h('button.small', { type: 'button',
        onclick: async (e) => {
          try {
            await api.post('alert/notifications/' + enc(n.id) + '/read');
            e.target.replaceWith(h('span.muted.small', 'read'));
            refreshUnread();
          } catch (err) { if (!err.unauthorized) toast('Could not mark it read: ' + err.message); }
        } }, 'Mark read')) },
    ], items, { label: 'Notifications', rowClass: (n) => (n.read ? null : 'unread') }));
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Notifications unavailable', e));
  }
}
