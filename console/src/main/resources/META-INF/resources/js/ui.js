// Small DOM helpers shared by the pages: an element builder (text only, never HTML strings), form fields
// with labels and per-field error slots, loading/empty/error states, role checks.
import { currentSession } from './api.js';

/** h('tag.class', {attrs, onclick: fn, dataset: {}}, ...children) */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) {
    el.className = classes.join(' ');
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className = (el.className ? el.className + ' ' : '') + v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function loading(text = 'Loading…') {
  return h('p.state.state-loading', { role: 'status' }, text);
}

export function empty(text) {
  return h('p.state.state-empty', text);
}

/** An error state; a down service is named ("metrics-service is unreachable"). */
export function failure(what, error) {
  return h('p.state.state-error', { role: 'alert' }, what + ': ' + (error && error.message ? error.message : error));
}

/** Fills el with a loading state, runs load(), then render(data) or an error state. 401 is left to api.js. */
export async function loadInto(el, what, load, render) {
  clear(el, loading());
  try {
    const data = await load();
    clear(el);
    render(data);
  } catch (e) {
    if (e.unauthorized) return;
    clear(el, failure('Could not load ' + what, e));
  }
}

export function healthBadge(health) {
  const value = health || 'unknown';
  return h('span.health.health-' + value, { 'data-health': value }, value);
}

export function statusText(status) {
  return h('span.status-' + (status || 'none'), status || '–');
}

let toastTimer;
export function toast(text) {
  document.querySelectorAll('.toast').forEach((t) => t.remove());
  const t = h('div.toast', { role: 'status' }, text);
  document.body.appendChild(t);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.remove(), 4000);
}

// ---------------------------------------------------------------- roles

const RANK = { viewer: 1, operator: 2, owner: 3 };

/** The caller's role in an organization; a superuser counts as owner everywhere. */
export function roleIn(orgId) {
  const s = currentSession();
  if (!s) return null;
  if (s.superuser) return 'owner';
  const m = (s.organizations || []).find((o) => o.id === orgId);
  return m ? m.role : null;
}

export function can(orgId, needed) {
  return (RANK[roleIn(orgId)] || 0) >= RANK[needed];
}

/** True when the caller has at least this role in some organization (or is superuser). */
export function canAnywhere(needed) {
  const s = currentSession();
  if (!s) return false;
  return s.superuser || (s.organizations || []).some((o) => (RANK[o.role] || 0) >= RANK[needed]);
}

// ---------------------------------------------------------------- forms

let fieldSeq = 0;

/**
 * A labelled field. name is the API's field path (snake_case, dots for nesting), so a problem's
 * errors[].field finds its slot. type: text, number, password, select, checkbox, textarea, list (comma list).
 */
export function field(spec) {
  const id = 'f' + ++fieldSeq;
  const type = spec.type || 'text';
  const errorId = id + '-error';
  const hintId = id + '-hint';
  const described = [spec.hint || spec.effective !== undefined ? hintId : null, errorId].filter(Boolean).join(' ');
  let input;
  const common = { id, name: spec.name, 'aria-describedby': described, required: spec.required || null,
    disabled: spec.disabled, dataset: { kind: type } };
  if (type === 'select') {
    input = h('select', common, (spec.options || []).map((o) => {
      const [value, label] = Array.isArray(o) ? o : [o, o];
      return h('option', { value, selected: String(spec.value ?? '') === String(value) }, label);
    }));
  } else if (type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: !!spec.value });
  } else if (type === 'textarea') {
    input = h('textarea', { ...common, placeholder: spec.placeholder, rows: spec.rows || 4 });
    input.value = spec.value ?? '';
  } else {
    input = h('input', {
      ...common,
      type: type === 'list' ? 'text' : type,
      value: spec.value ?? '',
      placeholder: spec.placeholder,
      min: spec.min, max: spec.max, step: spec.step,
      autocomplete: spec.autocomplete || (type === 'password' ? 'new-password' : null),
      inputmode: spec.inputmode,
    });
  }
  const label = h('label', { for: id }, spec.label);
  const hint = spec.hint || spec.effective !== undefined
    ? h('span.hint', { id: hintId }, spec.hint || '', spec.effective !== undefined
      ? h('span.effective', (spec.hint ? ' · ' : '') + 'effective: ' + spec.effective) : null)
    : null;
  const error = h('span.field-error', { id: errorId, role: 'alert', dataset: { errorFor: spec.name } });
  const wrap = h('div.field' + (type === 'checkbox' ? '.check' : '') + (spec.wide ? '.wide' : ''),
    { dataset: { field: spec.name } });
  if (type === 'checkbox') {
    wrap.append(input, label, hint || '', error);
  } else {
    wrap.append(label, input, hint || '', error);
  }
  return wrap;
}

