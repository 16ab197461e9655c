/**
 * Dates, times, numbers and sizes in the UI language through Intl (never toLocaleString() without a locale: that
 * follows the browser, not the language the technician picked).
 */
import { i18n, uiLanguage } from '.';

/** A date and time ("29.11.2026, 10:42:07" in German). */
export function dateTime(d: Date | string | number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(d));
}

/** A time of day ("10:42:07"). */
export function timeOfDay(d: Date | string | number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { timeStyle: 'medium' }).format(new Date(d));
}

/** A number with the language's grouping and decimal marks. */
export function number(n: number, fractionDigits?: number): string {
  return new Intl.NumberFormat(uiLanguage(), fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);
}

/** Bytes in the unit a person reads ("1,5 MB" in German). */
export function bytes(n: number): string {
  if (n < 1024) return `${number(n)} B`;
  if (n < 1024 ** 2) return `${number(n / 1024, n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${number(n / 1024 ** 2, 1)} MB`;
  return `${number(n / 1024 ** 3, 2)} GB`;
}

/** How long ago, in words ("just now", "vor 5 Minuten"), with Intl.RelativeTimeFormat. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return i18n.t('common.justNow');
  const rtf = new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto', style: 'short' });
  if (s < 3600) return rtf.format(-Math.round(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.round(s / 3600), 'hour');
  return rtf.format(-Math.round(s / 86400), 'day');
}
