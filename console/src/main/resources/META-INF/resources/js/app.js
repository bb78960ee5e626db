// The console shell: session, hash routing, header (user, organization switcher, unread count, logout).
import { api, setSession, currentSession, setUnauthorizedHandler, qs } from './api.js';
import { h, clear, canAnywhere } from './ui.js';
import { renderLogin } from './pages/login.js';

const ROUTES = {
  fleet: () => import('./pages/fleet.js'),
  devices: () => import('./pages/device.js'),
  servers: () => import('./pages/servers.js'),
  notifications: () => import('./pages/notifications.js'),
  settings: () => import('./pages/settings.js'),
};
const NEXT_KEY = 'bw.next';   // sessionStorage: the route to return to after login (never a token)
const ORG_KEY = 'bw.org';     // localStorage: the selected organization id ('' = all)

const main = document.getElementById('main');
const top = document.getElementById('top');
let organizations = [];       // [{id, name, role}] the caller can switch between
let renderSeq = 0;
let cleanup = null;           // stops the timers of the page that is shown
let unreadTimer = null;

/** The organization picked in the header ('' = all of the caller's). */
export function selectedOrg() {
  const id = localStorage.getItem(ORG_KEY) || '';
  return organizations.some((o) => o.id === id) ? id : (organizations.length === 1 ? organizations[0].id : '');
}

export function orgName(id) {
  const o = organizations.find((x) => x.id === id);
  return o ? o.name : (id ? id.slice(0, 8) : '–');
}

export function allOrganizations() {
  return organizations;
}

/** Re-reads the unread-notification count in the header. */
export async function refreshUnread() {
  const badge = document.getElementById('unread');
  try {
    const list = await api.get('alert/notifications' + qs({ unread: 'true', limit: 100 }));
    const n = Array.isArray(list) ? list.length : (list.items || []).length;
    badge.hidden = n === 0;
    badge.textContent = n >= 100 ? '99+' : String(n);
    badge.title = n + ' unread notifications';
    badge.setAttribute('aria-label', n + ' unread');
  } catch (e) {
    badge.hidden = false;
    badge.textContent = '?';
    badge.title = 'Unread count unavailable: ' + e.message;
  }
}

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || 'fleet', params: parts.slice(1), query: new URLSearchParams(query || '') };
}

async function render() {
  const seq = ++renderSeq;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  if (!currentSession()) {
    showLogin();
    return;
  }
  const r = route();
  const load = ROUTES[r.name];
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.route === r.name
    || (r.name === 'devices' && a.dataset.route === 'fleet')));
  document.getElementById('nav').classList.remove('open');
  if (!load) {
    clear(main, h('p.state.state-empty', 'No such page. '), h('a', { href: '#/fleet' }, 'Go to the fleet overview'));
    return;
  }
  document.body.dataset.state = 'loading';
  let module;
  try {
    module = await load();
  } catch (e) {
    clear(main, h('p.state.state-error', 'The page could not be loaded: ' + e.message));
    return;
  }
  if (seq !== renderSeq) return;
  const container = h('div.page', { dataset: { page: r.name } });
  clear(main, container);
  const result = module.render(container, r);
  cleanup = typeof result === 'function' ? result : null;
  main.focus({ preventScroll: true });
}

function showLogin() {
  top.hidden = true;
  clearInterval(unreadTimer);
  const r = location.hash;
  if (r && !r.startsWith('#/login')) sessionStorage.setItem(NEXT_KEY, r);
  document.body.dataset.state = 'login';
  renderLogin(main, async (view) => {
    await startSession(view);
    const next = sessionStorage.getItem(NEXT_KEY);
    sessionStorage.removeItem(NEXT_KEY);
    if (next && next !== location.hash) {
      location.hash = next;      // hashchange renders
    } else {
      render();
    }
  });
}

async function startSession(view) {
  setSession(view);
  organizations = (view.organizations || []).map((o) => ({ id: o.id, name: o.name || o.id.slice(0, 8), role: o.role }));
  if (view.superuser) {
    try {
      const all = await api.get('inventory/organizations' + qs({ size: 500 }));
      const items = Array.isArray(all) ? all : all.items || [];
      organizations = items.map((o) => ({ id: o.id, name: o.name, role: 'owner' }));
    } catch (e) {
      // keep the session's list; the page that needs more shows its own error
    }
  }
  organizations.sort((a, b) => a.name.localeCompare(b.name));
  fillHeader(view);
  refreshUnread();
  clearInterval(unreadTimer);
  unreadTimer = setInterval(refreshUnread, 30000);
}

function fillHeader(view) {
  top.hidden = false;
  const role = view.superuser ? 'superuser' : '';
  clear(document.getElementById('user'), h('span', { dataset: { username: view.username } }, view.username),
    role ? h('span.muted', ' (' + role + ')') : null);
  const select = document.getElementById('org-switch');
  const current = selectedOrg();
  clear(select,
    organizations.length > 1 ? h('option', { value: '' }, 'All organizations') : null,
    organizations.map((o) => h('option', { value: o.id, selected: o.id === current },
      o.name + (view.superuser ? '' : ' · ' + o.role))));
  select.value = current;
  select.parentElement.hidden = organizations.length === 0;
  document.getElementById('nav-settings').hidden = !canAnywhere('owner');
}

async function boot() {
  setUnauthorizedHandler(() => {
    setSession(null);
    render();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api.del('session', { noRedirect: true });
    } catch (e) {
      // the session may be gone already; the form is shown either way
    }
    setSession(null);
    sessionStorage.removeItem(NEXT_KEY);
    location.hash = '#/fleet';
    render();
  });
  document.getElementById('org-switch').addEventListener('change', (event) => {
    localStorage.setItem(ORG_KEY, event.target.value);
    render();
  });
  const toggle = document.getElementById('nav-toggle');
  toggle.addEventListener('click', () => {
    const nav = document.getElementById('nav');
    nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(nav.classList.contains('open')));
  });
  window.addEventListener('hashchange', render);
  try {
    const view = await api.get('session', { noRedirect: true });
    await startSession(view);
  } catch (e) {
    setSession(null);
    if (!e.unauthorized) {
      clear(main, h('p.state.state-error', 'The console could not be reached: ' + e.message));
      return;
    }
  }
  render();
}

boot();
