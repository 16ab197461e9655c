/**
 * A variant's forms: the documented fields (form-specs.ts) rendered with the seed's names, ids, order, label
 * ties, option values and control kinds, and posted values read back into field values by key. Every field
 * that was rendered but is missing from a POST (where a browser would have sent it) is reported as dropped.
 */
import { esc, type FieldSpec, type FormSpec, type FormValues } from '../forms';
import { fieldDice, type OptionStyle, type TieStyle, type VariantSpec } from './spec';

/** A field as the variant shows it. */
interface VField {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'email' | 'password' | 'textarea' | 'hidden' | 'checkbox' | 'select' | 'radio' | 'boxes' | 'multiselect' | 'yesno-radio' | 'yesno-select';
  name: string;
  /** Choices: the semantic value, the visible text, the raw value posted. */
  choices: Array<{ value: string; text: string; raw: string }>;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The posted name of a field. */
export function nameOf(v: VariantSpec, formId: string, key: string): string {
  const h = fnv(`${v.seed}|${formId}|${key}`).toString(36);
  switch (v.nameStyle) {
    case 'hash':
      return `f${h.slice(0, 5)}`;
    case 'bracket':
      return `cfg[${formId.slice(0, 3)}][${h.slice(0, 3)}]`;
    case 'numeric':
      return `c${fnv(h) % 9000 + 1000}`;
    default:
      return `Fld${h.slice(1, 4).toUpperCase()}_${h.slice(4, 6)}`;
  }
}

function rawOption(style: OptionStyle, key: string, i: number, n: number, text: string, seed: number): string {
  switch (style) {
    case 'index0':
      return String(i);
    case 'index1':
      return String(i + 1);
    case 'code':
      return `o${fnv(`${seed}${key}${i}`).toString(36).slice(0, 4)}`;
    case 'text':
      return text;
    default:
      // Numbers that are not the option's own number (the bug this guards against: value "7" shows "4").
      return String(n - i);
  }
}

function caseOf(v: VariantSpec, s: string): string {
  if (v.labelCase === 'upper') return s.toUpperCase();
  if (v.labelCase === 'lower') return s.toLowerCase();
  if (v.labelCase === 'title') return s.replace(/\b\w/g, (c) => c.toUpperCase());
  return s;
}

const YES_NO = [
  ['Yes', 'No'],
  ['Enabled', 'Disabled'],
  ['On', 'Off'],
];

/** The variant's view of a form's fields, in its order. */
export function variantFields(v: VariantSpec, formId: string, spec: FormSpec): VField[] {
  const d = fieldDice(v, formId, 'order');
  const wording: Record<string, string> = { smtpServer: v.wording.smtpServer, ntpServer: v.wording.ntpServer, analyticsBehaviours: v.wording.behaviours };
  if (formId === 'source') wording.name = v.wording.sourceName;
  if (formId === 'handler') wording.name = v.wording.handlerName;
  const out = spec.fields.map((f: FieldSpec): VField => {
    const name = nameOf(v, formId, f.key);
    const label = caseOf(v, wording[f.key] ?? f.label);
    const style = v.options[f.key] ?? 'index1';
    const choices = (f.options ?? []).map((o, i, all) => ({ value: o.value, text: o.label, raw: f.opaqueOptions === false || !f.opaqueOptions ? (f.kind === 'checkgroup' && fieldDice(v, 'dyn').chance(0.5) ? `s${fnv(o.value).toString(36).slice(0, 5)}` : o.value) : rawOption(style, f.key, i, all.length, o.label, v.seed) }));
    if (f.key === 'sensitivity' && (formId === 'behaviour' || formId === 'profile')) {
      const nums = Array.from({ length: 10 }, (_x, i) => String(i + 1));
      const ch = nums.map((t, i) => ({ value: t, text: t, raw: rawOption(v.options.sensitivity, 'sensitivity', i, 10, t, v.seed) }));
      if (v.sensitivityControl === 'select') return { key: f.key, label, kind: 'select', name, choices: ch };
      if (v.sensitivityControl === 'radio') return { key: f.key, label, kind: 'radio', name, choices: ch };
      return { key: f.key, label, kind: v.sensitivityControl === 'number' ? 'number' : 'text', name, choices: [] };
    }
    if (f.key === 'active' && formId === 'behaviour' && v.activeControl !== 'checkbox') {
      const [yes, no] = fieldDice(v, 'yesno').pick(YES_NO);
      const st = v.options.active;
      const ch = [
        { value: 'on', text: yes, raw: rawOption(st, 'active', 0, 2, yes, v.seed) },
        { value: '', text: no, raw: rawOption(st, 'active', 1, 2, no, v.seed) },
      ];
      return { key: f.key, label, kind: v.activeControl === 'radio' ? 'yesno-radio' : 'yesno-select', name, choices: ch };
    }
    if (f.kind === 'checkgroup') {
      const gs = v.groupStyle[f.key as keyof VariantSpec['groupStyle']] ?? 'fieldset';
      return { key: f.key, label, kind: gs === 'multiselect' ? 'multiselect' : 'boxes', name, choices };
    }
    return { key: f.key, label, kind: f.kind as VField['kind'], name, choices };
  });
  const hidden = out.filter((f) => f.kind === 'hidden');
  const visible = d.shuffle(out.filter((f) => f.kind !== 'hidden'));
  // Hidden fields sit anywhere among the rows, as real pages put them.
  for (const h of hidden) visible.splice(d.int(0, visible.length), 0, h);
  return visible;
}

function tieFor(v: VariantSpec, formId: string, f: VField, hasIds: boolean): TieStyle {
  const layout = v.forms[formId].layout;
  const d = fieldDice(v, formId, f.key, 'tie');
  if (layout === 'table') return d.pick<TieStyle>(hasIds ? ['th', 'cell', 'for'] : ['th', 'cell']);
  if (layout === 'dl') return 'dt';
  const boxLike = f.kind === 'checkbox';
  const all: TieStyle[] = boxLike ? ['for', 'wrap', 'aria-label', 'text-before'] : ['for', 'wrap', 'aria-labelledby', 'aria-label', 'text-before', 'title'];
  const usable = all.filter((t) => hasIds || (t !== 'for' && t !== 'aria-labelledby'));
  return d.pick(usable);
}

/** Renders the field rows of a form (without the <form> element) for the given values. */
export function renderVariantFields(v: VariantSpec, formId: string, spec: FormSpec, values: FormValues, idPrefix: string): string {
  const layout = v.forms[formId].layout;
  const hasIds = v.forms[formId].ids;
  const colon = v.colon ? ':' : '';
  const rows: string[] = [];
  for (const f of variantFields(v, formId, spec)) {
    const id = `${idPrefix}${fnv(f.name).toString(36).slice(0, 4)}`;
    const val = values[f.key];
    if (f.kind === 'hidden') {
      rows.push(`<input type="hidden" name="${esc(f.name)}" value="${esc(String(val ?? ''))}">`);
      continue;
    }
    const tie = f.kind === 'boxes' || f.kind === 'radio' || f.kind === 'yesno-radio' ? 'group' : tieFor(v, formId, f, hasIds);
    const lbl = esc(f.label);
    const idAttr = hasIds && (tie === 'for' || tie === 'aria-labelledby' || f.kind === 'checkbox') ? ` id="${id}"` : '';
    const aria = tie === 'aria-label' ? ` aria-label="${lbl}"` : tie === 'aria-labelledby' ? ` aria-labelledby="${id}l"` : tie === 'title' ? ` title="${lbl}"` : '';
    const control = controlHtml(v, f, val, idAttr + aria, id);
    const text = `${lbl}${f.kind === 'checkbox' ? '' : colon}`;
    if (tie === 'group') {
      if (layout === 'table') rows.push(`<tr><th>${text}</th><td>${control}</td></tr>`);
      else if (layout === 'dl') rows.push(`<dt>${text}</dt><dd>${control}</dd>`);
      else if (fieldDice(v, formId, f.key, 'grp').chance(0.5) && f.kind === 'boxes' && v.groupStyle[f.key as keyof VariantSpec['groupStyle']] === 'aria-group')
        rows.push(`<div class="row" role="group" aria-labelledby="${id}g"><span id="${id}g" class="cap">${text}</span> ${control}</div>`);
      else rows.push(`<fieldset><legend>${text}</legend>${control}</fieldset>`);
      continue;
    }
    if (layout === 'table') {
      if (tie === 'th') rows.push(`<tr><th>${text}</th><td>${control}</td></tr>`);
      else if (tie === 'for') rows.push(`<tr><td><label for="${id}">${text}</label></td><td>${control}</td></tr>`);
      else rows.push(`<tr><td class="k">${text}</td><td class="v">${control}</td></tr>`);
      continue;
    }
    if (layout === 'dl') {
      rows.push(`<dt>${text}</dt><dd>${control}</dd>`);
      continue;
    }
    if (f.kind === 'checkbox') {
      if (tie === 'for') rows.push(`<div class="row">${control}<label for="${id}">${lbl}</label></div>`);
      else if (tie === 'wrap') rows.push(`<div class="row"><label>${control} ${lbl}</label></div>`);
      else if (tie === 'aria-label') rows.push(`<div class="row">${control.replace('<input ', `<input aria-label="${lbl}" `)}<span aria-hidden="true">${lbl}</span></div>`);
      else rows.push(`<p>${control} ${lbl}</p>`);
      continue;
    }
    switch (tie) {
      case 'for':
        rows.push(`<div class="row"><label for="${id}">${text}</label> ${control}</div>`);
        break;
      case 'wrap':
        rows.push(`<div class="row"><label><span>${text}</span> ${control}</label></div>`);
        break;
      case 'aria-labelledby':
        rows.push(`<div class="row"><span class="lbl" id="${id}l">${text}</span><span class="ctl">${control}</span></div>`);
        break;
      case 'aria-label':
        rows.push(`<div class="row"><span aria-hidden="true">${text}</span>${control}</div>`);
        break;
      case 'title':
        rows.push(`<div class="row"><b>${text}</b> ${control}</div>`);
        break;
      default:
        rows.push(`<p>${text}<br>${control}</p>`);
    }
  }
  if (layout === 'table') return `<table class="form">${rows.join('\n')}</table>`;
  if (layout === 'dl') return `<dl>${rows.join('\n')}</dl>`;
  return rows.join('\n');
}

function controlHtml(v: VariantSpec, f: VField, val: FormValues[string] | undefined, attrs: string, id: string): string {
  const n = esc(f.name);
  switch (f.kind) {
    case 'checkbox':
      return `<input type="checkbox" name="${n}" value="${esc(v.checkboxValue)}"${val === true ? ' checked' : ''}${attrs}>`;
    case 'textarea':
      return `<textarea name="${n}" rows="3"${attrs}>${esc(String(val ?? ''))}</textarea>`;
    case 'select':
    case 'yesno-select': {
      const cur = f.kind === 'yesno-select' ? (val === true ? 'on' : '') : String(val ?? '');
      return `<select name="${n}"${attrs}>${f.choices.map((c) => `<option value="${esc(c.raw)}"${c.value === cur ? ' selected' : ''}>${esc(c.text)}</option>`).join('')}</select>`;
    }
    case 'multiselect': {
      const chosen = Array.isArray(val) ? val : [];
      return `<select multiple size="4" name="${n}"${attrs}>${f.choices.map((c) => `<option value="${esc(c.raw)}"${chosen.includes(c.value) ? ' selected' : ''}>${esc(c.text)}</option>`).join('')}</select>`;
    }
    case 'radio':
    case 'yesno-radio': {
      const cur = f.kind === 'yesno-radio' ? (val === true ? 'on' : '') : String(val ?? '');
      return f.choices.map((c, i) => `<label><input type="radio" name="${n}" value="${esc(c.raw)}"${c.value === cur ? ' checked' : ''}> ${esc(c.text)}</label>${i % 5 === 4 ? '<br>' : ' '}`).join('');
    }
    case 'boxes': {
      const chosen = Array.isArray(val) ? val : [];
      if (!f.choices.length) return '<span class="empty">None available.</span>';
      const perOption = fnv(`${v.seed}${f.key}names`) % 2 === 0;
      return f.choices
        .map((c, i) => {
          const nm = perOption ? `${f.name}_${i}` : f.name;
          const ck = chosen.includes(c.value) ? ' checked' : '';
          return i % 2 === 0 ? `<label><input type="checkbox" name="${esc(nm)}" value="${esc(c.raw)}"${ck}> ${esc(c.text)}</label> ` : `<input type="checkbox" id="${id}_${i}" name="${esc(nm)}" value="${esc(c.raw)}"${ck}><label for="${id}_${i}">${esc(c.text)}</label> `;
        })
        .join('');
    }
    default: {
      const type = f.kind === 'number' ? 'number' : f.kind === 'email' ? 'email' : f.kind === 'password' ? 'password' : 'text';
      return `<input type="${type}" name="${n}" value="${esc(f.kind === 'password' ? '' : String(val ?? ''))}"${attrs}>`;
    }
  }
}

/**
 * Reads a POST back into values by key. Unknown choices are an error (the camera's text); fields the page
 * rendered but the POST lacks (where a browser would send them) are listed in `dropped`.
 */
export function parseVariantFields(v: VariantSpec, formId: string, spec: FormSpec, posted: URLSearchParams): { values: FormValues; error?: string; dropped: string[] } {
  const values: FormValues = {};
  const dropped: string[] = [];
  for (const f of variantFields(v, formId, spec)) {
    const unknown = (raw: string) => ({ values, dropped, error: `${f.label}: unknown choice "${raw}". Reload the page and try again.` });
    if (f.kind === 'checkbox') {
      values[f.key] = posted.getAll(f.name).includes(v.checkboxValue);
      continue;
    }
    if (f.kind === 'boxes' || f.kind === 'multiselect') {
      const perOption = f.kind === 'boxes' && fnv(`${v.seed}${f.key}names`) % 2 === 0;
      const raws = perOption ? f.choices.flatMap((_c, i) => posted.getAll(`${f.name}_${i}`)) : posted.getAll(f.name);
      const out: string[] = [];
      for (const r of raws) {
        const c = f.choices.find((x) => x.raw === r);
        if (!c) return unknown(r);
        out.push(c.value);
      }
      values[f.key] = out;
      continue;
    }
    if (!posted.has(f.name)) {
      if (f.kind !== 'password') dropped.push(`${f.label} (${f.name})`);
      continue;
    }
    const raw = posted.get(f.name) ?? '';
    if (f.kind === 'select' || f.kind === 'radio' || f.kind === 'yesno-radio' || f.kind === 'yesno-select') {
      const c = f.choices.find((x) => x.raw === raw);
      if (!c) return unknown(raw);
      values[f.key] = f.kind.startsWith('yesno') ? c.value === 'on' : c.value;
      continue;
    }
    values[f.key] = f.kind === 'textarea' ? raw.replace(/\r\n/g, '\n') : raw.trim();
  }
  return { values, dropped };
}
