/**
 * Reads an HTML form the way a browser sees it and writes it back the way a browser submits it (docs/camera.md §4):
 * fields are found by their visible label text, never by name; the submission carries every successful control
 * of the form (hidden tokens included) in document order, with only the intended values changed; unchecked
 * checkboxes are omitted, as browsers do (HTML Living Standard, "constructing the entry list").
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';

/** Kind of a form control. */
export type ControlKind = 'text' | 'hidden' | 'password' | 'checkbox' | 'radio' | 'select' | 'select-multiple' | 'textarea' | 'submit' | 'other';

/** One option of a select. */
export interface ControlOption {
  value: string;
  text: string;
  selected: boolean;
}

/** One control of a form, with what a person would read next to it. */
export interface FormControl {
  /** Index in document order (stable key for edits). */
  index: number;
  name: string;
  kind: ControlKind;
  /** Current value: text content, or a checkbox/radio's value attribute. */
  value: string;
  checked: boolean;
  disabled: boolean;
  options: ControlOption[];
  /** Normalised visible label (label[for], wrapping label, or aria-label); '' when none. */
  label: string;
  /** Normalised legend of the closest enclosing fieldset; '' when none. */
  group: string;
}

/**
 * Loads HTML with htmlparser2 (cheerio's fast parser) instead of parse5: camera pages are small and regular, and
 * parsing every page with the full browser algorithm was the largest CPU cost of a commissioning batch.
 */
export function loadHtml(html: string): cheerio.CheerioAPI {
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

/** Collapses whitespace and trims, so labels compare case- and whitespace-insensitively with `i` regexes. */
export function normalizeText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A parsed form: where it posts, and its controls. */
export class WebForm {
  private constructor(
    /** Absolute URL the form submits to. */
    readonly action: string,
    /** HTTP method (upper case). */
    readonly method: string,
    /** Every control in document order. */
    readonly controls: FormControl[],
    /** The <form> element it was read from (to find the form inside a list row). */
    readonly element?: Element,
  ) {}

  /**
   * Parses the form of a page. `pick` chooses among several forms: a predicate over each parsed form (the first
   * match wins), default the first form that has any non-hidden control.
   */
  static parse(html: string | cheerio.CheerioAPI, pageUrl: string, pick?: (f: WebForm) => boolean): WebForm | undefined {
    return WebForm.parseAll(html, pageUrl).find(pick ?? ((f) => f.controls.some((c) => c.kind !== 'hidden' && c.kind !== 'submit')));
  }

  /** Parses every form of a page (HTML text, or a document already loaded with cheerio). */
  static parseAll(html: string | cheerio.CheerioAPI, pageUrl: string): WebForm[] {
    const $ = typeof html === 'string' ? loadHtml(html) : html;
    const labelsFor = new Map<string, string>();
    $('label[for]').each((_i, el) => {
      const id = $(el).attr('for') ?? '';
      if (id && !labelsFor.has(id)) labelsFor.set(id, normalizeText($(el).text()));
    });
    const forms: WebForm[] = [];
    $('form').each((_i, formEl) => {
      const f = $(formEl);
      const action = new URL(f.attr('action') ?? '', pageUrl).toString();
      const method = (f.attr('method') ?? 'GET').toUpperCase();
      const controls: FormControl[] = [];
      f.find('input, select, textarea, button').each((index, el) => {
        controls.push(readControl($, el as Element, index, labelsFor));
      });
      forms.push(new WebForm(action, method, controls, formEl as Element));
    });
    return forms;
  }

  /** Controls whose label matches (case/whitespace-insensitive regex recommended). */
  findAll(label: RegExp, opts: { group?: RegExp; kinds?: ControlKind[] } = {}): FormControl[] {
    return this.controls.filter(
      (c) => c.kind !== 'hidden' && c.kind !== 'submit' && label.test(c.label) && (!opts.group || opts.group.test(c.group)) && (!opts.kinds || opts.kinds.includes(c.kind)),
    );
  }

  /** The one control whose label matches, or undefined. */
  find(label: RegExp, opts: { group?: RegExp; kinds?: ControlKind[] } = {}): FormControl | undefined {
    return this.findAll(label, opts)[0];
  }

  /** Checkboxes of a fieldset whose legend matches, each with its own label (e.g. the sources of a handler). */
  group(legend: RegExp): FormControl[] {
    return this.controls.filter((c) => (c.kind === 'checkbox' || c.kind === 'radio') && legend.test(c.group));
  }

  /** A submit button whose label/value matches. */
  submitButton(label: RegExp): FormControl | undefined {
    return this.controls.find((c) => c.kind === 'submit' && (label.test(c.label) || label.test(c.value)));
  }

  /** A writer that starts from the form's current values. */
  edit(): FormEdit {
    return new FormEdit(this);
  }
}

/** The nearest ancestor element with this tag name (plain parent walk: cheerio's closest() was a hot spot). */
function closestTag(el: Element, tag: string): Element | undefined {
  for (let p = el.parent; p; p = p.parent) {
    if (p.type === 'tag' && (p as Element).name === tag) return p as Element;
  }
  return undefined;
}

/** The first child element with this tag name. */
function childTag(el: Element, tag: string): Element | undefined {
  return el.children.find((c): c is Element => c.type === 'tag' && (c as Element).name === tag);
}

function readControl($: cheerio.CheerioAPI, el: Element, index: number, labelsFor: Map<string, string>): FormControl {
  const at = el.attribs;
  const has = (n: string) => at[n] !== undefined;
  const text = (n: Element) => $(n).text();
  const tag = el.name.toLowerCase();
  const type = (at.type ?? (tag === 'button' ? 'submit' : 'text')).toLowerCase();
  let kind: ControlKind;
  if (tag === 'select') kind = has('multiple') ? 'select-multiple' : 'select';
  else if (tag === 'textarea') kind = 'textarea';
  else if (tag === 'button') kind = type === 'submit' ? 'submit' : 'other';
  else if (['text', 'email', 'number', 'tel', 'url', 'search', 'date', 'time'].includes(type)) kind = 'text';
  else if (type === 'hidden' || type === 'password' || type === 'checkbox' || type === 'radio' || type === 'submit') kind = type;
  else kind = 'other';
  const options: ControlOption[] = [];
  if (tag === 'select') {
    $(el)
      .find('option')
      .each((_i, o) => {
        const t = normalizeText(text(o));
        options.push({ value: o.attribs.value ?? t, text: t, selected: o.attribs.selected !== undefined });
      });
  }
  let label = at.id ? (labelsFor.get(at.id) ?? '') : '';
  if (!label) {
    const wrapping = closestTag(el, 'label');
    if (wrapping) label = normalizeText(text(wrapping));
  }
  if (!label) label = normalizeText(at['aria-label'] ?? '');
  if (!label && kind === 'submit') label = normalizeText(tag === 'button' ? text(el) : (at.value ?? ''));
  const fieldset = closestTag(el, 'fieldset');
  const legend = fieldset ? childTag(fieldset, 'legend') : undefined;
  const group = legend ? normalizeText(text(legend)) : '';
  let value: string;
  if (tag === 'textarea') value = text(el).replace(/^\r?\n/, '');
  else if (tag === 'select') value = (options.find((o) => o.selected) ?? options[0])?.value ?? '';
  else if (kind === 'checkbox' || kind === 'radio') value = at.value ?? 'on';
  else value = at.value ?? '';
  return {
    index,
    name: at.name ?? '',
    kind,
    value,
    checked: has('checked'),
    disabled: has('disabled') || (fieldset !== undefined && fieldset.attribs.disabled !== undefined),
    options,
    label,
    group,
  };
}

/** Thrown when an edit names a value the form cannot take (e.g. an option that is not in the list). */
export class FormEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormEditError';
  }
}

