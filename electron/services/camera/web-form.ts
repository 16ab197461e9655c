/**
 * Reads an HTML form the way a person sees it and writes it back the way a browser submits it (docs/camera.md
 * §4): fields are found by the text a person reads next to them (labels.ts), never by name; values are what the
 * person sees (an option's text, a radio's label); the submission carries every successful control of the form
 * (hidden tokens, and controls outside the form that name it with `form=`) in document order, with only the
 * intended values changed; unchecked checkboxes are omitted, as browsers do (HTML Living Standard,
 * "constructing the entry list").
 */
import type * as cheerio from 'cheerio';
import { lazyModule } from '../common/lazy-module';
import type { Element } from 'domhandler';
import { FormEdit, FormEditError, chosenOf, normalizeText, sameVisible, visibleValue } from './form-edit';
import { groupLabel, labelCandidates, labelContext, normalizeLabel, rowHeadOf, visibleText, type LabelCandidate } from './labels';

export { FormEdit, FormEditError, chosenOf, normalizeText, sameVisible, visibleValue };

/** cheerio (with its undici and parse5) is loaded when a camera page is first read: see common/lazy-module.ts. */
const cheerioLib = lazyModule<typeof cheerio>('cheerio');

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
  /** Current raw value: text content, the chosen option's value, or a checkbox/radio's value attribute. */
  value: string;
  checked: boolean;
  disabled: boolean;
  options: ControlOption[];
  /** The nearest label text ('' when none). */
  label: string;
  /** Every label text found, nearest first. */
  labels: LabelCandidate[];
  /** Label of the group a checkbox/radio belongs to (fieldset legend, row header, ...); '' when none. */
  group: string;
  /** In a grid (a table row per item), the text of the row's first cell, which names the item; '' otherwise. */
  rowHead: string;
}

/** A field as a person sees it: one control, a radio group, or a group of checkboxes. */
export interface FormField {
  kind: 'text' | 'select' | 'select-multiple' | 'checkbox' | 'radio' | 'group';
  /** The label text that matched. */
  label: string;
  controls: FormControl[];
}

/** A lookup that found no control or several: says what it looked for and what it saw. */
export class FormLookupError extends Error {
  constructor(
    message: string,
    readonly sought: string,
    readonly candidates: string[],
  ) {
    super(message);
    this.name = 'FormLookupError';
  }
}

/**
 * Loads HTML with htmlparser2 (cheerio's fast parser) instead of parse5: camera pages are small and regular, and
 * parsing every page with the full browser algorithm was the largest CPU cost of a commissioning batch.
 */
