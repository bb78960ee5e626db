// The check form (add and edit): iperf3 options with OpenWISP Monitoring's names, each showing its
// effective value (check -> organization -> default), ping options, the schedule with a preview of the
// next 3 runs. Server-side errors land next to their field (errors[].field, e.g. params.client_options.parallel).
import { api, qs, enc } from '../api.js';
import { h, field, form, clear } from '../ui.js';
import { when, TIME_ZONE } from '../format.js';

const IPERF_OPTIONS = [
  // [name under client_options, label, type, hint]
  ['port', 'port', 'number', 'server port (1–65535)'],
  ['time', 'time', 'number', 'seconds per mode'],
  ['bytes', 'bytes', 'text', 'e.g. 100M (instead of time)'],
  ['blockcount', 'blockcount', 'text', 'e.g. 1K (instead of time)'],
  ['window', 'window', 'text', 'socket buffer, e.g. 0 or 128K'],
  ['parallel', 'parallel', 'number', 'streams'],
  ['connect_timeout', 'connect_timeout', 'number', 'milliseconds'],
  ['tcp.bitrate', 'tcp.bitrate', 'text', 'e.g. 0 (unlimited)'],
  ['tcp.length', 'tcp.length', 'text', 'e.g. 128K'],
  ['udp.bitrate', 'udp.bitrate', 'text', 'e.g. 30M'],
  ['udp.length', 'udp.length', 'text', 'e.g. 0'],
];

function dig(o, path) {
  return path.split('.').reduce((v, k) => (v === null || v === undefined ? undefined : v[k]), o);
}

function show(v) {
  if (v === undefined || v === null || v === '') return '""';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '[] (organization pool)';
  return String(v);
}

/**
 * spec: {device, check (edit) | none (add), onSaved, onCancel}
 */
export function checkForm(spec) {
  const c = spec.check;
  const holder = h('div.check-form');
  const typeSelect = c ? null : field({ name: 'type', label: 'Type', type: 'select', value: 'iperf3',
    options: [['iperf3', 'iperf3 (bandwidth)'], ['ping', 'ping (reachability, RTT)']] });
  const build = (type) => clear(holder, buildForm(spec, type, typeSelect));
  build(c ? c.type : 'iperf3');
  if (typeSelect) {
    typeSelect.querySelector('select').addEventListener('change', (e) => {
      build(e.target.value);
      holder.querySelector('select[name=type]').focus();
    });
  }
  return holder;
}

