// Numbers for people.

/** Decimal megabytes, as download sizes are usually given: "5.4 MB", "142 MB", "1.2 GB". */
export function formatSize(bytes) {
  const megabytes = bytes / 1e6;
  if (megabytes >= 1000) {
    return `${(megabytes / 1000).toFixed(1)} GB`;
  }
  return megabytes < 10 ? `${megabytes.toFixed(1)} MB` : `${Math.round(megabytes)} MB`;
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
