// Numbers for people.

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/**
 * Decimal units (1 MB = 1,000,000 bytes), as download sizes are usually given, by the same rules as the CLI's
 * ByteSize.Format: "950 B", "116 kB", "5.4 MB", "142 MB", "1.5 GB".
 */
export function formatSize(bytes) {
  let value = bytes;
  let unit = 0;
  // 999.5 and up would round to "1000", which reads better as the next unit's "1.0".
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) {
    return `${bytes} B`;
  }
  return value < 9.95 ? `${value.toFixed(1)} ${units[unit]}` : `${Math.round(value)} ${units[unit]}`;
}

export function formatSeconds(seconds) {
  if (seconds < 90) {
    return `${Math.max(1, Math.round(seconds))} s`;
  }
  return `${Math.round(seconds / 60)} min`;
}

/** What the person should do about a missing program. */
export function toolRemedy(name) {
  return `To fix this, install ${name} on this computer or bundle it next to the hearsay program, then restart Hearsay.`;
}
