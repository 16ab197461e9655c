/**
 * Events > Sources and Events > Handlers (docs/camera.md §4): both are a list page of named items with an Add
 * link, an Edit page per item and a Delete action, so one `ItemPages` serves both; what differs (the form's
 * fields) is in the `ItemKind` of each. A source must exist before a handler lists it; names are 2–23 letters
 * and digits; a camera holds at most 20 handlers.
 */
import { failure, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import type { DriverCore } from './driver-core';
import type { PageKey } from './firmware-profile';
import { addTarget, listRows, type ListRow } from './list-page';
import type { Page } from './page-access';
import { chosenOf, type FormEdit, type WebForm } from './web-form';

/** What differs between sources and handlers. */
export interface ItemKind<T extends { name: string }> {
  /** "source" or "handler" (messages select their wording by it). */
  noun: 'source' | 'handler';
  list: PageKey;
  addLabel: RegExp;
  /** True for the item's edit/create form. */
  isForm: (f: WebForm) => boolean;
  formDescription: SubMessage;
  read: (f: WebForm) => T;
  /** The edit that makes the form hold `want`, or null when it already does. */
  edit: (f: WebForm, want: T, what: SubMessage) => FormEdit | null;
  matches: (have: T, want: T) => boolean;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The list/edit/add/delete pages of one kind of item. */
export class ItemPages<T extends { name: string }> {
  constructor(
    private readonly c: DriverCore,
    readonly kind: ItemKind<T>,
  ) {}

  /** The list page and its rows. */
  async rows(fresh = false): Promise<{ page: Page; rows: ListRow[] }> {
    const page = await this.c.page(this.kind.list, fresh);
    const { $, forms } = this.c.pages.doc(page);
    return { page, rows: listRows($, forms, page.url, this.c.p) };
  }

  /** The row of an item (exact name first, then case-insensitively). */
  async row(name: string, fresh = false): Promise<ListRow | undefined> {
    const { rows } = await this.rows(fresh);
    return rows.find((r) => r.name === name) ?? rows.find((r) => sameName(r.name, name));
  }

  /** An item's edit page and form, or undefined when the camera has no item by that name. */
  async formOf(name: string, fresh = false): Promise<{ page: Page; form: WebForm; row: ListRow } | undefined> {
    const row = await this.row(name, fresh);
    if (!row) return undefined;
    const what = sub('driver.doing.readItem', { noun: this.kind.noun, name });
    if (!row.editPath) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noEditLink', { what, name: row.name });
    const page = await this.c.pages.get(row.editPath, fresh);
    if (page.status !== 200) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.editLinkStatus', { what, path: row.editPath, status: String(page.status) });
    return { page, form: this.c.formOn(page, this.kind.isForm, what, this.kind.formDescription), row };
  }

  /** One item in full, or undefined. */
  async read(name: string, fresh = false): Promise<T | undefined> {
    const f = await this.formOf(name, fresh);
    return f ? this.kind.read(f.form) : undefined;
  }

  /** Makes the item look like `want`: creates it, updates it, or leaves it (idempotent), then reads it back. */
  async put(want: T, what: SubMessage, beforeCreate?: (rows: ListRow[]) => void): Promise<{ value: T; action: 'created' | 'updated' | 'unchanged'; previous?: T }> {
    const existing = await this.formOf(want.name);
    if (existing) {
      const previous = this.kind.read(existing.form);
      if (this.kind.matches(previous, want)) return { value: previous, action: 'unchanged' };
      const editPath = existing.row.editPath!;
      const done = await this.c.submit({
        what,
        load: (fresh) => this.c.pages.get(editPath, fresh),
        pick: this.kind.isForm,
        formDescription: this.kind.formDescription,
        edit: (f) => this.kind.edit(f, want, what),
      });
      return { value: await this.verify(want, what, done.outcome), action: 'updated', previous };
    }
    const { page, rows } = await this.rows();
    beforeCreate?.(rows);
    const addPath = addTarget(this.c.pages.doc(page).$, page.url, this.kind.addLabel);
    if (!addPath) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noAddLink', { what, path: page.path });
    const done = await this.c.submit({
      what,
      load: (fresh) => this.c.pages.get(addPath, fresh),
      pick: this.kind.isForm,
      formDescription: this.kind.formDescription,
      edit: (f) => this.kind.edit(f, want, what) ?? f.edit(),
    });
    return { value: await this.verify(want, what, done.outcome), action: 'created' };
  }

  private async verify(want: T, what: SubMessage, outcome: Parameters<DriverCore['notTaken']>[1]): Promise<T> {
    const got = await this.formOf(want.name, true);
    if (!got) throw this.c.notTaken(what, outcome, sub('driver.readBack.notListed', { noun: this.kind.noun, name: want.name }));
    const have = this.kind.read(got.form);
    if (!this.kind.matches(have, want)) throw this.c.notTaken(what, outcome, sub('driver.readBack.insteadOf', { have: JSON.stringify(have), want: JSON.stringify(want) }));
    return have;
  }

  /** Deletes an item by name (no-op when absent), then checks it is gone. */
  async delete(name: string): Promise<void> {
    const what = sub('driver.doing.deleteItem', { noun: this.kind.noun, name });
    const row = await this.row(name, true);
    if (!row) return;
    const del = row.delete;
    if (!del) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noDeleteButton', { what, name });
    let answer: Page;
    if (del.kind === 'form') answer = await this.c.pages.post(this.c.pages.pathOf(del.form.action), del.form.edit().body(del.button));
    else if (del.kind === 'select') answer = await this.c.pages.post(this.c.pages.pathOf(del.form.action), del.form.edit().setChecked(del.box, true).body(del.button));
    else {
      // A link to a confirmation page: answer it with its confirming button.
      const confirm = await this.c.pages.get(del.path, true);
      const form = this.c.pages.doc(confirm).forms.find((f) => f.method === 'POST' && (f.submitButton(this.c.p.list.confirm) || f.submitButton(this.c.p.list.delete)));
      if (confirm.status !== 200 || !form) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noDeleteConfirm', { what, path: del.path, status: String(confirm.status) });
      answer = await this.c.pages.post(this.c.pages.pathOf(form.action), form.edit().body(form.submitButton(this.c.p.list.confirm) ?? form.submitButton(this.c.p.list.delete)));
    }
    const outcome = this.c.judge(answer);
    if (await this.row(row.name, true)) throw this.c.notTaken(what, outcome, sub('driver.readBack.stillLists', { name }));
  }

  /** Names of the choices a group offers (e.g. the sources a handler form lists). */
  static choices(f: WebForm, label: RegExp): string[] {
    const g = f.choiceGroup(label);
    if (!g) return [];
    return g.kind === 'select-multiple' ? g.controls[0].options.map((o) => o.text) : g.controls.map((c) => c.label);
  }

  /** Names ticked in a group. */
  static chosen(f: WebForm, label: RegExp): string[] {
    const g = f.choiceGroup(label);
    return g ? chosenOf(g) : [];
  }
}
