// Fleet overview (landing page): counts by health as a chart, the device list with filters, sorting and
// server-side paging, the 10 slowest devices, and the "add device" form for owners.
import { api, qs, enc } from '../api.js';
import { h, clear, loading, failure, empty, healthBadge, statusText, table, field, form, toast, can, canAnywhere } from '../ui.js';
import { when, ago, withUnit, fieldLabel } from '../format.js';
import { loadEcharts, HEALTH_COLOURS } from '../charts.js';
import { selectedOrg, allOrganizations, orgName } from '../app.js';

const HEALTHS = ['ok', 'problem', 'critical', 'unknown'];
const FAILING = ['sent_bps_tcp', 'received_bps_tcp', 'sent_bps_udp', 'iperf3_result', 'jitter', 'lost_percent',
  'retransmits', 'reachable', 'loss', 'rtt_avg', 'rtt_max'];
const PAGE_SIZE = 25;

export function render(root, route) {
  const q = route.query;
  const state = {
    filters: {
      organization_id: q.get('organization_id') ?? selectedOrg(),
      health: q.get('health') || '', failing_field: q.get('failing_field') || '', tag: q.get('tag') || '',
      q: q.get('q') || '', sort: q.get('sort') || 'name',
    },
    page: Number(q.get('page') || 0),
    chart: null,
    disposed: false,
  };
  const summaryPanel = h('section.panel', { id: 'fleet-summary', 'aria-labelledby': 'h-summary' });
  const listPanel = h('section.panel.fleet-list', { id: 'fleet-list', 'aria-labelledby': 'h-devices' });
  const slowPanel = h('section.panel.slowest', { id: 'fleet-slowest', 'aria-labelledby': 'h-slowest' });
  const addButton = canAnywhere('owner') ? h('button.primary', { type: 'button', id: 'add-device',
    onclick: () => showAddDevice(root) }, 'Add device') : null;
  clear(root,
    h('div.page-head', h('div', h('h1', 'Fleet'), h('p.sub', state.filters.organization_id
      ? orgName(state.filters.organization_id) : 'All your organizations')), addButton),
    h('div.grid-2', summaryPanel, slowPanel), listPanel);

  const reloadList = () => loadList(state, listPanel);
  state.reloadList = reloadList;
  loadSummary(state, summaryPanel);
  loadSlowest(state, slowPanel);
  reloadList();
  const onResize = () => state.chart && state.chart.resize();
  window.addEventListener('resize', onResize);
  return () => {
    state.disposed = true;
    window.removeEventListener('resize', onResize);
    if (state.chart) state.chart.dispose();
  };
}

function keepInAddress(state) {
  const params = qs({ ...state.filters, page: state.page || '' });
  history.replaceState(null, '', '#/fleet' + params);
}

// ---------------------------------------------------------------- health summary

async function loadSummary(state, panel) {
  const title = h('h2', { id: 'h-summary' }, 'Health');
  clear(panel, title, loading());
  let counts;
  let echarts;
  try {
    [counts, echarts] = await Promise.all([
      api.get('fleet/summary' + qs({ organization_id: state.filters.organization_id })), loadEcharts()]);
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Health counts unavailable', e));
    return;
  }
  if (state.disposed) return;
  const total = HEALTHS.reduce((n, k) => n + (counts[k] || 0), 0);
  const plot = h('div.summary-chart', { role: 'img', 'aria-label': HEALTHS.map((k) => (counts[k] || 0) + ' ' + k).join(', ') });
  const buttons = h('div.counts', HEALTHS.map((k) => h('button', { type: 'button', dataset: { health: k },
    'aria-pressed': String(state.filters.health === k),
    onclick: () => { state.filters.health = state.filters.health === k ? '' : k; state.page = 0; syncFilters(state); } },
  h('b', { style: 'color:' + HEALTH_COLOURS[k] }, String(counts[k] || 0)), h('span.small', k))));
  clear(panel, title, h('p.muted.small', total + ' devices'), total ? h('div.summary-row', plot, buttons) : [empty('No devices yet.'), buttons]);
  if (!total) return;
  state.chart = echarts.init(plot);
  state.chart.setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d} %)' },
    series: [{
      type: 'pie', radius: ['50%', '85%'], label: { show: false },
      data: HEALTHS.filter((k) => counts[k]).map((k) => ({ name: k, value: counts[k], itemStyle: { color: HEALTH_COLOURS[k] } })),
    }],
  });
  state.chart.on('click', (p) => { state.filters.health = p.name; state.page = 0; syncFilters(state); });
}

