/**
 * What a person reads next to a form control (docs/camera.md §4): every way a page can tie text to a control,
 * each with a rank (0 = tied by markup, 1 = a neighbouring cell or term, 2 = loose text in the same row or
 * block, 3 = a placeholder). The form model keeps every candidate, so a lookup can prefer the nearest
 * unambiguous match and report what it saw when nothing or too much matches.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/** One text that may name a control. */
export interface LabelCandidate {
  text: string;
  /** 0 markup (label, aria), 1 neighbouring cell/term/title, 2 nearby text, 3 placeholder. */
  rank: number;
  /** How it was found (for captures and failure messages). */
  how: string;
}

const CONTROL_TAGS = new Set(['input', 'select', 'textarea', 'button']);
const BLOCK_TAGS = new Set(['div', 'p', 'li', 'td', 'th', 'dd', 'dt', 'tr', 'form', 'fieldset', 'section', 'table', 'tbody', 'ul', 'ol', 'body', 'dl', 'article', 'main']);

/** Collapses whitespace, trims, and drops the colon and required-star decorations around a label. */
export function normalizeLabel(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[*\s]+/, '')
    .replace(/[\s:*]+$/, '')
    .trim();
}

function isTag(n: AnyNode | null | undefined, name?: string): n is Element {
  return !!n && n.type === 'tag' && (!name || (n as Element).name === name);
}

function tagOf(n: AnyNode | null | undefined): string {
  return n && n.type === 'tag' ? (n as Element).name : '';
}

/** True for a visible form control (not hidden, not a button). */
function isControl(n: AnyNode): boolean {
  if (!isTag(n)) return false;
  if (!CONTROL_TAGS.has(n.name)) return false;
  if (n.name === 'button') return false;
  if (n.name === 'input') {
    const t = (n.attribs.type ?? 'text').toLowerCase();
    return t !== 'hidden' && t !== 'submit' && t !== 'button' && t !== 'reset' && t !== 'image';
  }
  return true;
}

/** Number of visible controls under a node. */
function controlCount(n: AnyNode): number {
  if (!isTag(n)) return 0;
  let c = isControl(n) ? 1 : 0;
  for (const k of n.children) c += controlCount(k);
  return c;
}

/** Visible text of a node, without option lists, scripts and styles. */
export function visibleText(n: AnyNode): string {
  if (n.type === 'text') return (n as unknown as { data: string }).data;
  if (!isTag(n)) return '';
  if (n.name === 'script' || n.name === 'style' || n.name === 'select' || n.name === 'textarea' || n.name === 'option') return '';
  let s = '';
  for (const k of n.children) s += visibleText(k);
  return BLOCK_TAGS.has(n.name) || n.name === 'br' ? ` ${s} ` : s;
}

/** Text of the siblings on one side of `el` inside its parent, up to the next control or block. */
function adjacentText(el: Element, side: 'before' | 'after'): string {
  const parent = el.parent;
  if (!parent || !('children' in parent)) return '';
  const kids = parent.children;
  const i = kids.indexOf(el);
  const parts: string[] = [];
  for (let j = side === 'before' ? i - 1 : i + 1; j >= 0 && j < kids.length; j += side === 'before' ? -1 : 1) {
    const k = kids[j];
    if (controlCount(k) > 0) break;
    if (isTag(k) && (k.name === 'br' || k.name === 'hr')) {
      if (parts.some((p) => p.trim())) break;
      continue;
    }
    if (isTag(k) && BLOCK_TAGS.has(k.name)) break;
    if (side === 'before') parts.unshift(visibleText(k));
    else parts.push(visibleText(k));
  }
  return normalizeLabel(parts.join(' '));
}

/** The cells of a table row, and the column headers of its table. */
function cellInfo(cell: Element): { row: Element | undefined; index: number; headers: string[] } {
  const row = isTag(cell.parent, 'tr') ? cell.parent : undefined;
  if (!row) return { row: undefined, index: -1, headers: [] };
  const cells = row.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
  const index = cells.indexOf(cell);
  let table: AnyNode | null = row.parent;
  while (table && !isTag(table, 'table')) table = table.parent;
  const headers: string[] = [];
  if (isTag(table)) {
    const headRow = headRowOf(table);
    if (headRow && headRow !== row) {
      for (const h of headRow.children) if (isTag(h) && (h.name === 'th' || h.name === 'td')) headers.push(normalizeLabel(visibleText(h)));
    }
  }
  return { row, index, headers };
}

