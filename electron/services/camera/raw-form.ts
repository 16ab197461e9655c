/**
 * The exact, raw undo (docs/camera.md §4; docs/architecture.md §3.21): a form is recorded exactly as read
 * (every control's name and raw value, ticks, and the chosen options with their texts); a restore writes back
 * exactly those raw values into the form as the camera shows it now, and checks by reading the raw values back.
 * Nothing here interprets a value: an option's text is kept only to say what differs in words a person knows.
 */
import type { RawControl, RawForm } from '../../../shared/domain/camera';
import type { FormControl, FormEdit, WebForm } from './web-form';

/** Controls that hold a setting a person can change (not buttons, not passwords, not disabled). */
function isRecorded(c: FormControl): boolean {
  return !!c.name && !c.disabled && c.kind !== 'submit' && c.kind !== 'other' && c.kind !== 'password';
}

const TOKEN_NAME = /tok|csrf|xsrf|nonce|sess|auth|sig/i;

/** True for a hidden value that looks like a session or form token (never written to disk). */
export function looksLikeToken(name: string, value: string): boolean {
  return TOKEN_NAME.test(name) || (value.length >= 16 && /^[A-Za-z0-9+/=_.-]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value));
}

/** Stable keys: boxes by name and value (their value is their identity), others by name and occurrence. */
function keysOf(controls: Array<{ name: string; kind: string; value: string }>): string[] {
  const seen = new Map<string, number>();
  return controls.map((c) => {
    if (c.kind === 'checkbox' || c.kind === 'radio') return `${c.name}\u0000${c.value}`;
    const n = seen.get(c.name) ?? 0;
    seen.set(c.name, n + 1);
    return `${c.name}#${n}`;
  });
}

/** Records a form exactly as read. */
export function snapshotForm(form: WebForm, page: RawForm['page'], path: string, item?: string): RawForm {
  const controls: RawControl[] = form.controls.filter(isRecorded).map((c) => {
    const base = { name: c.name, kind: c.kind, label: c.kind === 'checkbox' || c.kind === 'radio' ? [c.group, c.label].filter(Boolean).join(': ') : c.label };
    if (c.kind === 'hidden' && looksLikeToken(c.name, c.value)) return { ...base, value: '', redacted: true };
    if (c.kind === 'checkbox' || c.kind === 'radio') return { ...base, value: c.value, checked: c.checked };
    if (c.kind === 'select' || c.kind === 'select-multiple') {
      const selected = c.options.filter((o) => o.selected).map((o) => ({ value: o.value, text: o.text }));
      return { ...base, value: c.value, selected };
    }
    return { ...base, value: c.value };
  });
  return { page, ...(item !== undefined ? { item } : {}), path, controls };
}

function shown(c: RawControl | undefined, now?: FormControl, selectedNow?: string[]): string {
  if (now) {
    if (now.kind === 'checkbox' || now.kind === 'radio') return now.checked ? 'ticked' : 'not ticked';
    if (now.kind === 'select' || now.kind === 'select-multiple') {
      const sel = selectedNow ?? now.options.filter((o) => o.selected).map((o) => o.value);
      return sel.map((v) => `"${now.options.find((o) => o.value === v)?.text ?? v}" (value ${v})`).join(', ') || 'nothing chosen';
    }
    return `"${now.value}"`;
  }
  if (!c) return 'nothing';
  if (c.kind === 'checkbox' || c.kind === 'radio') return c.checked ? 'ticked' : 'not ticked';
  if (c.selected) return c.selected.map((s) => `"${s.text}" (value ${s.value})`).join(', ') || 'nothing chosen';
  return `"${c.value}"`;
}

/** Pairs each recorded control with the control of the same key on the form as it is now. */
function pair(form: WebForm, backup: RawForm): { now: Map<string, FormControl>; keys: string[]; nowKeys: string[]; current: FormControl[] } {
  const current = form.controls.filter(isRecorded);
  const nowKeys = keysOf(current);
  const now = new Map(nowKeys.map((k, i) => [k, current[i]]));
  return { now, keys: keysOf(backup.controls), nowKeys, current };
}

