/**
 * Writing a form back the way a browser submits it (docs/camera.md §4): pending changes over the values as read,
 * set by what a person sees (an option's text, a radio's label) or by raw value (the exact undo), and the entry
 * list a browser would post: every successful control in document order, unchecked boxes left out.
 */
import type { FormControl, FormField, WebForm } from './web-form';

/** Collapses whitespace and trims, so labels compare case- and whitespace-insensitively with `i` regexes. */
export function normalizeText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** True when two visible values are the same: case-insensitively, or as numbers ("07" equals "7"). */
export function sameVisible(a: string, b: string): boolean {
  const x = normalizeText(a);
  const y = normalizeText(b);
  if (x.toLowerCase() === y.toLowerCase()) return true;
  const nx = Number(x);
  const ny = Number(y);
  return x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) && nx === ny;
}

/** Thrown when an edit names a value the form cannot take (e.g. an option that is not in the list). */
export class FormEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormEditError';
  }
}

/** The value a person sees in a field: the text, the chosen option's text, the chosen radio's label. */
export function visibleValue(f: FormField, edit?: FormEdit): string {
  const c = f.controls[0];
  if (f.kind === 'select') {
    const v = edit ? edit.valueOf(c) : c.value;
    return c.options.find((o) => o.value === v)?.text ?? '';
  }
  if (f.kind === 'radio') return f.controls.find((r) => (edit ? edit.isChecked(r) : r.checked))?.label ?? '';
  if (f.kind === 'checkbox') return (edit ? edit.isChecked(c) : c.checked) ? 'on' : '';
  return edit ? edit.valueOf(c) : c.value;
}

/** The choices ticked in a group (own labels), or selected in a multiple select (option texts). */
export function chosenOf(f: FormField): string[] {
  if (f.kind === 'select-multiple') return f.controls[0].options.filter((o) => o.selected).map((o) => o.text);
  return f.controls.filter((c) => c.checked).map((c) => c.label);
}

/** Pending changes to a form; everything not changed is submitted as it was read. */
export class FormEdit {
  private readonly values = new Map<number, string>();
  private readonly checks = new Map<number, boolean>();
  private readonly multi = new Map<number, string[]>();
  private readonly changed = new Set<number>();

  constructor(readonly form: WebForm) {}

  /** Sets a text-like control (input, textarea) or a select by its raw option value. */
  setValue(c: FormControl, value: string): this {
    if (c.kind === 'checkbox' || c.kind === 'radio') throw new FormEditError(`"${c.label}" is a checkbox; use setChecked.`);
    if (c.kind === 'select' && !c.options.some((o) => o.value === value)) throw new FormEditError(`"${c.label}" has no option with value "${value}".`);
    this.values.set(c.index, value);
    this.changed.add(c.index);
    return this;
  }

  /** Chooses a select option by its visible text (regex, or the text itself: case-insensitive, or equal as a number). */
  selectByText(c: FormControl, text: RegExp | string): this {
    const opt = c.options.find((o) => (typeof text === 'string' ? sameVisible(o.text, text) : text.test(o.text)));
    if (!opt) throw new FormEditError(`"${c.label}" has no choice like ${String(text)} (choices: ${c.options.map((o) => o.text).join(', ')}).`);
    return this.setValue(c, opt.value);
  }

  /** Sets a field to what a person would type or pick: text, option text, or a radio's label. */
  setVisible(f: FormField, text: string): this {
    const c = f.controls[0];
    if (f.kind === 'select') return this.selectByText(c, text);
    if (f.kind === 'radio') {
      const r = f.controls.find((x) => sameVisible(x.label, text));
      if (!r) throw new FormEditError(`"${f.label}" has no choice "${text}" (choices: ${f.controls.map((x) => x.label).join(', ')}).`);
      return this.setChecked(r, true);
    }
    if (f.kind !== 'text') throw new FormEditError(`"${f.label}" is not a text field.`);
    return this.setValue(c, text);
  }

