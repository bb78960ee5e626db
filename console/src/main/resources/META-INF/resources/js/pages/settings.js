// Organization settings (owners): members and roles, iperf3 defaults and the OpenWISP import, alert
// defaults per check type, webhooks with their delivery log.
import { api, qs, enc } from '../api.js';
import { h, clear, loading, failure, empty, table, field, form, toast, can, confirmAction } from '../ui.js';
import { when, fieldLabel, fieldValue, isoDuration, FIELD_UNITS } from '../format.js';
import { selectedOrg, allOrganizations } from '../app.js';

const ROLES = ['viewer', 'operator', 'owner'];
const FIELDS_BY_TYPE = {
  iperf3: ['sent_bps_tcp', 'received_bps_tcp', 'sent_bps_udp', 'iperf3_result', 'jitter', 'lost_percent', 'retransmits'],
  ping: ['reachable', 'loss', 'rtt_avg', 'rtt_max'],
};

export function render(root) {
  const owned = allOrganizations().filter((o) => can(o.id, 'owner'));
  if (owned.length === 0) {
    clear(root, h('div.page-head', h('h1', 'Organization settings')),
      h('p.state.state-empty', 'Only owners of an organization can change its settings.'));
    return undefined;
  }
  const current = owned.find((o) => o.id === selectedOrg()) || owned[0];
  const picker = owned.length > 1 ? field({ name: 'org', label: 'Organization', type: 'select', value: current.id,
    options: owned.map((o) => [o.id, o.name]) }) : null;
  const panels = {
    members: h('section.panel', { id: 'members' }),
    iperf3: h('section.panel', { id: 'iperf3-defaults' }),
    importer: h('section.panel', { id: 'openwisp-import' }),
    alerts: h('section.panel', { id: 'alert-defaults' }),
    webhooks: h('section.panel', { id: 'webhooks' }),
  };
  clear(root, h('div.page-head', h('div', h('h1', 'Organization settings'), h('p.sub', current.name)), picker),
    panels.members, h('div.grid-2', panels.iperf3, panels.importer), panels.alerts, panels.webhooks);
  const load = (org) => {
    loadMembers(org, panels.members);
    loadIperfDefaults(org, panels.iperf3);
    importer(panels.importer);
    loadAlertDefaults(org, panels.alerts);
    loadWebhooks(org, panels.webhooks);
  };
  if (picker) {
    picker.querySelector('select').addEventListener('change', (e) => {
      const org = owned.find((o) => o.id === e.target.value);
      root.querySelector('.page-head .sub').textContent = org.name;
      load(org);
    });
  }
  load(current);
  return undefined;
}

// ---------------------------------------------------------------- members

async function loadMembers(org, panel) {
  const title = h('h2', 'Members and roles');
  const add = h('button.primary', { type: 'button', id: 'add-user', onclick: () => addUser(org, panel) }, 'Add user');
  clear(panel, h('div.panel-head', title, add), loading());
  let members;
  try {
    members = await api.get('inventory/organizations/' + enc(org.id) + '/members');
  } catch (e) {
    if (!e.unauthorized) clear(panel, h('div.panel-head', title), failure('Members unavailable', e));
    return;
  }
  const reload = () => loadMembers(org, panel);
  clear(panel, h('div.panel-head', title, add), members.length === 0 ? empty('No members.') : table([
    { label: 'User', cell: (m) => m.username },
    { label: 'Role', cell: (m) => {
      const select = h('select', { 'aria-label': 'Role of ' + m.username, dataset: { member: m.username } },
        ROLES.map((r) => h('option', { value: r, selected: r === m.role }, r)));
      select.addEventListener('change', async () => {
        try {
          await api.put('inventory/organizations/' + enc(org.id) + '/members/' + enc(m.user_id), { role: select.value });
          toast(m.username + ' is now ' + select.value);
        } catch (e) {
          select.value = m.role;
          if (!e.unauthorized) toast('Could not change the role: ' + e.message);
        }
      });
      return select;
    } },
    { label: '', cell: (m) => h('button.small.danger', { type: 'button', onclick: async () => {
      if (!confirmAction('Remove ' + m.username + ' from ' + org.name + '?')) return;
      try {
        await api.del('inventory/organizations/' + enc(org.id) + '/members/' + enc(m.user_id));
        toast(m.username + ' removed');
        reload();
      } catch (e) { if (!e.unauthorized) toast('Could not remove: ' + e.message); }
    } }, 'Remove') },
  ], members, { label: 'Members' }));
}