/** Pending changes to a form; everything not changed is submitted as it was read. */
export class FormEdit {
  private readonly values = new Map<number, string>();
  private readonly checks = new Map<number, boolean>();
  private readonly multi = new Map<number, string[]>();
  private readonly changed = new Set<number>();

  constructor(readonly form: WebForm) {}

  /** Sets a text-like control (input, textarea) or a select by option value. */
  setValue(c: FormControl, value: string): this {
    if (c.kind === 'checkbox' || c.kind === 'radio') throw new FormEditError(`"${c.label}" is a checkbox; use setChecked.`);
    if (c.kind === 'select' && !c.options.some((o) => o.value === value)) throw new FormEditError(`"${c.label}" has no option with value "${value}".`);
    this.values.set(c.index, value);
    this.changed.add(c.index);
    return this;
  }

  /** Chooses a select option by its visible text (regex, or exact text case-insensitively). */
  selectByText(c: FormControl, text: RegExp | string): this {
    const re = typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i') : text;
    const opt = c.options.find((o) => re.test(o.text));
    if (!opt) throw new FormEditError(`"${c.label}" has no choice like ${String(text)} (choices: ${c.options.map((o) => o.text).join(', ')}).`);
    return this.setValue(c, opt.value);
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

  /** Selects options of a multiple select by visible text. */
  selectManyByText(c: FormControl, texts: readonly string[]): this {
    const want = texts.map((t) => t.toLowerCase());
    const missing = want.filter((t) => !c.options.some((o) => o.text.toLowerCase() === t));
    if (missing.length) throw new FormEditError(`"${c.label}" has no choice ${missing.join(', ')}.`);
    this.multi.set(
      c.index,
      c.options.filter((o) => want.includes(o.text.toLowerCase())).map((o) => o.value),
    );
    this.changed.add(c.index);
    return this;
  }

  /** The value a control will be submitted with (after edits). */
  valueOf(c: FormControl): string {
    return this.values.get(c.index) ?? c.value;
  }

  /** Whether a checkbox/radio will be submitted as checked (after edits). */
  isChecked(c: FormControl): boolean {
    return this.checks.get(c.index) ?? c.checked;
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
        case 'select-multiple': {
          const chosen = this.multi.get(c.index) ?? c.options.filter((o) => o.selected).map((o) => o.value);
          for (const v of chosen) out.push([c.name, v]);
          break;
        }
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