function buildForm(spec, type, typeSelect) {
  const c = spec.check;
  const params = (c && c.params) || {};
  const eff = (c && c.effective_params) || {};
  const schedule = (c && c.schedule) || (type === 'ping' ? { interval: 'PT5M' } : { cron: '0 0 * * *', time_zone: TIME_ZONE, random_slip: 'PT5H' });
  if (typeSelect) typeSelect.querySelector('select').value = type;

  const preview = h('ol.next-runs', { 'aria-live': 'polite' });
  const previewBox = h('div.field.wide', h('span.hint', 'Next 3 runs (without the random slip):'), preview);

  const fields = [
    typeSelect,
    field({ name: 'name', label: 'Name', value: c ? c.name : (type === 'iperf3' ? 'iperf3' : 'ping') + ' of ' + spec.device.name, required: true }),
    field({ name: 'active', label: 'Active', type: 'checkbox', value: c ? c.active : true }),
    h('fieldset', h('legend', 'Schedule'), h('div.form',
      field({ name: 'schedule.cron', label: 'cron (UNIX)', value: schedule.cron, placeholder: '0 0 * * *', hint: 'minute hour day month weekday' }),
      field({ name: 'schedule.time_zone', label: 'time zone', value: schedule.time_zone, placeholder: 'UTC' }),
      field({ name: 'schedule.random_slip', label: 'random slip', value: schedule.random_slip, placeholder: 'PT5H', hint: 'ISO-8601, e.g. PT30M' }),
      field({ name: 'schedule.interval', label: 'or interval', value: schedule.interval, placeholder: 'PT5M', hint: 'instead of cron, e.g. PT5M' }),
      previewBox)),
  ];
  if (type === 'iperf3') {
    const co = params.client_options || {};
    const effCo = eff.client_options || {};
    fields.push(h('fieldset', h('legend', 'iperf3 (OpenWISP options)'), h('div.form',
      field({ name: 'params.host', label: 'host', type: 'list', value: (params.host || []).join(', '), wide: true,
        hint: 'iperf3 servers, comma separated; empty: the organization\'s pool', effective: c ? show(eff.host) : undefined }),
      IPERF_OPTIONS.map(([name, label, kind, hint]) => field({
        name: 'params.client_options.' + name, label, type: kind, value: dig(co, name), hint,
        effective: c ? show(dig(effCo, name)) : undefined, min: kind === 'number' ? 1 : undefined,
      })),
      field({ name: 'params.client_options.reverse', label: 'reverse', type: 'checkbox', value: !!co.reverse,
        effective: c ? show(effCo.reverse) : undefined }),
      field({ name: 'params.client_options.bidirectional', label: 'bidirectional', type: 'checkbox', value: !!co.bidirectional,
        effective: c ? show(effCo.bidirectional) : undefined }),
      field({ name: 'params.username', label: 'username', value: params.username, autocomplete: 'off',
        hint: 'iperf3 authentication (optional)', effective: c ? show(eff.username) : undefined }),
      field({ name: 'params.password', label: 'password', type: 'password',
        hint: c && c.auth_secret_set ? 'set; leave empty to keep' : 'write-only' }),
      field({ name: 'params.rsa_public_key', label: 'rsa_public_key', type: 'textarea', wide: true, rows: 3,
        hint: c && c.auth_secret_set ? 'set; leave empty to keep' : 'PEM, write-only' }))));
  } else {
    fields.push(h('fieldset', h('legend', 'ping options (fping)'), h('div.form',
      ['count', 'interval', 'bytes', 'timeout'].map((k) => field({ name: 'params.' + k, label: k, type: 'number',
        value: params[k], hint: { count: 'packets (2–20)', interval: 'ms between packets', bytes: 'payload (12–65508)', timeout: 'ms (5–1500)' }[k],
        effective: c && eff[k] !== undefined ? show(eff[k]) : undefined })))));
  }

  const f = form({
    label: c ? 'Edit check' : 'New check',
    submit: c ? 'Save check' : 'Create check',
    cancel: spec.onCancel,
    fields,
    onSubmit: async (values) => {
      const body = {
        device_id: spec.device.id,
        name: values.name,
        type,
        params: cleanParams(values.params || {}, type),
        schedule: values.schedule || {},
        active: values.active,
      };
      if (c) {
        await api.put('inventory/checks/' + enc(c.id), body, { ifMatch: c.version });
      } else {
        await api.post('inventory/checks', body);
      }
      spec.onSaved();
    },
  });
  const cron = f.querySelector('input[name="schedule.cron"]');
  const tz = f.querySelector('input[name="schedule.time_zone"]');
  const interval = f.querySelector('input[name="schedule.interval"]');
  let timer;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => updatePreview(preview, cron.value.trim(), tz.value.trim(), interval.value.trim()), 300);
  };
  [cron, tz, interval].forEach((i) => i.addEventListener('input', refresh));
  updatePreview(preview, cron.value.trim(), tz.value.trim(), interval.value.trim());
  return f;
}

/** Leaves out options the user left unset, so they fall through to the organization and the defaults. */
function cleanParams(p, type) {
  if (type !== 'iperf3') return p;
  const co = p.client_options || {};
  for (const k of ['reverse', 'bidirectional']) {
    if (co[k] === false) delete co[k];
  }
  if (!p.host) p.host = [];
  p.client_options = co;
  return p;
}

async function updatePreview(list, cron, tz, interval) {
  if (interval) {
    clear(list, h('li', 'every ' + interval + ' from the last run'));
    return;
  }
  if (!cron) {
    clear(list, h('li.muted', 'no schedule'));
    return;
  }
  try {
    const answer = await api.get('checks/next-runs' + qs({ cron, tz: tz || 'UTC', count: 3 }));
    clear(list, (answer.next || []).map((t) => h('li', when(t) + ' (your time, ' + TIME_ZONE + ')')));
  } catch (e) {
    if (!e.unauthorized) clear(list, h('li.field-error', e.fieldErrors && e.fieldErrors.cron ? 'cron: ' + e.fieldErrors.cron : e.message));
  }
}