  /** Ticks exactly the named choices of a group or multiple select (names compared case-insensitively). */
  setChoices(f: FormField, names: readonly string[]): this {
    const want = (t: string) => names.some((n) => sameVisible(n, t));
    const offered = f.kind === 'select-multiple' ? f.controls[0].options.map((o) => o.text) : f.controls.map((c) => c.label);
    const missing = names.filter((n) => !offered.some((o) => sameVisible(o, n)));
    if (missing.length) throw new FormEditError(`"${f.label}" has no choice ${missing.map((m) => `"${m}"`).join(', ')} (it offers ${offered.join(', ') || 'nothing'}).`);
    if (f.kind === 'select-multiple') return this.setSelected(f.controls[0], f.controls[0].options.filter((o) => want(o.text)).map((o) => o.value));
    for (const c of f.controls) this.setChecked(c, want(c.label));
    return this;
  }

  /** Ticks or clears a checkbox (or selects a radio). */
  setChecked(c: FormControl, checked: boolean): this {
    if (c.kind !== 'checkbox' && c.kind !== 'radio') throw new FormEditError(`"${c.label}" is not a checkbox.`);
    if (c.kind === 'radio' && checked) {
      for (const o of this.form.controls) if (o.kind === 'radio' && o.name === c.name && o.index !== c.index) this.checks.set(o.index, false);
    }
    this.checks.set(c.index, checked);
    this.changed.add(c.index);
    return this;
  }

  /** Selects options of a multiple select by raw value. */
  setSelected(c: FormControl, values: readonly string[]): this {
    const missing = values.filter((v) => !c.options.some((o) => o.value === v));
    if (missing.length) throw new FormEditError(`"${c.label}" has no option with value ${missing.join(', ')}.`);
    this.multi.set(c.index, [...values]);
    this.changed.add(c.index);
    return this;
  }

  /** Selects options of a multiple select by visible text. */
  selectManyByText(c: FormControl, texts: readonly string[]): this {
    return this.setChoices({ kind: 'select-multiple', label: c.label, controls: [c] }, texts);
  }

  /** The value a control will be submitted with (after edits). */
  valueOf(c: FormControl): string {
    return this.values.get(c.index) ?? c.value;
  }

  /** Whether a checkbox/radio will be submitted as checked (after edits). */
  isChecked(c: FormControl): boolean {
    return this.checks.get(c.index) ?? c.checked;
  }

  /** The options of a multiple select that will be submitted (after edits). */
  selectedOf(c: FormControl): string[] {
    return this.multi.get(c.index) ?? c.options.filter((o) => o.selected).map((o) => o.value);
  }

  /** True when any edit differs from what was read. */
  hasChanges(): boolean {
    for (const i of this.changed) {
      const c = this.form.controls[i];
      if (this.values.has(i) && this.values.get(i) !== c.value) return true;
      if (this.checks.has(i) && this.checks.get(i) !== c.checked) return true;
      if (this.multi.has(i)) {
        const before = c.options.filter((o) => o.selected).map((o) => o.value);
        const after = this.multi.get(i)!;
        if (before.length !== after.length || before.some((v) => !after.includes(v))) return true;
      }
    }
    return false;
  }

  /**
   * The entry list a browser would submit: every named, enabled control in document order; unchecked boxes
   * and radios omitted; only the clicked submit button (if named) included.
   */
  entries(submitter?: FormControl): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const c of this.form.controls) {
      if (!c.name || c.disabled) continue;
      switch (c.kind) {
        case 'submit':
          if (submitter && submitter.index === c.index) out.push([c.name, c.value]);
          break;
        case 'checkbox':
        case 'radio':
          if (this.isChecked(c)) out.push([c.name, c.value]);
          break;
        case 'select-multiple':
          for (const v of this.selectedOf(c)) out.push([c.name, v]);
          break;
        case 'other':
          break;
        default:
          out.push([c.name, this.valueOf(c)]);
      }
    }
    return out;
  }

  /** The submission as an application/x-www-form-urlencoded body. */
  body(submitter?: FormControl): string {
    return new URLSearchParams(this.entries(submitter)).toString();
  }
}
