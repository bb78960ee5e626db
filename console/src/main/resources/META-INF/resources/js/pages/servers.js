// iperf3 servers: list, add, edit, disable (owners of all the server's organizations); live pool status
// (refreshed every 5 s); the capacity line: tests per day the pool can serve against what the schedules ask.
import { api, qs, enc } from '../api.js';
import { h, clear, loading, failure, empty, table, field, form, toast, can, canAnywhere, confirmAction } from '../ui.js';
import { when, ago } from '../format.js';
import { selectedOrg, allOrganizations, orgName } from '../app.js';

export function render(root) {
  const state = { servers: [], status: null, disposed: false };
  const capacityPanel = h('section.panel', { id: 'capacity', 'aria-labelledby': 'h-capacity' });
  const listPanel = h('section.panel', { id: 'servers', 'aria-labelledby': 'h-servers' });
  const poolPanel = h('section.panel', { id: 'pool', 'aria-labelledby': 'h-pool' });
  const add = canAnywhere('owner') ? h('button.primary', { type: 'button', id: 'add-server',
    onclick: () => showServerForm(state, root, null) }, 'Add server') : null;
  clear(root, h('div.page-head', h('div', h('h1', 'iperf3 servers'),
    h('p.sub', 'The pool the iperf3 checks lease servers from, one test per server at a time.')), add),
  capacityPanel, listPanel, poolPanel);
  state.reload = () => loadServers(state, root, listPanel);
  state.reload();
  loadCapacity(capacityPanel);
  loadPool(state, poolPanel);
  const timer = setInterval(() => { if (!document.hidden) loadPool(state, poolPanel, true); }, 5000);
  return () => { state.disposed = true; clearInterval(timer); };
}