/** Context shared by the lookups of one document. */
export interface LabelContext {
  $: CheerioAPI;
  /** label[for] texts by id. */
  labelsFor: Map<string, string>;
  /** Element text by id (aria-labelledby). */
  textById: (id: string) => string;
}

/** Builds the per-document lookup tables. */
export function labelContext($: CheerioAPI): LabelContext {
  const labelsFor = new Map<string, string>();
  $('label[for]').each((_i, el) => {
    const id = (el as Element).attribs.for ?? '';
    if (id && !labelsFor.has(id)) labelsFor.set(id, normalizeLabel(visibleText(el as Element)));
  });
  return {
    $,
    labelsFor,
    textById: (id) => {
      const el = $(`[id="${id.replace(/"/g, '\\"')}"]`).get(0);
      return el ? normalizeLabel(visibleText(el as Element)) : '';
    },
  };
}

/** Every text a person could read as this control's label, nearest first. */
export function labelCandidates(ctx: LabelContext, el: Element): LabelCandidate[] {
  const at = el.attribs;
  const out: LabelCandidate[] = [];
  const add = (text: string, rank: number, how: string) => {
    const t = normalizeLabel(text);
    if (t && t.length <= 120 && !out.some((o) => o.text === t && o.rank <= rank)) out.push({ text: t, rank, how });
  };
  if (at.id && ctx.labelsFor.has(at.id)) add(ctx.labelsFor.get(at.id)!, 0, 'label-for');
  for (let p = el.parent; p; p = p.parent) {
    if (isTag(p, 'label')) {
      add(visibleText(p), 0, 'label-wrap');
      break;
    }
    if (isTag(p, 'form')) break;
  }
  if (at['aria-labelledby']) add(at['aria-labelledby'].split(/\s+/).map(ctx.textById).join(' '), 0, 'aria-labelledby');
  if (at['aria-label']) add(at['aria-label'], 0, 'aria-label');
  if (at.title) add(at.title, 1, 'title');
  // A control alone in a table cell: the cell's own text, the cell before it, the column header.
  const type = (at.type ?? '').toLowerCase();
  const isBox = el.name === 'input' && (type === 'checkbox' || type === 'radio');
  const cell = isTag(el.parent) && (el.parent.name === 'td' || el.parent.name === 'th') ? el.parent : closestCell(el);
  if (cell) {
    const alone = controlCount(cell) === 1;
    if (alone) add(visibleText(cell), 1, 'same-cell');
    const { row, index, headers } = cellInfo(cell);
    if (row && index > 0) {
      const cells = row.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
      const prev = cells[index - 1];
      // For a box among several in one cell, the row header names the group, not the box.
      if (prev && controlCount(prev) === 0 && (alone || !isBox)) add(visibleText(prev), alone ? 1 : 2, 'row-header');
    }
    if (alone && index >= 0 && headers[index]) add(headers[index], 2, 'column-header');
  }
  // Definition list: <dt>Label</dt><dd><input></dd>.
  for (let p = el.parent; p && tagOf(p) !== 'form'; p = p.parent) {
    if (isTag(p, 'dd')) {
      const dt = prevElement(p);
      if (dt && isTag(dt, 'dt')) add(visibleText(dt), 1, 'dt');
      break;
    }
  }
  // Loose text in the same row or block: before the control, or after it for a checkbox or radio.
  if (isBox) add(adjacentText(el, 'after'), 2, 'text-after');
  add(adjacentText(el, 'before'), 2, 'text-before');
  if (!isBox) add(adjacentText(el, 'after'), 3, 'text-after');
  if (isTag(el.parent) && !isTag(el.parent, 'form') && controlCount(el.parent) === 1) add(visibleText(el.parent), 2, 'block');
  if (at.placeholder) add(at.placeholder, 3, 'placeholder');
  return out.sort((a, b) => a.rank - b.rank);
}

function closestCell(el: Element): Element | undefined {
  for (let p = el.parent; p; p = p.parent) {
    if (isTag(p) && (p.name === 'td' || p.name === 'th')) return p;
    if (isTag(p) && (p.name === 'form' || p.name === 'table' || p.name === 'fieldset')) return undefined;
  }
  return undefined;
}

