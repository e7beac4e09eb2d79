/** "850 ms", "12.4 s", "3 min 05 s": short and readable at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

// Made once: toLocaleTimeString builds a formatter per call, and was most of a step row's render time.
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** "10:15:00.120" in local time: when an event happened, to the millisecond. */
export function formatTime(timestamp: string): string {
  if (!timestamp) {
    return '';
  }
  const d = new Date(timestamp);
  return `${clock.format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** A one-line preview of JSON arguments or results: `path: "index.html", content: "<!doctype…"`. */
export function previewJson(value: unknown, max = 120): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')
    : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A size as people read it: 950 B, 12.3 KB, 1.0 MB (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