/** Names of the recorded checkbox/radio families (a box of such a name that was not there then was not ticked). */
function boxFamilies(backup: RawForm): Set<string> {
  return new Set(backup.controls.filter((c) => c.kind === 'checkbox' || c.kind === 'radio').map((c) => c.name));
}

/**
 * Writes the recorded raw values into an edit of the form as it is now. Returns the problems that stop an exact
 * restore (a field gone, an option no longer offered); the caller must not submit when there are any.
 */
export function applyBackup(form: WebForm, backup: RawForm, e: FormEdit): string[] {
  const problems: string[] = [];
  const { now, keys, nowKeys, current } = pair(form, backup);
  backup.controls.forEach((b, i) => {
    if (b.kind === 'hidden' || b.redacted) return;
    const c = now.get(keys[i]);
    if (!c) {
      if ((b.kind === 'checkbox' || b.kind === 'radio') && !b.checked) return;
      problems.push(`the field "${b.label}" (${b.name}${b.kind === 'checkbox' || b.kind === 'radio' ? ` = ${b.value}` : ''}) is no longer on the page`);
      return;
    }
    if (b.kind === 'checkbox' || b.kind === 'radio') {
      e.setChecked(c, !!b.checked);
    } else if (b.kind === 'select-multiple') {
      const values = (b.selected ?? []).map((s) => s.value);
      const missing = values.filter((v) => !c.options.some((o) => o.value === v));
      if (missing.length) problems.push(`"${b.label}" no longer offers ${missing.map((v) => `value ${v}`).join(', ')}`);
      else e.setSelected(c, values);
    } else if (b.kind === 'select') {
      if (!c.options.some((o) => o.value === b.value)) problems.push(`"${b.label}" no longer offers the option ${shown(b)}`);
      else e.setValue(c, b.value);
    } else {
      e.setValue(c, b.value);
    }
  });
  // A box that appeared since (a new source on a handler form) was not there, so it was not ticked.
  const families = boxFamilies(backup);
  const recorded = new Set(keys);
  current.forEach((c, i) => {
    if ((c.kind === 'checkbox' || c.kind === 'radio') && families.has(c.name) && !recorded.has(nowKeys[i]) && c.checked) e.setChecked(c, false);
  });
  return problems;
}

/** What differs between the form as it reads now and the backup, in words (empty when identical). */
export function compareWithBackup(form: WebForm, backup: RawForm): string[] {
  const out: string[] = [];
  const { now, keys, nowKeys, current } = pair(form, backup);
  backup.controls.forEach((b, i) => {
    if (b.kind === 'hidden' || b.redacted) return;
    const c = now.get(keys[i]);
    if (!c) {
      if ((b.kind === 'checkbox' || b.kind === 'radio') && !b.checked) return;
      out.push(`"${b.label}" (${b.name}) is no longer on the page; the backup has ${shown(b)}`);
      return;
    }
    let same: boolean;
    if (b.kind === 'checkbox' || b.kind === 'radio') same = c.checked === !!b.checked;
    else if (b.kind === 'select-multiple') {
      const want = (b.selected ?? []).map((s) => s.value).sort();
      const have = c.options.filter((o) => o.selected).map((o) => o.value).sort();
      same = want.length === have.length && want.every((v, j) => v === have[j]);
    } else same = c.value === b.value;
    if (!same) out.push(`"${b.label}" (${b.name}) reads ${shown(undefined, c)}; the backup has ${shown(b)}`);
  });
  const families = boxFamilies(backup);
  const recorded = new Set(keys);
  current.forEach((c, i) => {
    if ((c.kind === 'checkbox' || c.kind === 'radio') && families.has(c.name) && !recorded.has(nowKeys[i]) && c.checked) out.push(`"${c.group || c.label}: ${c.label}" (${c.name}) is ticked; it was not there in the backup`);
  });
  return out;
}
