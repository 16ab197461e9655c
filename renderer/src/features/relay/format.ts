/** Small display helpers of the relay screens (in the UI language, through Intl: renderer/src/i18n/format.ts). */
import { dateTime, timeOfDay } from '../../i18n/format';

export { ago, bytes } from '../../i18n/format';

/** A time as the technician reads it: today's as "10:42:07", older ones with the date. */
export function shortTime(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? timeOfDay(d) : dateTime(d);
}

/** Minutes east of UTC of this browser's clock (for whole-day search dates). */
export function tzOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}