function addUser(org, panel) {
  if (panel.querySelector('form')) return;
  const f = form({
    label: 'Add user',
    submit: 'Create user',
    cancel: () => f.remove(),
    fields: [
      field({ name: 'username', label: 'User name', required: true, autocomplete: 'off' }),
      field({ name: 'password', label: 'Password', type: 'password', required: true, hint: 'at least 8 characters' }),
      field({ name: 'role', label: 'Role in ' + org.name, type: 'select', value: 'viewer', options: ROLES }),
    ],
    onSubmit: async (v) => {
      await api.post('inventory/users', { username: v.username, password: v.password, superuser: false,
        memberships: [{ organization_id: org.id, role: v.role }] });
      toast('User ' + v.username + ' created');
      loadMembers(org, panel);
    },
  });
  panel.querySelector('.panel-head').after(f);
  f.querySelector('input').focus();
}

// ---------------------------------------------------------------- iperf3 defaults and import

async function loadIperfDefaults(org, panel) {
  const title = h('h2', 'iperf3 defaults');
  clear(panel, title, loading());
  let d;
  try {
    d = await api.get('inventory/organizations/' + enc(org.id) + '/iperf3-defaults');
  } catch (e) {
    if (e.status === 404) d = { config: {}, version: null };
    else {
      if (!e.unauthorized) clear(panel, title, failure('iperf3 defaults unavailable', e));
      return;
    }
  }
  const f = jsonForm({
    name: 'config',
    label: 'Configuration (OpenWISP per-organization shape)',
    value: d.config || {},
    hint: 'host, client_options (time, parallel, udp.bitrate, …), username, password, rsa_public_key. '
      + (d.auth_secret_set ? 'A password/key is set; leave it out to keep it.' : ''),
    submit: 'Save defaults',
    onSubmit: async (config) => {
      await api.put('inventory/organizations/' + enc(org.id) + '/iperf3-defaults', config, { ifMatch: d.version });
      toast('iperf3 defaults saved; the organization\'s iperf3 checks are re-published');
      loadIperfDefaults(org, panel);
    },
  });
  clear(panel, title, h('p.muted.small', 'Used by every iperf3 check of the organization for the options it leaves unset.'), f);
}

function importer(panel) {
  const f = jsonForm({
    name: 'document',
    label: 'OPENWISP_MONITORING_IPERF3_CHECK_CONFIG',
    value: null,
    placeholder: '{"<organization uuid>": {"host": ["iperf3.example.net"], "client_options": {"time": 10}}}',
    hint: 'As it is in OpenWISP\'s settings; applied atomically. You must own every organization in it.',
    submit: 'Import',
    onSubmit: async (doc) => {
      const result = await api.post('inventory/iperf3-defaults/import', doc);
      toast('Imported the defaults of ' + (result.organizations || []).length + ' organizations');
    },
  });
  clear(panel, h('h2', 'OpenWISP import'), f);
}

/** A form with one JSON textarea; a parse error or the service's field errors are shown under it. */
function jsonForm(spec) {
  const f = form({
    label: spec.label,
    submit: spec.submit,
    fields: [field({ name: spec.name, label: spec.label, type: 'textarea', wide: true, rows: 8, hint: spec.hint,
      placeholder: spec.placeholder, value: spec.value ? JSON.stringify(spec.value, null, 2) : '' })],
    onSubmit: async (values) => {
      let doc;
      try {
        doc = JSON.parse(values[spec.name] || '{}');
      } catch (e) {
        const error = new Error('Not valid JSON: ' + e.message);
        error.fieldErrors = { [spec.name]: 'not valid JSON (' + e.message + ')' };
        throw error;
      }
      try {
        await spec.onSubmit(doc);
      } catch (e) {
        // the service names fields inside the document (client_options.time): show them under the text area
        if (e.fieldErrors && Object.keys(e.fieldErrors).length) {
          e.fieldErrors = { [spec.name]: Object.entries(e.fieldErrors).map(([k, v]) => k + ': ' + v).join('; ') };
        }
        throw e;
      }
    },
  });
  return f;
}

