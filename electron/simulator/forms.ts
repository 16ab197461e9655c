/**
 * The simulator's HTML forms: field specs with visible labels, opaque per-variant field names, rendering with
 * `<label for>` + input pairs, and parsing a posted form back into values. Names are hashes so a driver cannot
 * guess them from labels (docs/camera.md §7); the 'alt' variant uses other names, order, label spacing and extra fields.
 */

/** Which HTML variant a camera serves. */
export type FormVariant = 'standard' | 'alt';

/** The kind of input a field renders as. */
export type FieldKind = 'text' | 'email' | 'number' | 'password' | 'textarea' | 'checkbox' | 'select' | 'checkgroup' | 'hidden';

/** One option of a select or checkbox group. */
export interface FieldOption {
  value: string;
  label: string;
}

/** One field of a form. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  options?: FieldOption[];
  /** Encode option values per variant (static option lists); dynamic lists (source names) stay plain. */
  opaqueOptions?: boolean;
  /** Only present in the alt variant (unrelated extra fields). */
  altOnly?: boolean;
  /** Number input step. */
  step?: string;
}

/** Value of a field: text, checkbox state, or the chosen option values of a group. */
export type FieldValue = string | boolean | string[];

/** Values by field key. */
export type FormValues = Record<string, FieldValue>;

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The opaque name of a field in a variant (stable across runs, so captures and logs stay comparable). */
export function fieldName(variant: FormVariant, formId: string, key: string): string {
  const h = fnv(`${variant}|${formId}|${key}`);
  return variant === 'standard' ? `f_${h.slice(0, 4)}` : `cfg${h.slice(-5)}x`;
}

/** The opaque value of a static option in a variant. */
export function optionValue(variant: FormVariant, field: FieldSpec, index: number): string {
  if (!field.opaqueOptions) return field.options?.[index]?.value ?? '';
  return variant === 'standard' ? String(index + 1) : `o${fnv(field.key + index).slice(0, 3)}`;
}

/** The hidden form-token field's name (differs per variant, like every other name). */
export function tokenName(variant: FormVariant): string {
  return variant === 'standard' ? 'f_tk' : '__vtok_x';
}

/** A form definition. */
export interface FormSpec {
  id: string;
  fields: FieldSpec[];
}

/** Fields in the order a variant renders them (alt reverses the visible fields). */
export function orderedFields(variant: FormVariant, form: FormSpec): FieldSpec[] {
  const fs = form.fields.filter((f) => variant === 'alt' || !f.altOnly);
  return variant === 'alt' ? [...fs].reverse() : fs;
}

function labelText(variant: FormVariant, label: string): string {
  // The alt variant spaces and cases labels differently: docs/camera.md §4 says drivers match case- and whitespace-insensitively.
  return variant === 'alt' ? `\n      ${label.toUpperCase().replace(/ /g, '  ')}\n    ` : label;
}