function prevElement(n: AnyNode): Element | undefined {
  for (let p = n.prev; p; p = p.prev) if (isTag(p)) return p;
  return undefined;
}

/**
 * The label of the group a checkbox or radio belongs to (the "Sources" of a handler's source boxes): a fieldset
 * legend, an ARIA group, the first cell of its table row, the term of a definition, or a short caption element
 * just before the container that holds the group.
 */
export function groupLabel(ctx: LabelContext, el: Element): string {
  for (let n: AnyNode | null = el.parent; n && tagOf(n) !== 'form' && tagOf(n) !== 'body'; n = n.parent) {
    if (!isTag(n)) continue;
    const p: Element = n;
    if (p.name === 'fieldset') {
      const legend = p.children.find((c) => isTag(c, 'legend'));
      if (legend) return normalizeLabel(visibleText(legend));
    }
    const role = p.attribs.role;
    if (role === 'group' || role === 'radiogroup') {
      if (p.attribs['aria-labelledby']) return normalizeLabel(p.attribs['aria-labelledby'].split(/\s+/).map(ctx.textById).join(' '));
      if (p.attribs['aria-label']) return normalizeLabel(p.attribs['aria-label']);
    }
    if ((p.name === 'td' || p.name === 'th') && isTag(p.parent, 'tr')) {
      const cells = p.parent.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
      const i = cells.indexOf(p);
      if (i > 0 && controlCount(cells[0]) === 0) return normalizeLabel(visibleText(cells[0]));
      return '';
    }
    if (p.name === 'dd') {
      const dt = prevElement(p);
      return dt && isTag(dt, 'dt') ? normalizeLabel(visibleText(dt)) : '';
    }
    if ((p.name === 'div' || p.name === 'ul' || p.name === 'span' || p.name === 'p') && controlCount(p) > 1) {
      // The block opens with its caption as loose text: "Behaviors: [x] Camera Sabotage [ ] ...".
      const lead = normalizeLabel(leadingText(p));
      if (lead && lead.length <= 60) return lead;
      const cap = prevElement(p);
      if (cap && controlCount(cap) === 0 && ['h2', 'h3', 'h4', 'h5', 'label', 'span', 'strong', 'b', 'p', 'div', 'legend'].includes(cap.name)) {
        const t = normalizeLabel(visibleText(cap));
        if (t && t.length <= 60) return t;
      }
    }
  }
  return '';
}

/** The text of a block before its first control or nested block (its caption, when it opens with one). */
function leadingText(block: Element): string {
  let s = '';
  for (const k of block.children) {
    if (controlCount(k) > 0 || (isTag(k) && (BLOCK_TAGS.has(k.name) || k.name === 'label'))) break;
    s += visibleText(k);
  }
  return s;
}

/** A table's header row: the row of its <thead>, else a first row made only of <th> cells (no thead written). */
function headRowOf(table: Element): Element | undefined {
  const thead = table.children.find((c) => isTag(c, 'thead'));
  if (isTag(thead)) {
    const tr = thead.children.find((c) => isTag(c, 'tr'));
    return isTag(tr) ? tr : undefined;
  }
  const body = table.children.find((c) => isTag(c, 'tbody'));
  const first = (isTag(body) ? body : table).children.find((c) => isTag(c, 'tr'));
  if (!isTag(first)) return undefined;
  const cells = first.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
  return cells.length > 1 && cells.every((c) => c.name === 'th') ? first : undefined;
}

/**
 * In a grid (a table with a header row and one row per item), the item a control belongs to: the text of its
 * row's first cell when that cell holds no control. '' outside such a table.
 */
export function rowHeadOf(el: Element): string {
  const cell = closestCell(el);
  if (!cell || !isTag(cell.parent, 'tr')) return '';
  const row = cell.parent;
  let table: AnyNode | null = row.parent;
  while (table && !isTag(table, 'table')) table = table.parent;
  if (!isTag(table) || !headRowOf(table) || headRowOf(table) === row) return '';
  const first = row.children.find((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
  if (!first || first === cell || controlCount(first) > 0) return '';
  return normalizeLabel(visibleText(first));
}
