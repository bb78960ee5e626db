// Adaptive SI prefix, the same rule as io.bandwatch.metrics.format.AdaptivePrefix:
// below 1000 an integer without prefix (999 bps); above, the largest prefix keeping the value >= 1,
// 3 significant digits, half-up; zeros kept for bps (1.00 Kbps, 9.87 Mbps), dropped for bytes (1.2 GB).
const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

export function adaptive(value, unit, keepZeros) {
  if (value === null || value === undefined || !isFinite(value)) {
    return '-';
  }
  const sign = value < 0 ? '-' : '';
  let abs = Math.abs(value);
  if (Math.round(abs) < 1000) {
    return sign + Math.round(abs) + ' ' + unit;
  }
  let exponent = 0;
  while (exponent < PREFIXES.length - 1 && abs >= 1000) {
    abs /= 1000;
    exponent++;
  }
  let rounded = Number(abs.toPrecision(3));
  if (rounded >= 1000 && exponent < PREFIXES.length - 1) {
    rounded = Number((rounded / 1000).toPrecision(3));
    exponent++;
  }
  const digits = keepZeros ? rounded.toPrecision(3) : String(rounded);
  return sign + digits + ' ' + PREFIXES[exponent] + unit;
}

export function formatValue(value, unit, adaptivePrefix) {
  if (value === null || value === undefined) {
    return '-';
  }
  if (adaptivePrefix) {
    return adaptive(value, unit, unit === 'bps');
  }
  if (unit === 'count') {
    return (Math.round(value * 100) / 100).toString();
  }
  return (Math.round(value * 100) / 100).toString() + ' ' + unit;
}
