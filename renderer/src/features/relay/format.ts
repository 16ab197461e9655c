/** Small display helpers of the relay screens. */

/** A time as the technician reads it: today's as "10:42:07", older ones with the date. */
export function shortTime(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}

/** How long ago, in words ("just now", "5 min ago", "3 h ago", "2 days ago"). */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} day${s < 1.5 * 86400 ? '' : 's'} ago`;
}

/** Bytes in the unit a person reads. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Minutes east of UTC of this browser's clock (for whole-day search dates). */
export function tzOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}
