/**
 * The camera list's pure rules: sort, filter and the CSV export (address, model, MAC, name, firmware, methods; never
 * a password: the list holds none). Kept apart from the table so component tests and the page share one truth.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Device } from '../../../../shared/domain/discovery';

/** Columns the list can be sorted by. */
export type SortKey = 'address' | 'model' | 'name' | 'mac' | 'firmware' | 'methods';
/** Sort direction. */
export type SortDir = 'asc' | 'desc';

/** What the table shows as a camera's address: host:port from its web URL, else its IP. */
export function addressOf(d: Device): string {
  return d.webUrl ? d.webUrl.replace(/^https?:\/\//, '').replace(/\/$/, '') : d.ip;
}

/** The URL a camera is commissioned at (its web URL, else http://IP). */
export function cameraUrlOf(d: Device): string {
  return (d.webUrl ?? `http://${d.ip}`).replace(/\/$/, '');
}

/** The name a technician knows a camera by: its name, else its model and address. */
export function displayName(d: Device): string {
  return d.name ?? `${d.model ?? 'Camera'} ${addressOf(d)}`;
}

/** Orders IPv4 addresses numerically (10.0.0.9 before 10.0.0.10), then by port; anything else as text. */
function addressKey(d: Device): string {
  const a = addressOf(d);
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?::(\d+))?/.exec(a);
  if (!m) return `~${a.toLowerCase()}`;
  return [m[1], m[2], m[3], m[4], m[5] ?? '80'].map((x) => x.padStart(5, '0')).join('.');
}

function keyOf(d: Device, k: SortKey): string {
  switch (k) {
    case 'address':
      return addressKey(d);
    case 'methods':
      return d.methods.join(',');
    default:
      return (d[k] ?? '').toLowerCase();
  }
}

/** A sorted copy (stable: equal keys keep their discovery order; empty values go last either way). */
export function sortDevices(list: readonly Device[], key: SortKey, dir: SortDir): Device[] {
  const sign = dir === 'asc' ? 1 : -1;
  return list
    .map((d, i) => ({ d, i, k: keyOf(d, key) }))
    .sort((a, b) => {
      if (a.k === '' && b.k !== '') return 1;
      if (b.k === '' && a.k !== '') return -1;
      const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((x) => x.d);
}

/**
 * The cameras matching a filter text: every word must appear in the address, model, name, MAC, firmware or the
 * methods that saw it (case-insensitive; "00:0b:ab 3.2" finds Pelco cameras on firmware 3.2x).
 */
export function filterDevices(list: readonly Device[], text: string): Device[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((d) => {
    const hay = [addressOf(d), d.ip, d.model, d.name, d.mac, d.firmware, ...d.methods].filter(Boolean).join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * Keeps a spreadsheet from running a cell as a formula: a camera's name comes from the network, and a cell
 * starting with = + - @ (or a tab or carriage return) would be evaluated (OWASP "CSV injection").
 */
function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** The CSV header of the export. */
export const CSV_COLUMNS = ['address', 'url', 'model', 'mac', 'name', 'firmware', 'methods'] as const;

/** The camera list as CSV (RFC 4180 quoting by csv-stringify): one camera a line, no password. */
export function devicesToCsv(list: readonly Device[]): string {
  const rows = list.map((d) => [addressOf(d), cameraUrlOf(d), d.model ?? '', d.mac ?? '', d.name ?? '', d.firmware ?? '', d.methods.join(' ')].map(safeCell));
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' });
}
