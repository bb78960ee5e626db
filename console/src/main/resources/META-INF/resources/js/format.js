// Numbers with units and times in the browser's time zone.

export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/**
 * Adaptive SI prefix, the rule of metrics-service's AdaptivePrefix: below 1000 an integer without prefix;
 * above, the largest prefix keeping the value >= 1, 3 significant digits; zeros kept for bps, dropped for B.
 */
export function adaptive(value, unit) {
  if (value === null || value === undefined || !isFinite(value)) {
    return '–';
  }
  const sign = value < 0 ? '-' : '';
  let abs = Math.abs(value);
  if (Math.round(abs) < 1000) {
    return sign + Math.round(abs) + ' ' + unit;
  }
  let exp = 0;
  while (exp < PREFIXES.length - 1 && abs >= 1000) {
    abs /= 1000;
    exp++;
  }
  let rounded = Number(abs.toPrecision(3));
  if (rounded >= 1000 && exp < PREFIXES.length - 1) {
    rounded = Number((rounded / 1000).toPrecision(3));
    exp++;
  }
  return sign + (unit === 'bps' ? rounded.toPrecision(3) : String(rounded)) + ' ' + PREFIXES[exp] + unit;
}

/** A value in a chart or field unit: bps and B adaptive, count plain, others with 2 decimals at most. */
export function withUnit(value, unit, adaptivePrefix = unit === 'bps' || unit === 'B') {
  if (value === null || value === undefined || value === '' || !isFinite(value)) {
    return '–';
  }
  if (adaptivePrefix) {
    return adaptive(Number(value), unit);
  }
  const n = Math.round(Number(value) * 100) / 100;
  return unit === 'count' || !unit ? String(n) : n + ' ' + unit;
}

/** Units of the result fields (DESIGN.md), for alert settings and the fleet columns. */
export const FIELD_UNITS = {
  sent_bps_tcp: 'bps', received_bps_tcp: 'bps', sent_bps_udp: 'bps',
  sent_bytes_tcp: 'B', received_bytes_tcp: 'B', sent_bytes_udp: 'B',
  retransmits: 'count', jitter: 'ms', lost_packets: 'count', total_packets: 'count', lost_percent: '%',
  iperf3_result: '', reachable: '', loss: '%', rtt_min: 'ms', rtt_avg: 'ms', rtt_max: 'ms',
};

export const FIELD_LABELS = {
  sent_bps_tcp: 'TCP sent bandwidth', received_bps_tcp: 'TCP received bandwidth', sent_bps_udp: 'UDP sent bandwidth',
  sent_bytes_tcp: 'TCP sent bytes', received_bytes_tcp: 'TCP received bytes', sent_bytes_udp: 'UDP sent bytes',
  retransmits: 'Retransmits', jitter: 'UDP jitter', lost_packets: 'Lost datagrams', total_packets: 'Total datagrams',
  lost_percent: 'UDP datagram loss', iperf3_result: 'iperf3 result (1 = ok)', reachable: 'Reachable (1 = yes)',
  loss: 'Ping loss', rtt_min: 'RTT min', rtt_avg: 'RTT avg', rtt_max: 'RTT max',
};

export function fieldLabel(field) {
  return FIELD_LABELS[field] || field;
}

export function fieldValue(field, value) {
  return withUnit(value, FIELD_UNITS[field] ?? '');
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function when(iso, seconds = false) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : (seconds ? timeWithSeconds : dateTime).format(d);
}

export function ago(iso) {
  if (!iso) {
    return '';
  }
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  let text;
  if (a < 60) text = a + ' s';
  else if (a < 3600) text = Math.round(a / 60) + ' min';
  else if (a < 172800) text = Math.round(a / 3600) + ' h';
  else text = Math.round(a / 86400) + ' d';
  return future ? 'in ' + text : text + ' ago';
}

export function duration(ms) {
  if (ms === null || ms === undefined) {
    return '–';
  }
  if (ms < 1000) return ms + ' ms';
  if (ms < 120000) return (Math.round(ms / 100) / 10) + ' s';
  return Math.round(ms / 60000) + ' min';
}

/** ISO-8601 duration (PT48H, P2D, PT30M, PT15S) as text, e.g. "2 d", "30 min". */
export function isoDuration(text) {
  if (!text) return '–';
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text);
  if (!m) return text;
  const parts = [];
  if (m[1]) parts.push(m[1] + ' d');
  if (m[2]) parts.push(m[2] + ' h');
  if (m[3]) parts.push(m[3] + ' min');
  if (m[4] && Number(m[4])) parts.push(Number(m[4]) + ' s');
  return parts.length ? parts.join(' ') : '0 s';
}