/** Renders the inputs of a form (without the <form> element) for the given values. */
export function renderFields(variant: FormVariant, form: FormSpec, values: FormValues): string {
  const out: string[] = [];
  for (const f of orderedFields(variant, form)) {
    const name = fieldName(variant, form.id, f.key);
    const id = `i${fnv(name)}`;
    const v = values[f.key];
    const lbl = esc(labelText(variant, f.label));
    switch (f.kind) {
      case 'hidden':
        out.push(`<input type="hidden" name="${name}" value="${esc(String(v ?? ''))}">`);
        break;
      case 'checkbox':
        out.push(`<div class="row"><input type="checkbox" id="${id}" name="${name}" value="${variant === 'standard' ? '1' : 'on'}"${v === true ? ' checked' : ''}><label for="${id}">${lbl}</label></div>`);
        break;
      case 'textarea':
        out.push(`<div class="row"><label for="${id}">${lbl}</label><textarea id="${id}" name="${name}" rows="4">${esc(String(v ?? ''))}</textarea></div>`);
        break;
      case 'select': {
        const opts = (f.options ?? []).map((o, i) => `<option value="${esc(optionValue(variant, f, i))}"${o.value === v ? ' selected' : ''}>${esc(o.label)}</option>`).join('');
        out.push(`<div class="row"><label for="${id}">${lbl}</label><select id="${id}" name="${name}">${opts}</select></div>`);
        break;
      }
      case 'checkgroup': {
        const chosen = Array.isArray(v) ? v : [];
        const boxes = (f.options ?? []).map((o, i) => {
          const cid = `${id}_${i}`;
          return `<div class="check"><input type="checkbox" id="${cid}" name="${name}" value="${esc(optionValue(variant, f, i))}"${chosen.includes(o.value) ? ' checked' : ''}><label for="${cid}">${esc(o.label)}</label></div>`;
        });
        out.push(`<fieldset><legend>${lbl}</legend>${boxes.join('') || '<p class="empty">None available.</p>'}</fieldset>`);
        break;
      }
      default: {
        const type = f.kind === 'number' ? `number"${f.step ? ` step="${f.step}"` : ''}` : `${f.kind}"`;
        out.push(`<div class="row"><label for="${id}">${lbl}</label><input type="${type} id="${id}" name="${name}" value="${esc(String(v ?? ''))}"></div>`);
      }
    }
  }
  return out.join('\n');
}

/** A posted form, as repeated key/value pairs. */
export type PostedForm = URLSearchParams;

/** Reads the posted values of a form: absent fields are absent (the caller applies factory defaults). Unknown option values → error. */
export function parseFields(variant: FormVariant, form: FormSpec, posted: PostedForm): { values: FormValues; error?: string } {
  const values: FormValues = {};
  for (const f of orderedFields(variant, form)) {
    const name = fieldName(variant, form.id, f.key);
    if (f.kind === 'checkbox') {
      values[f.key] = posted.has(name) && posted.get(name) !== '' && posted.get(name) !== '0';
      continue;
    }
    if (f.kind === 'checkgroup') {
      const raw = posted.getAll(name);
      const chosen: string[] = [];
      for (const r of raw) {
        const i = (f.options ?? []).findIndex((_o, idx) => optionValue(variant, f, idx) === r);
        if (i < 0) {
          if (f.opaqueOptions) return { values, error: `${f.label}: unknown choice "${r}". Reload the page and try again.` };
          chosen.push(r); // a dynamic list (source names): the rules report names that do not exist
        } else chosen.push((f.options ?? [])[i].value);
      }
      values[f.key] = chosen;
      continue;
    }
    if (!posted.has(name)) continue;
    const raw = posted.get(name) ?? '';
    if (f.kind === 'select') {
      const i = (f.options ?? []).findIndex((_o, idx) => optionValue(variant, f, idx) === raw);
      if (i < 0) return { values, error: `${f.label}: unknown choice "${raw}". Reload the page and try again.` };
      values[f.key] = (f.options ?? [])[i].value;
      continue;
    }
    values[f.key] = f.kind === 'textarea' ? raw.replace(/\r\n/g, '\n') : raw.trim();
  }
  return { values };
}

/** Text value, or the default when absent. */
export function str(values: FormValues, key: string, dflt: string): string {
  const v = values[key];
  return typeof v === 'string' ? v : dflt;
}

/** Boolean value (absent checkbox = false, as browsers post). */
export function bool(values: FormValues, key: string): boolean {
  return values[key] === true;
}

/** List value, or empty. */
export function list(values: FormValues, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v : [];
}

/** Number value: the default when absent, NaN when not a number (the rule then reports it). */
export function num(values: FormValues, key: string, dflt: number): number {
  const v = values[key];
  if (typeof v !== 'string') return dflt;
  if (!/^-?\d+(\.\d+)?$/.test(v)) return NaN;
  return Number(v);
}