// ---------------------------------------------------------------- device list

function syncFilters(state) {
  const f = document.getElementById('fleet-filters');
  if (f) {
    for (const [k, v] of Object.entries(state.filters)) {
      const el = f.querySelector('[name=' + k + ']');
      if (el) el.value = v;
    }
  }
  document.querySelectorAll('#fleet-summary .counts button').forEach((b) =>
    b.setAttribute('aria-pressed', String(b.dataset.health === state.filters.health)));
  state.reloadList();
}

function filtersForm(state) {
  const orgs = allOrganizations();
  const f = h('form.filters', { id: 'fleet-filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    field({ name: 'q', label: 'Search', type: 'search', value: state.filters.q, placeholder: 'name or address' }),
    field({ name: 'health', label: 'Health', type: 'select', value: state.filters.health,
      options: [['', 'any'], ...HEALTHS.map((k) => [k, k])] }),
    field({ name: 'failing_field', label: 'Failing metric', type: 'select', value: state.filters.failing_field,
      options: [['', 'any'], ...FAILING.map((k) => [k, fieldLabel(k)])] }),
    field({ name: 'tag', label: 'Tag', value: state.filters.tag }),
    orgs.length > 1 ? field({ name: 'organization_id', label: 'Organization', type: 'select',
      value: state.filters.organization_id, options: [['', 'all'], ...orgs.map((o) => [o.id, o.name])] }) : null);
  f.querySelector('.field[data-field=q]').classList.add('grow');
  let timer;
  f.addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.filters[e.target.name] = e.target.value.trim();
      state.page = 0;
      state.reloadList();
    }, e.target.tagName === 'SELECT' ? 0 : 300);
  });
  return f;
}

async function loadList(state, panel) {
  keepInAddress(state);
  if (!panel.querySelector('#fleet-filters')) {
    clear(panel, h('div.panel-head', h('h2', { id: 'h-devices' }, 'Devices')), filtersForm(state), h('div.fleet-body'));
  }
  const body = panel.querySelector('.fleet-body');
  clear(body, loading());
  let page;
  try {
    page = await api.get('fleet' + qs({ ...state.filters, page: state.page, size: PAGE_SIZE }));
  } catch (e) {
    if (!e.unauthorized) clear(body, failure('Device list unavailable', e));
    return;
  }
  if (state.disposed) return;
  const items = page.items || [];
  if (items.length === 0) {
    clear(body, empty(Object.values(state.filters).some((v) => v && v !== 'name')
      ? 'No device matches these filters.' : 'No devices yet.'));
    return;
  }
  const sortButton = (key, label) => {
    const active = state.filters.sort === key || state.filters.sort === '-' + key;
    return h('button.sort', { type: 'button', 'aria-sort': active ? (state.filters.sort.startsWith('-') ? 'descending' : 'ascending') : null,
      onclick: () => { state.filters.sort = state.filters.sort === key ? '-' + key : key; state.page = 0; state.reloadList(); } }, label);
  };
  const last = (d) => d.last || {};
  const run = (d) => d.last_run || {};
  const columns = [
    { label: 'Name', header: sortButton('name', 'Name'), cell: (d) => h('a', { href: '#/devices/' + enc(d.id) }, d.name) },
    { label: 'Address', header: sortButton('address', 'Address'), cell: (d) => h('span.mono', d.address) },
    { label: 'Health', cell: (d) => healthBadge(d.health) },
    { label: 'TCP received', num: true, cell: (d) => withUnit(last(d).received_bps_tcp, 'bps') },
    { label: 'UDP jitter / loss', num: true, cell: (d) => withUnit(last(d).jitter, 'ms') + ' / ' + withUnit(last(d).lost_percent, '%') },
    { label: 'RTT / ping loss', num: true, cell: (d) => withUnit(last(d).rtt_avg, 'ms') + ' / ' + withUnit(last(d).loss, '%') },
    { label: 'Last run', cell: (d) => (d.last_run ? h('span', statusText(run(d).status),
      run(d).error_code ? h('code.small', ' ' + run(d).error_code) : null, h('span.muted.small', ' ' + (run(d).check_type || ''))) : '–') },
    { label: 'When', cell: (d) => (run(d).finished_at
      ? h('span', { title: when(run(d).finished_at) }, ago(run(d).finished_at)) : '–') },
  ];
  const pages = Math.max(1, Math.ceil(page.total / (page.size || PAGE_SIZE)));
  const missing = page.unavailable || [];
  clear(body,
    missing.length ? h('p.notice.warn', { role: 'status' }, missing.join(', ') + (missing.length > 1 ? ' are' : ' is')
      + ' unreachable: ' + 'the columns that come from ' + (missing.length > 1 ? 'them' : 'it') + ' are empty.') : null,
    table(columns, items, { label: 'Devices', onRowClick: (d) => { location.hash = '#/devices/' + enc(d.id); } }),
    h('div.pager',
      h('span.muted.small', page.total + ' devices · page ' + (state.page + 1) + ' of ' + pages),
      h('button.small', { type: 'button', disabled: state.page === 0, onclick: () => { state.page--; state.reloadList(); } }, '← Previous'),
      h('button.small', { type: 'button', disabled: state.page + 1 >= pages, onclick: () => { state.page++; state.reloadList(); } }, 'Next →')));
}