async function loadCapacity(panel) {
  const title = h('h2', { id: 'h-capacity' }, 'Capacity');
  clear(panel, title, loading());
  try {
    const c = await api.get('capacity' + qs({ organization_id: selectedOrg() }));
    const pct = Math.round((c.utilization || 0) * 100);
    const bar = h('div.capacity-bar' + (c.utilization > 1 ? '.over' : c.warning ? '.warn' : ''), { role: 'meter',
      'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.min(pct, 100), 'aria-label': 'Pool utilization' },
    h('span', { style: 'width:' + Math.min(pct, 100) + '%' }));
    clear(panel, title,
      h('p', h('strong', Math.round(c.scheduled_tests_per_day) + ' tests/day'), ' scheduled of ',
        h('strong', Math.round(c.capacity_tests_per_day) + ' tests/day'), ' the pool can serve (' + pct + ' %)'),
      bar,
      h('p.muted.small', c.servers + ' servers × 86 400 s / ' + (Math.round(c.mean_test_seconds * 10) / 10)
        + ' s mean test duration'),
      c.warning ? h('p.notice.warn', { role: 'alert' }, 'The schedules ask for more than 80 % of what the pool can serve: '
        + 'runs will wait for a free server. Add servers or spread the schedules.') : null);
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Capacity unavailable', e));
  }
}

async function loadServers(state, root, panel) {
  const title = h('h2', { id: 'h-servers' }, 'Servers');
  clear(panel, title, loading());
  try {
    const page = await api.get('inventory/iperf3-servers' + qs({ organization_id: selectedOrg(), size: 500 }));
    state.servers = Array.isArray(page) ? page : page.items || [];
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Servers unavailable', e));
    return;
  }
  const ownsAll = (s) => (s.organization_ids || []).every((o) => can(o, 'owner'));
  clear(panel, title, state.servers.length === 0 ? empty('No iperf3 servers yet.') : table([
    { label: 'Server', cell: (s) => h('span.mono', s.host + ':' + s.port) },
    { label: 'Organizations', cell: (s) => (s.organization_ids || []).map(orgName).join(', ') },
    { label: 'Enabled', cell: (s) => (s.enabled ? 'yes' : h('span.muted', 'disabled')) },
    { label: 'Authentication', cell: (s) => (s.auth_required ? 'user ' + (s.username || '') : 'none') },
    { label: '', cell: (s) => (ownsAll(s) ? h('span.row',
      h('button.small', { type: 'button', onclick: () => showServerForm(state, root, s) }, 'Edit'),
      h('button.small', { type: 'button', onclick: () => toggleServer(state, s) }, s.enabled ? 'Disable' : 'Enable'),
      h('button.small.danger', { type: 'button', onclick: () => deleteServer(state, s) }, 'Delete')) : '') },
  ], state.servers, { label: 'iperf3 servers' }));
}

function serverBody(s, changes) {
  return { organization_ids: s.organization_ids, host: s.host, port: s.port, enabled: s.enabled,
    username: s.username || undefined, ...changes };
}

async function toggleServer(state, s) {
  try {
    await api.put('inventory/iperf3-servers/' + enc(s.id), serverBody(s, { enabled: !s.enabled }), { ifMatch: s.version });
    toast(s.host + (s.enabled ? ' disabled' : ' enabled'));
    state.reload();
  } catch (e) {
    if (!e.unauthorized) toast('Could not change the server: ' + e.message);
  }
}

async function deleteServer(state, s) {
  if (!confirmAction('Delete the iperf3 server ' + s.host + ':' + s.port + '?')) return;
  try {
    await api.del('inventory/iperf3-servers/' + enc(s.id));
    toast('Server deleted');
    state.reload();
  } catch (e) {
    if (!e.unauthorized) toast('Could not delete the server: ' + e.message);
  }
}

function showServerForm(state, root, s) {
  root.querySelectorAll('.server-form').forEach((p) => p.remove());
  const owned = allOrganizations().filter((o) => can(o.id, 'owner'));
  const selected = s ? s.organization_ids : [selectedOrg() || (owned[0] || {}).id];
  const orgs = h('div.field.wide', { dataset: { field: 'organization_ids' } },
    h('span.field-error', { role: 'alert' }),
    h('fieldset', h('legend', 'Organizations'), h('div.form', owned.map((o) => field({
      name: 'org:' + o.id, label: o.name, type: 'checkbox', value: selected.includes(o.id) })))));
  const f = form({
    label: s ? 'Edit server' : 'Add server',
    submit: s ? 'Save server' : 'Add server',
    cancel: () => panel.remove(),
    fields: [
      orgs,
      field({ name: 'host', label: 'Host', value: s ? s.host : '', required: true, placeholder: 'host name or IP' }),
      field({ name: 'port', label: 'Port', type: 'number', value: s ? s.port : 5201, min: 1, max: 65535 }),
      field({ name: 'enabled', label: 'Enabled', type: 'checkbox', value: s ? s.enabled : true }),
      field({ name: 'username', label: 'iperf3 user', value: s ? s.username : '', hint: 'optional authentication' }),
      field({ name: 'password', label: 'iperf3 password', type: 'password', hint: s && s.auth_required ? 'set; empty keeps it' : 'write-only' }),
      field({ name: 'rsa_public_key', label: 'RSA public key (PEM)', type: 'textarea', wide: true, hint: 'write-only' }),
    ],
    onSubmit: async (values) => {
      const body = { organization_ids: [] };
      for (const [k, v] of Object.entries(values)) {
        if (k.startsWith('org:')) { if (v) body.organization_ids.push(k.slice(4)); } else body[k] = v;
      }
      // keep the organizations of the server the caller does not own (they are not in the form)
      if (s) (s.organization_ids || []).filter((o) => !owned.some((x) => x.id === o)).forEach((o) => body.organization_ids.push(o));
      if (s) await api.put('inventory/iperf3-servers/' + enc(s.id), body, { ifMatch: s.version });
      else await api.post('inventory/iperf3-servers', body);
      toast(s ? 'Server saved' : 'Server added');
      panel.remove();
      state.reload();
    },
  });
  const panel = h('section.panel.server-form', h('h2', s ? 'Edit ' + s.host + ':' + s.port : 'Add server'), f);
  root.querySelector('.page-head').after(panel);
  f.querySelector('input[name=host]').focus();
}

async function loadPool(state, panel, quiet) {
  const title = h('h2', { id: 'h-pool' }, 'Live pool status');
  if (!quiet) clear(panel, title, loading());
  try {
    const s = await api.get('runner/iperf3-servers/status');
    if (state.disposed) return;
    const servers = s.servers || [];
    const w = s.waits || {};
    clear(panel, title,
      h('p', h('strong', String(s.queue_length ?? 0)), ' runs waiting for a server',
        Object.keys(s.queues || {}).length ? ' (' + Object.entries(s.queues).map(([k, v]) => v + ' in ' + k).join(', ') + ')' : '',
        h('span.muted.small', ' · waits on ' + (s.runner_id || 'this runner') + ': ' + (w.waits ?? 0) + ', timeouts '
          + (w.timeouts ?? 0) + ', mean ' + round(w.mean_wait_seconds) + ' s, max ' + round(w.max_wait_seconds) + ' s')),
      servers.length === 0 ? empty('No servers.') : table([
        { label: 'Server', cell: (x) => h('span.mono', x.host + ':' + x.port) },
        { label: 'State', cell: (x) => (!x.enabled ? h('span.muted', 'disabled')
          : x.leased ? h('span.health.health-problem', 'in use') : h('span.health.health-ok', 'free')) },
        { label: 'Held by', cell: (x) => (x.leased ? (x.device_name || x.device_id || x.holder || '–') : '') },
        { label: 'Since', cell: (x) => (x.leased && x.since ? h('span', { title: when(x.since, true) }, ago(x.since)) : '') },
      ], servers, { label: 'Pool status' }),
      h('p.muted.small', 'Refreshed every 5 s, last at ' + new Date().toLocaleTimeString()));
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Pool status unavailable', e));
  }
}

function round(v) {
  return v === undefined || v === null ? '–' : Math.round(v * 10) / 10;
}