/**
 * A form: fields (nodes), a submit label and an async onSubmit(values, form). Errors of the API are
 * shown next to their fields; the rest above the buttons.
 */
export function form(spec) {
  const message = h('p.form-error.field-error', { role: 'alert' });
  const submit = h('button.primary', { type: 'submit' }, spec.submit || 'Save');
  const actions = h('div.form-actions', submit, spec.cancel
    ? h('button', { type: 'button', onclick: spec.cancel }, 'Cancel') : null, spec.extra || null);
  const f = h('form.form', { novalidate: true, 'aria-label': spec.label || null }, spec.fields, message, actions);
  f.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(f);
    submit.disabled = true;
    try {
      await spec.onSubmit(readForm(f), f);
    } catch (e) {
      showErrors(f, e);
    } finally {
      submit.disabled = false;
    }
  });
  return f;
}

export function clearErrors(f) {
  f.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  f.querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
}

/** Puts each errors[].field message next to its field (the nearest enclosing field path), the rest on top. */
export function showErrors(f, error) {
  if (error && error.unauthorized) return;
  const rest = [];
  const fieldErrors = (error && error.fieldErrors) || {};
  for (const [name, text] of Object.entries(fieldErrors)) {
    let target = null;
    let path = name;
    while (path && !target) {
      target = f.querySelector('.field[data-field="' + CSS.escape(path) + '"]');
      if (!target) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    }
    if (target) {
      target.classList.add('invalid');
      const slot = target.querySelector('.field-error');
      slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + (path === name ? text : name + ': ' + text);
    } else {
      rest.push(name + ': ' + text);
    }
  }
  const message = f.querySelector('.form-error');
  const text = Object.keys(fieldErrors).length
    ? (rest.length ? rest.join('; ') : 'Please correct the marked ' + (Object.keys(fieldErrors).length > 1 ? 'fields.' : 'field.'))
    : (error && error.message) || String(error);
  message.textContent = text;
  const first = f.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
  if (first) first.focus();
}

/** Form values as a nested object; empty number and text fields are left out (undefined). */
export function readForm(f) {
  const out = {};
  for (const el of f.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (el.disabled) continue;
    const kind = el.dataset.kind;
    let v;
    if (kind === 'checkbox') v = el.checked;
    else if (kind === 'number') v = el.value.trim() === '' ? undefined : Number(el.value);
    else if (kind === 'list') v = el.value.split(',').map((s) => s.trim()).filter(Boolean);
    else v = el.value.trim() === '' ? undefined : el.value.trim();
    if (v === undefined) continue;
    const keys = el.name.split('.');
    let o = out;
    keys.slice(0, -1).forEach((k) => { o = o[k] = o[k] || {}; });
    o[keys[keys.length - 1]] = v;
  }
  return out;
}

/** Table with labelled cells (phone width shows each row as a list of label: value). */
export function table(columns, rows, options = {}) {
  const head = h('tr', columns.map((c) => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.header || c.label)));
  const body = h('tbody', rows.map((row) => {
    const tr = h('tr', { class: options.rowClass ? options.rowClass(row) : null },
      columns.map((c) => h('td', { class: c.num ? 'num' : null, 'data-label': c.label }, c.cell(row))));
    if (options.onRowClick) {
      tr.classList.add('clickable');
      tr.addEventListener('click', (event) => {
        if (!event.target.closest('a, button, input, select')) options.onRowClick(row);
      });
    }
    return tr;
  }));
  return h('div.table-wrap', h('table.responsive', { 'aria-label': options.label || null }, h('thead', head), body));
}

export function confirmAction(text) {
  return window.confirm(text);
}
