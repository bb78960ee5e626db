// Every call of the UI goes through here: same-origin fetch to /console/api/ with the session cookie
// (HttpOnly, so scripts never see it), the CSRF token on writes, problem+json turned into ApiError with
// per-field messages, and 401 turned into "show the login form, then come back to this route".
// No token is ever stored by the UI: the session view holds only the CSRF token, in memory.

const BASE = '/console/api/';
const SERVICE_NAMES = {
  inventory: 'inventory-service',
  runner: 'check-runner-service',
  metrics: 'metrics-service',
  alert: 'alert-service',
};

let session = null;
let onUnauthorized = () => {};

export function setSession(value) {
  session = value;
}

export function currentSession() {
  return session;
}

/** Called (once per 401) with no argument; the app shows the login form and keeps the route. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export class ApiError extends Error {
  constructor(status, problem, path) {
    const service = SERVICE_NAMES[String(path || '').split('/')[0]];
    let message = problem.detail || problem.title || 'HTTP ' + status;
    if (status === 0) {
      message = 'The console is unreachable (' + (problem.detail || 'network error') + ')';
    } else if ((status === 502 || status === 503 || status === 504) && !problem.detail && service) {
      message = service + ' is unreachable';
    }
    super(message);
    this.status = status;
    this.problem = problem;
    this.service = service;
    /** field (snake_case path as the service names it, e.g. params.client_options.parallel) -> message */
    this.fieldErrors = {};
    for (const e of problem.errors || []) {
      if (e && e.field) {
        this.fieldErrors[e.field] = this.fieldErrors[e.field] ? this.fieldErrors[e.field] + '; ' + e.message : e.message;
      }
    }
    this.unauthorized = status === 401;
    this.forbidden = status === 403;
  }
}

/**
 * One request. path is relative to /console/api/ (e.g. "inventory/devices?page=0").
 * options: body (sent as JSON), ifMatch (a version number or ETag), raw (return the Response).
 */
export async function request(method, path, options = {}) {
  const headers = { Accept: options.accept || 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && session && session.csrf_token) {
    headers['X-CSRF-Token'] = session.csrf_token;
  }
  if (options.ifMatch !== undefined && options.ifMatch !== null) {
    const tag = String(options.ifMatch);
    headers['If-Match'] = tag.startsWith('"') || tag.startsWith('W/') ? tag : '"' + tag + '"';
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, { detail: e.message }, path);
  }
  if (!response.ok) {
    let problem = {};
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try {
        problem = await response.json();
      } catch (e) {
        problem = {};
      }
    }
    if (!problem.title && !problem.detail) {
      problem.title = response.statusText || 'HTTP ' + response.status;
    }
    const error = new ApiError(response.status, problem, path);
    if (response.status === 401 && !options.noRedirect) {
      session = null;
      onUnauthorized();
    }
    throw error;
  }
  if (options.raw) {
    return response;
  }
  if (response.status === 204) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  del: (path, options) => request('DELETE', path, options),
};

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export function enc(id) {
  return encodeURIComponent(id);
}
