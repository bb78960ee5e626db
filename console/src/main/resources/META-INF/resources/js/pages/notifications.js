// Notifications: list with filters (device, type, unread), mark read, mark all read.
import { api, qs, enc } from '../api.js';
import { h, clear, loading, failure, empty, table, field, toast } from '../ui.js';
import { when, ago, fieldLabel, fieldValue } from '../format.js';
import { selectedOrg, refreshUnread } from '../app.js';

const LIMIT = 50;

export function render(root, route) {
  const q = route.query;
  const state = { filters: { device_id: q.get('device_id') || '', type: q.get('type') || '', unread: q.get('unread') || '' },
    offset: 0, devices: new Map(), items: [] };
  const listPanel = h('section.panel', { id: 'notifications', 'aria-labelledby': 'h-list' });
  const markAll = h('button', { type: 'button', id: 'mark-all-read', onclick: () => markAllRead(state) }, 'Mark all read');
  clear(root, h('div.page-head', h('div', h('h1', 'Notifications'),
    h('p.sub', 'Problems and recoveries of the alert settings, newest first.')), markAll), listPanel);
  state.reload = () => loadList(state, listPanel);

  api.get('inventory/devices' + qs({ organization_id: selectedOrg(), size: 500, sort: 'name' })).then((page) => {
    (page.items || []).forEach((d) => state.devices.set(d.id, d.name));
  }).catch(() => { /* the list shows ids then */ }).finally(() => state.reload());
}

function filters(state) {
  const devices = [...state.devices.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const f = h('form.filters', { id: 'notification-filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    field({ name: 'device_id', label: 'Device', type: 'select', value: state.filters.device_id,
      options: [['', 'all devices'], ...devices] }),
    field({ name: 'type', label: 'Type', type: 'select', value: state.filters.type,
      options: [['', 'all'], ['problem', 'problem'], ['recovery', 'recovery']] }),
    field({ name: 'unread', label: 'Show', type: 'select', value: state.filters.unread,
      options: [['', 'read and unread'], ['true', 'unread only']] }));
  f.addEventListener('change', (e) => {
    state.filters[e.target.name] = e.target.value;
    state.offset = 0;
    history.replaceState(null, '', '#/notifications' + qs(state.filters));
    state.reload();
  });
  return f;
}

async function loadList(state, panel) {
  if (!panel.querySelector('#notification-filters')) {
    clear(panel, h('h2.visually-hidden', { id: 'h-list' }, 'List'), filters(state), h('div.list-body'));
  }
  const body = panel.querySelector('.list-body');
  clear(body, loading());
  try {
    const list = await api.get('alert/notifications' + qs({ ...state.filters, limit: LIMIT, offset: state.offset }));
    state.items = Array.isArray(list) ? list : list.items || [];
  } catch (e) {
    if (!e.unauthorized) clear(body, failure('Notifications unavailable', e));
    return;
  }
  const items = state.items;
  clear(body, items.length === 0 ? empty(state.filters.unread ? 'No unread notifications.' : 'No notifications.') : table([
    { label: 'Time', cell: (n) => h('span', { title: when(n.time, true) }, when(n.time)) },
    { label: 'Device', cell: (n) => h('a', { href: '#/devices/' + enc(n.device_id) }, state.devices.get(n.device_id) || n.device_id.slice(0, 8)) },
    { label: 'Type', cell: (n) => h('span.health.health-' + (n.type === 'problem' ? 'problem' : 'ok'), n.type) },
    { label: 'Setting', cell: (n) => fieldLabel(n.field) + ' ' + n.operator + ' ' + fieldValue(n.field, n.threshold) },
    { label: 'Value', num: true, cell: (n) => fieldValue(n.field, n.value) },
    { label: 'Message', cell: (n) => n.message },
    { label: '', cell: (n) => (n.read ? h('span.muted.small', 'read') : h('button.small', { type: 'button',
      dataset: { read: n.id }, onclick: (e) => markRead(n, e.target) }, 'Mark read')) },
  ], items, { label: 'Notifications', rowClass: (n) => (n.read ? null : 'unread') }),
  items.length === 0 && state.offset === 0 ? null : h('div.pager',
    h('span.muted.small', 'Showing ' + (state.offset + 1) + '–' + (state.offset + items.length)),
    h('button.small', { type: 'button', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - LIMIT); state.reload(); } }, '← Newer'),
    h('button.small', { type: 'button', disabled: items.length < LIMIT, onclick: () => { state.offset += LIMIT; state.reload(); } }, 'Older →')));
}

async function markRead(n, button) {
  button.disabled = true;
  try {
    await api.post('alert/notifications/' + enc(n.id) + '/read');
    n.read = true;
    const row = button.closest('tr');
    if (row) row.classList.remove('unread');
    button.replaceWith(h('span.muted.small', 'read'));
    refreshUnread();
  } catch (e) {
    button.disabled = false;
    if (!e.unauthorized) toast('Could not mark it read: ' + e.message);
  }
}

async function markAllRead(state) {
  let unread;
  try {
    const list = await api.get('alert/notifications' + qs({ device_id: state.filters.device_id, type: state.filters.type,
      unread: 'true', limit: 500 }));
    unread = Array.isArray(list) ? list : list.items || [];
  } catch (e) {
    if (!e.unauthorized) toast('Could not read the unread notifications: ' + e.message);
    return;
  }
  let failed = 0;
  for (const n of unread) {
    try {
      await api.post('alert/notifications/' + enc(n.id) + '/read');
    } catch (e) {
      if (e.unauthorized) return;
      failed++;
    }
  }
  toast(failed ? (unread.length - failed) + ' marked read, ' + failed + ' failed' : unread.length + ' notifications marked read');
  refreshUnread();
  state.reload();
}