// ---------------------------------------------------------------- alert defaults

async function loadAlertDefaults(org, panel) {
  const title = h('h2', 'Alert defaults per check type');
  clear(panel, title, loading());
  let rows;
  try {
    rows = await api.get('alert/organizations/' + enc(org.id) + '/alert-defaults');
    rows = Array.isArray(rows) ? rows : rows.items || [];
  } catch (e) {
    if (!e.unauthorized) clear(panel, title, failure('Alert defaults unavailable', e));
    return;
  }
  const body = h('tbody');
  const addRow = (r) => body.appendChild(defaultRow(r));
  rows.forEach(addRow);
  const message = h('p.field-error', { role: 'alert' });
  const save = async () => {
    message.textContent = '';
    const list = [...body.querySelectorAll('tr')].map((tr) => ({
      check_type: tr.querySelector('[name=check_type]').value,
      field: tr.querySelector('[name=field]').value,
      operator: tr.querySelector('[name=operator]').value,
      threshold: Number(tr.querySelector('[name=threshold]').value),
      tolerance: tr.querySelector('[name=tolerance]').value.trim(),
      active: tr.querySelector('[name=active]').checked,
    }));
    try {
      await api.put('alert/organizations/' + enc(org.id) + '/alert-defaults', list);
      toast('Alert defaults saved (they apply to checks created from now on)');
      loadAlertDefaults(org, panel);
    } catch (e) {
      if (!e.unauthorized) {
        message.textContent = e.message + (Object.keys(e.fieldErrors).length ? ': '
          + Object.entries(e.fieldErrors).map(([k, v]) => k + ' ' + v).join('; ') : '');
      }
    }
  };
  clear(panel, title,
    h('p.muted.small', rows.length ? 'The organization\'s own defaults, for checks created from now on.'
      : 'None: the built-in defaults apply (iperf3 TCP sent < 10 Mbps for 2 days, iperf3 result < 1 for 1 day, ping reachable < 1 for 30 min).'),
    h('div.table-wrap', h('table.responsive', { 'aria-label': 'Alert defaults' },
      h('thead', h('tr', ['Check type', 'Field', 'Operator', 'Threshold', 'Tolerance', 'Active', ''].map((t) => h('th', t)))), body)),
    h('div.row', { style: 'margin-top:10px' },
      h('button', { type: 'button', onclick: () => addRow({ check_type: 'iperf3', field: 'sent_bps_tcp', operator: '<',
        threshold: 10000000, tolerance: 'PT48H', active: true }) }, 'Add default'),
      h('button.primary', { type: 'button', onclick: save }, 'Save alert defaults')),
    message);
}

function defaultRow(r) {
  const type = h('select', { name: 'check_type', 'aria-label': 'Check type' }, ['iperf3', 'ping'].map((t) =>
    h('option', { value: t, selected: t === r.check_type }, t)));
  const fieldSelect = h('select', { name: 'field', 'aria-label': 'Field' });
  const fill = () => clear(fieldSelect, FIELDS_BY_TYPE[type.value].map((f) =>
    h('option', { value: f, selected: f === r.field }, fieldLabel(f))));
  fill();
  type.addEventListener('change', fill);
  const threshold = h('input', { name: 'threshold', type: 'number', step: 'any', value: r.threshold, 'aria-label': 'Threshold' });
  const unitHint = h('span.hint');
  const hint = () => { unitHint.textContent = fieldValue(fieldSelect.value, Number(threshold.value)) + (FIELD_UNITS[fieldSelect.value] ? '' : ''); };
  threshold.addEventListener('input', hint);
  fieldSelect.addEventListener('change', hint);
  hint();
  const tr = h('tr',
    h('td', { 'data-label': 'Check type' }, type),
    h('td', { 'data-label': 'Field' }, fieldSelect),
    h('td', { 'data-label': 'Operator' }, h('select', { name: 'operator', 'aria-label': 'Operator' },
      ['<', '>'].map((o) => h('option', { value: o, selected: o === r.operator }, o)))),
    h('td', { 'data-label': 'Threshold' }, threshold, unitHint),
    h('td', { 'data-label': 'Tolerance' }, h('input', { name: 'tolerance', value: r.tolerance, 'aria-label': 'Tolerance',
      title: isoDuration(r.tolerance) })),
    h('td', { 'data-label': 'Active' }, h('input', { name: 'active', type: 'checkbox', checked: r.active !== false, 'aria-label': 'Active' })),
    h('td', h('button.small.danger', { type: 'button', onclick: () => tr.remove() }, 'Remove')));
  return tr;
}