export function loadHtml(html: string): cheerio.CheerioAPI {
  return cheerioLib().load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

type Lookup = { kinds?: ControlKind[] };

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
    /** Indexes of the controls lookups see (one row of a grid); undefined = all. Edits always post every control. */
    private readonly scope?: ReadonlySet<number>,
  ) {}

  /**
   * One row of a grid form (a table with a row per item, e.g. every analytics behaviour with its own Activate and
   * Sensitivity under column headers; docs/camera.md §4): lookups see only that row's controls, while an edit
   * still posts the whole form (full-form replace). Undefined when no row is headed by that name.
   */
  forRow(name: string): WebForm | undefined {
    const inRow = this.controls.filter((c) => c.rowHead && sameVisible(c.rowHead, name));
    return inRow.length ? new WebForm(this.action, this.method, this.controls, this.element, new Set(inRow.map((c) => c.index))) : undefined;
  }

  /** Item names heading grid rows (in document order, each once). */
  rowHeads(): string[] {
    return [...new Set(this.controls.map((c) => c.rowHead).filter(Boolean))];
  }

  private inScope(c: FormControl): boolean {
    return !this.scope || this.scope.has(c.index);
  }

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
    const ctx = labelContext($);
    // Controls outside a form that name it with form="id" belong to it (HTML "form owner").
    const owned = new Map<string, Element[]>();
    $('input[form], select[form], textarea[form], button[form]').each((_i, el) => {
      const id = (el as Element).attribs.form;
      owned.set(id, [...(owned.get(id) ?? []), el as Element]);
    });
    const forms: WebForm[] = [];
    $('form').each((_i, formEl) => {
      const f = formEl as Element;
      const base = new URL(pageUrl);
      const action = new URL(f.attribs.action ?? '', base).toString();
      const method = (f.attribs.method ?? 'GET').toUpperCase();
      const els = $(f)
        .find('input, select, textarea, button')
        .toArray()
        .filter((el) => !(el as Element).attribs.form || (el as Element).attribs.form === f.attribs.id) as Element[];
      const extra = f.attribs.id ? (owned.get(f.attribs.id) ?? []).filter((el) => !els.includes(el)) : [];
      const all = [...els, ...extra].sort((a, b) => docOrder(a) - docOrder(b));
      forms.push(new WebForm(action, method, all.map((el, index) => readControl(ctx, el, index)), f));
    });
    return forms;
  }

  /** Visible, settable controls. */
  private visible(opts: Lookup): FormControl[] {
    return this.controls.filter((c) => this.inScope(c) && c.kind !== 'hidden' && c.kind !== 'submit' && c.kind !== 'other' && (!opts.kinds || opts.kinds.includes(c.kind)));
  }

  /** Controls whose label matches, nearest label first. */
  findAll(label: RegExp, opts: Lookup & { group?: RegExp } = {}): FormControl[] {
    const hits = this.visible(opts)
      .filter((c) => !opts.group || opts.group.test(c.group))
      .map((c) => ({ c, rank: rankOf(c, label) }))
      .filter((x) => x.rank !== undefined);
    return hits.sort((a, b) => a.rank! - b.rank! || a.c.index - b.c.index).map((x) => x.c);
  }

  /** The nearest control whose label matches, or undefined (never throws). */
  find(label: RegExp, opts: Lookup & { group?: RegExp } = {}): FormControl | undefined {
    return this.findAll(label, opts)[0];
  }

  /**
   * The one field a label names: a control, a radio group (radios sharing a name, found by their group label), or
   * undefined. Throws FormLookupError when two different fields are equally near the label.
   */
  field(label: RegExp, opts: Lookup = {}): FormField | undefined {
    const hits = this.visible(opts)
      .map((c) => ({ c, rank: rankOf(c, label) }))
      .filter((x) => x.rank !== undefined);
    const best = Math.min(...hits.map((h) => h.rank!));
    const nearest = hits.filter((h) => h.rank === best).map((h) => h.c);
    const radios = (cs: FormControl[]) => cs.length > 0 && cs.every((c) => c.kind === 'radio' && c.name === cs[0].name);
    if (nearest.length === 1 && nearest[0].kind !== 'radio') return { kind: fieldKind(nearest[0]), label: nearest[0].label, controls: nearest };
    if (nearest.length > 1 && !radios(nearest)) {
      throw new FormLookupError(`two fields are labelled like ${label}: ${nearest.map(describe).join('; ')}`, String(label), nearest.map(describe));
    }
    // A radio group is named by its group label; its radios by their choices.
    const scoped = this.controls.filter((c) => this.inScope(c));
    const byGroup = scoped.filter((c) => c.kind === 'radio' && label.test(c.group));
    const group = byGroup.length ? scoped.filter((c) => c.kind === 'radio' && c.name === byGroup[0].name) : radios(nearest) ? scoped.filter((c) => c.kind === 'radio' && c.name === nearest[0].name) : [];
    if (group.length && (!opts.kinds || opts.kinds.includes('radio'))) return { kind: 'radio', label: group[0].group || group[0].label, controls: group };
    return nearest.length === 1 ? { kind: fieldKind(nearest[0]), label: nearest[0].label, controls: nearest } : undefined;
  }

  /** The labels a person would read on this form (for "no field labelled X; saw ..." messages). */
  labelsSeen(): string[] {
    const seen = new Set<string>();
    for (const c of this.visible({})) {
      const t = c.kind === 'checkbox' || c.kind === 'radio' ? c.group || c.label : c.label;
      if (t) seen.add(t);
    }
    return [...seen];
  }

  /**
   * A choice group: the checkboxes whose group label matches (each named by its own label), or a multiple select
   * labelled so. Undefined when the form has neither.
   */
  choiceGroup(label: RegExp): FormField | undefined {
    const boxes = this.controls.filter((c) => this.inScope(c) && c.kind === 'checkbox' && c.group !== '' && label.test(c.group));
    if (boxes.length) return { kind: 'group', label: boxes[0].group, controls: boxes };
    const multi = this.find(label, { kinds: ['select-multiple'] });
    return multi ? { kind: 'select-multiple', label: multi.label, controls: [multi] } : undefined;
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

function docOrder(el: Element): number {
  return el.startIndex ?? 0;
}

/** The nearest rank at which one of the control's labels matches. */
function rankOf(c: FormControl, re: RegExp): number | undefined {
  return c.labels.find((l) => re.test(l.text))?.rank;
}

function fieldKind(c: FormControl): FormField['kind'] {
  if (c.kind === 'select' || c.kind === 'select-multiple' || c.kind === 'checkbox' || c.kind === 'radio') return c.kind;
  return 'text';
}

function describe(c: FormControl): string {
  return `"${c.label}" (${c.kind}${c.name ? ` ${c.name}` : ''})`;
}

function readControl(ctx: ReturnType<typeof labelContext>, el: Element, index: number): FormControl {
  const at = el.attribs;
  const has = (n: string) => at[n] !== undefined;
  const tag = el.name.toLowerCase();
  const type = (at.type ?? (tag === 'button' ? 'submit' : 'text')).toLowerCase();
  let kind: ControlKind;
  if (tag === 'select') kind = has('multiple') ? 'select-multiple' : 'select';
  else if (tag === 'textarea') kind = 'textarea';
  else if (tag === 'button') kind = type === 'submit' ? 'submit' : 'other';
  else if (['text', 'email', 'number', 'tel', 'url', 'search', 'date', 'time', 'range'].includes(type)) kind = 'text';
  else if (type === 'hidden' || type === 'password' || type === 'checkbox' || type === 'radio' || type === 'submit') kind = type;
  else kind = 'other';
  const options: ControlOption[] = [];
  if (tag === 'select') {
    ctx.$(el)
      .find('option')
      .each((_i, o) => {
        const t = normalizeText(ctx.$(o).text());
        options.push({ value: (o as Element).attribs.value ?? t, text: t, selected: (o as Element).attribs.selected !== undefined });
      });
    // A single select with nothing marked shows (and submits) its first option, as browsers do.
    if (kind === 'select' && options.length && !options.some((o) => o.selected)) options[0].selected = true;
  }
  const isSetting = kind !== 'hidden' && kind !== 'submit' && kind !== 'other';
  const labels = isSetting ? labelCandidates(ctx, el) : [];
  if (kind === 'submit') {
    const t = normalizeLabel(tag === 'button' ? visibleText(el) : (at.value ?? ''));
    if (t) labels.push({ text: t, rank: 0, how: 'button' });
    if (at.title) labels.push({ text: normalizeLabel(at.title), rank: 1, how: 'title' });
    if (at['aria-label']) labels.push({ text: normalizeLabel(at['aria-label']), rank: 0, how: 'aria-label' });
  }
  let disabled = has('disabled');
  for (let p = el.parent; p && !disabled; p = p.parent) if (p.type === 'tag' && (p as Element).name === 'fieldset' && (p as Element).attribs.disabled !== undefined) disabled = true;
  let value: string;
  if (tag === 'textarea') value = ctx.$(el).text().replace(/^\r?\n/, '');
  else if (tag === 'select') value = options.find((o) => o.selected)?.value ?? '';
  else if (kind === 'checkbox' || kind === 'radio') value = at.value ?? 'on';
  else value = at.value ?? '';
  return {
    index,
    name: at.name ?? '',
    kind,
    value,
    checked: has('checked'),
    disabled,
    options,
    label: labels[0]?.text ?? '',
    labels,
    group: kind === 'checkbox' || kind === 'radio' ? groupLabel(ctx, el) : '',
    rowHead: isSetting ? rowHeadOf(el) : '',
  };
}