// ---------------------------------------------------------------- slowest devices

async function loadSlowest(state, panel) {
  const title = h('h2', { id: 'h-slowest' }, 'Slowest devices');
  clear(panel, title, loading());
  try {
    const answer = await api.get('fleet/slowest' + qs({ organization_id: state.filters.organization_id }));
    const items = answer.items || [];
    clear(panel, title, h('p.muted.small', 'Lowest median TCP received bandwidth over 7 days'),
      items.length === 0 ? empty('No iperf3 results in the last 7 days.')
        : h('ol', items.map((d) => h('li', h('a', { href: '#/devices/' + enc(d.device_id) }, d.name || d.device_id),
          h('span', withUnit(d.median_received_bps_tcp, 'bps'))))));
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Slowest devices unavailable', e));
  }
}

// ---------------------------------------------------------------- add device (owners)

function showAddDevice(root) {
  if (root.querySelector('#add-device-panel')) {
    root.querySelector('#add-device-panel input').focus();
    return;
  }
  const owned = allOrganizations().filter((o) => can(o.id, 'owner'));
  const f = form({
    label: 'Add device',
    submit: 'Create device',
    cancel: () => panel.remove(),
    fields: [
      field({ name: 'organization_id', label: 'Organization', type: 'select', value: selectedOrg() || (owned[0] || {}).id,
        options: owned.map((o) => [o.id, o.name]) }),
      field({ name: 'name', label: 'Name', required: true }),
      field({ name: 'address', label: 'Address', placeholder: 'host name, IPv4 or IPv6', required: true }),
      field({ name: 'ssh_port', label: 'SSH port', type: 'number', value: 22, min: 1, max: 65535 }),
      field({ name: 'ssh_user', label: 'SSH user', value: 'root', required: true }),
      field({ name: 'password', label: 'SSH password', type: 'password', hint: 'or a private key below; write-only' }),
      field({ name: 'host_key_fingerprint', label: 'Host key fingerprint', placeholder: 'SHA256:…', hint: 'empty: recorded on first use' }),
      field({ name: 'tags', label: 'Tags', type: 'list', placeholder: 'comma separated' }),
      field({ name: 'private_key', label: 'SSH private key (PEM)', type: 'textarea', wide: true, hint: 'write-only, never shown again' }),
      field({ name: 'enabled', label: 'Enabled', type: 'checkbox', value: true }),
      field({ name: 'create_default_checks', label: 'Create the default checks (ping every 5 min, iperf3 nightly)', type: 'checkbox', value: true }),
    ],
    onSubmit: async (values) => {
      const device = await api.post('inventory/devices', values);
      toast('Device ' + device.name + ' created');
      location.hash = '#/devices/' + enc(device.id);
    },
  });
  const panel = h('section.panel', { id: 'add-device-panel' }, h('h2', 'Add device'), f);
  root.querySelector('.page-head').after(panel);
  f.querySelector('input[name=name]').focus();
}