// ---------------------------------------------------------------- webhooks

async function loadWebhooks(org, panel) {
  const title = h('h2', 'Webhooks');
  const add = h('button.primary', { type: 'button', onclick: () => addWebhook(org, panel) }, 'Add webhook');
  clear(panel, h('div.panel-head', title, add), loading());
  let hooks;
  try {
    hooks = await api.get('alert/webhooks');
    hooks = (Array.isArray(hooks) ? hooks : hooks.items || []).filter((w) => w.organization_id === org.id);
  } catch (e) {
    if (!e.unauthorized) clear(panel, h('div.panel-head', title), failure('Webhooks unavailable', e));
    return;
  }
  clear(panel, h('div.panel-head', title, add),
    h('p.muted.small', 'Each notification is POSTed as JSON, signed with X-Bandwatch-Signature (HMAC-SHA256 of the body with the secret).'),
    hooks.length === 0 ? empty('No webhooks.') : table([
      { label: 'URL', cell: (w) => h('span.mono', w.url) },
      { label: 'Active', cell: (w) => (w.active ? 'yes' : 'no') },
      { label: 'Created', cell: (w) => when(w.created_at) },
      { label: '', cell: (w) => h('span.row',
        h('button.small', { type: 'button', onclick: (e) => showDeliveries(w, e.target.closest('tr')) }, 'Delivery log'),
        h('button.small.danger', { type: 'button', onclick: async () => {
          if (!confirmAction('Delete the webhook ' + w.url + '?')) return;
          try {
            await api.del('alert/webhooks/' + enc(w.id));
            toast('Webhook deleted');
            loadWebhooks(org, panel);
          } catch (e) { if (!e.unauthorized) toast('Could not delete: ' + e.message); }
        } }, 'Delete')) },
    ], hooks, { label: 'Webhooks' }));
}

function addWebhook(org, panel) {
  if (panel.querySelector('form')) return;
  const f = form({
    label: 'Add webhook',
    submit: 'Add webhook',
    cancel: () => f.remove(),
    fields: [
      field({ name: 'url', label: 'URL', type: 'url', required: true, wide: true, placeholder: 'https://hooks.example.net/bandwatch' }),
      field({ name: 'secret', label: 'Secret', type: 'password', required: true, hint: '16–256 characters, write-only' }),
      field({ name: 'active', label: 'Active', type: 'checkbox', value: true }),
    ],
    onSubmit: async (v) => {
      await api.post('alert/webhooks', { organization_id: org.id, url: v.url, secret: v.secret, active: v.active });
      toast('Webhook added');
      loadWebhooks(org, panel);
    },
  });
  panel.querySelector('.panel-head').after(f);
  f.querySelector('input').focus();
}

async function showDeliveries(w, row) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('deliveries')) {
    next.remove();
    return;
  }
  const cell = h('td', { colspan: 4 }, loading());
  row.after(h('tr.deliveries', cell));
  try {
    const list = await api.get('alert/webhooks/' + enc(w.id) + '/deliveries' + qs({ limit: 20 }));
    const items = Array.isArray(list) ? list : list.items || [];
    clear(cell, items.length === 0 ? empty('No deliveries yet.') : table([
      { label: 'Created', cell: (d) => when(d.created_at, true) },
      { label: 'Status', cell: (d) => h('span.status-' + (d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'failed' : 'none'), d.status) },
      { label: 'Attempts', num: true, cell: (d) => String(d.attempts) },
      { label: 'Last answer', cell: (d) => (d.last_status_code ? 'HTTP ' + d.last_status_code : '') + (d.last_error ? ' ' + d.last_error : '') },
      { label: 'Next attempt', cell: (d) => (d.status === 'pending' ? when(d.next_attempt_at, true) : '') },
    ], items, { label: 'Delivery log' }));
  } catch (e) {
    if (!e.unauthorized) clear(cell, failure('Delivery log unavailable', e));
  }
}
