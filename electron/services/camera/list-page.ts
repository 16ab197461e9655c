/**
 * The list pages (Events > Sources, Events > Handlers) read the way a person reads them, one helper for both
 * (docs/camera.md §4): a row per item in a table or a list; the item's name in the "Name" column (or the
 * first cell that looks like a name); its Edit link (by text, title, or the name itself as the link); its
 * Delete button (a form in the row, a link to a confirmation page, or a row checkbox with a "Delete" button).
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { FirmwareProfile } from './firmware-profile';
import { normalizeLabel, visibleText } from './labels';
import { navTargets } from './navigation';
import type { FormControl, WebForm } from './web-form';

/** How an item is deleted on its list page. */
export type DeleteAction = { kind: 'form'; form: WebForm; button?: FormControl } | { kind: 'link'; path: string } | { kind: 'select'; form: WebForm; box: FormControl; button: FormControl };

/** One row of a list page. */
export interface ListRow {
  name: string;
  /** The row's text under the Type and Sources headers, when the list has them. */
  type: string;
  sources: string;
  editPath?: string;
  delete?: DeleteAction;
}

const NAME_RE = /^[A-Za-z0-9]{2,23}$/;

function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'tag' && ((c as Element).name === 'td' || (c as Element).name === 'th'));
}

function contains(root: Element, el: Element | undefined): boolean {
  for (let p = el?.parent; p; p = p.parent) if (p === root) return true;
  return false;
}

/** Reads the rows of a list page. */
export function listRows($: CheerioAPI, forms: WebForm[], pageUrl: string, p: FirmwareProfile): ListRow[] {
  const rows: ListRow[] = [];
  const items: Array<{ el: Element; cells: string[]; nameAt: number; typeAt: number; sourcesAt: number }> = [];
  $('table').each((_i, t) => {
    const table = t as Element;
    if ($(table).parents('table').length) return;
    const trs = $(table).find('tr').toArray() as Element[];
    const headRow = trs.find((tr) => cellsOf(tr).length > 0 && cellsOf(tr).every((c) => c.name === 'th'));
    const heads = headRow ? cellsOf(headRow).map((c) => normalizeLabel(visibleText(c))) : [];
    const col = (re: RegExp) => heads.findIndex((h) => re.test(h));
    for (const tr of trs) {
      if (tr === headRow || !cellsOf(tr).some((c) => c.name === 'td')) continue;
      items.push({ el: tr, cells: cellsOf(tr).map((c) => normalizeLabel(visibleText(c))), nameAt: col(p.list.nameColumn), typeAt: col(p.list.typeColumn), sourcesAt: col(p.list.sourcesColumn) });
    }
  });
  $('ul > li, ol > li').each((_i, li) => {
    const el = li as Element;
    if ($(el).parents('nav, #nav, .nav, .menu, #menu, [role=menu], [role=tablist]').length || $(el).find('li').length) return;
    const parts = el.children.map((c) => normalizeLabel(visibleText(c))).filter(Boolean);
    items.push({ el, cells: parts, nameAt: -1, typeAt: -1, sourcesAt: -1 });
  });
  for (const it of items) {
    const targets = navTargets($, pageUrl, it.el);
    const edit = targets.find((t) => p.list.edit.test(t.text));
    let name = it.nameAt >= 0 ? (it.cells[it.nameAt] ?? '') : '';
    if (!name) name = it.cells.find((c) => NAME_RE.test(c) && !/^\d+$/.test(c) && !p.list.edit.test(c) && !p.list.delete.test(c)) ?? '';
    // The name itself as the edit link counts only under a "Name" column (a menu of links is not a list).
    const byName = it.nameAt >= 0 ? targets.find((t) => t.text === name) : undefined;
    const editPath = (edit ?? byName)?.path;
    const del = deleteIn(it.el, forms, targets, p);
    if (!name || (!editPath && !del)) continue;
    rows.push({ name, type: it.typeAt >= 0 ? (it.cells[it.typeAt] ?? '') : '', sources: it.sourcesAt >= 0 ? (it.cells[it.sourcesAt] ?? '') : '', ...(editPath ? { editPath } : {}), ...(del ? { delete: del } : {}) });
  }
  return rows;
}

function deleteIn(row: Element, forms: WebForm[], targets: ReturnType<typeof navTargets>, p: FirmwareProfile): DeleteAction | undefined {
  for (const f of forms) {
    if (!f.element || (f.element !== row && !contains(row, f.element))) continue;
    const button = f.submitButton(p.list.delete);
    if (button || f.controls.some((c) => c.kind === 'submit' && p.list.delete.test(c.label))) return { kind: 'form', form: f, ...(button ? { button } : {}) };
  }
  const link = targets.find((t) => p.list.delete.test(t.text));
  if (link) return { kind: 'link', path: link.path };
  // A row checkbox inside a form that has a "Delete" button (delete selected).
  for (const f of forms) {
    if (!f.element || !contains(f.element, row)) continue;
    const button = f.submitButton(p.list.delete);
    const box = f.controls.find((c) => c.kind === 'checkbox' && rowHas(row, c, f));
    if (button && box) return { kind: 'select', form: f, box, button };
  }
  return undefined;
}

/** True when a form control sits inside the row (matched by name and value among the row's inputs). */
function rowHas(row: Element, c: FormControl, _f: WebForm): boolean {
  const inputs: Element[] = [];
  const walk = (n: Element) => {
    for (const k of n.children) {
      if (k.type !== 'tag') continue;
      const e = k as Element;
      if (e.name === 'input') inputs.push(e);
      walk(e);
    }
  };
  walk(row);
  return inputs.some((i) => (i.attribs.type ?? '').toLowerCase() === 'checkbox' && (i.attribs.name ?? '') === c.name && (i.attribs.value ?? 'on') === c.value);
}

/** The path an "Add ..." link or button leads to. */
export function addTarget($: CheerioAPI, pageUrl: string, label: RegExp): string | undefined {
  return navTargets($, pageUrl).find((t) => label.test(t.text))?.path;
}
