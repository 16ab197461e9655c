/**
 * Attachment file names as the sender wrote them are untrusted: a camera (or anyone on the allow-list) can name a
 * part `../../etc/passwd`, hide its real extension behind a right-to-left override (`invoice\u202Egpj.exe` shows
 * as "invoiceexe.jpg"), or send 5,000 characters. The relay cleans every name where it produces one (index,
 * message view, download), so every host (desktop, web, CLI) and every later save dialog gets a plain, short,
 * single-segment name that is valid on Windows, macOS and Linux.
 */

/** Longest cleaned name, in characters and in UTF-8 bytes (file systems allow 255 bytes; leave room for " (2)"). */
export const MAX_NAME_CHARS = 120;
const MAX_NAME_BYTES = 240;
const MAX_EXT_CHARS = 16;

// C0/C1 controls and DEL; bidirectional embeddings, overrides, isolates and marks; zero-width characters and BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Reserved in Windows file names.
const WINDOWS_RESERVED_CHARS = /[<>:"|?*]/g;
const WINDOWS_RESERVED_NAMES = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/i;

function cutToBytes(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > maxBytes) break;
    out += ch;
    bytes += b;
  }
  return out;
}

function cut(s: string, maxChars: number, maxBytes: number): string {
  return cutToBytes(Array.from(s).slice(0, maxChars).join(''), maxBytes);
}

/**
 * A safe file name for an attachment name from a message: last path segment only, no control, bidi or
 * zero-width characters, no characters Windows forbids, no leading dots, not a reserved device name, at most
 * MAX_NAME_CHARS characters with its extension kept. Returns '' when nothing usable is left (callers fall back
 * to e.g. "attachment-1").
 */
export function cleanAttachmentName(name: string | undefined | null): string {
  if (!name) return '';
  let s = name.normalize('NFC').replace(INVISIBLE, '');
  s = s.split(/[/\\]/).filter((p) => p.trim() !== '').pop() ?? '';
  s = s.replace(WINDOWS_RESERVED_CHARS, '_').replace(/\s+/g, ' ');
  // Leading dots would hide the file (or be "..") and trailing dots and spaces are dropped by Windows.
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (!s) return '';
  if (WINDOWS_RESERVED_NAMES.test(s)) s = `_${s}`;
  if (Array.from(s).length > MAX_NAME_CHARS || Buffer.byteLength(s, 'utf8') > MAX_NAME_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && Array.from(s.slice(dot)).length <= MAX_EXT_CHARS ? s.slice(dot) : '';
    const stem = ext ? s.slice(0, dot) : s;
    s = cut(stem, MAX_NAME_CHARS - Array.from(ext).length, MAX_NAME_BYTES - Buffer.byteLength(ext, 'utf8')).replace(/[\s.]+$/, '') + ext;
  }
  return s;
}
