/**
 * The plumbing every part of the web driver shares (docs/camera.md §4): finding a page, picking its form,
 * finding a field by label (and saying what was seen when it is not there), and submitting a form the way a
 * browser does, with one fresh attempt when the camera refuses the form token. Whether a save took is never
 * decided here: callers read the page back.
 */
import { BEHAVIOURS } from '../../../shared/domain/camera';
import { failure, sub } from '../../../shared/i18n/messages';
import type { AppFailure, SubMessage } from '../../../shared/ipc/result';
import type { FirmwareProfile, PageKey } from './firmware-profile';
import { PageFinder } from './navigation';
import type { Page, PageAccess } from './page-access';
import { judgeSave, type SaveOutcome } from './save-outcome';
import { formTitle } from './form-title';
import { FormEditError, FormLookupError, sameVisible, type ControlKind, type FormEdit, type FormField, type WebForm } from './web-form';
import type { WebSession } from './web-session';

/** One form submission: where the form is, which form, what to change. */
export interface Submission {
  /** For messages: "Saving General Settings" (a keyed `driver.doing.*` message, shown in the technician's language). */
  what: SubMessage;
  /** Loads the page that holds the form (fresh on the retry). */
  load: (fresh: boolean) => Promise<Page>;
  pick: (f: WebForm) => boolean;
  /** Describes the form looked for, for the "no such form" message (keyed `driver.form.*`). */
  formDescription: SubMessage;
  /** The changes; null when the form already holds what is wanted (nothing is posted). */
  edit: (f: WebForm) => FormEdit | null;
  submitLabel?: RegExp;
}

/** What a submission did. */
export interface Submitted {
  posted: boolean;
  outcome?: SaveOutcome;
}

const PAGE_WANTS: Record<PageKey, SubMessage> = {
  general: sub('driver.pageWants.general'),
  sources: sub('driver.pageWants.sources'),
  handlers: sub('driver.pageWants.handlers'),
  analytics: sub('driver.pageWants.analytics'),
};

/** Shared plumbing of one driver. */
export class DriverCore {
  readonly finder: PageFinder;

  constructor(
    readonly baseUrl: string,
    readonly p: FirmwareProfile,
    readonly session: WebSession,
    readonly pages: PageAccess,
  ) {
    const hasAction = (page: Page, re: RegExp) => this.pages.targets(page).some((t) => re.test(t.text));
    this.finder = new PageFinder(
      pages,
      p,
      {
        general: (page) => this.pages.doc(page).forms.some((f) => f.method === 'POST' && !!f.find(p.general.smtpServer, { kinds: ['text'] })),
        sources: (page) => hasAction(page, p.list.addSource),
        handlers: (page) => hasAction(page, p.list.addHandler),
        analytics: (page) => this.behaviourNames(page).length >= 2,
      },
      PAGE_WANTS,
    );
  }

  /**
   * The known behaviour names a page offers as a person would pick them: links or tabs named after them, forms
   * with a Sensitivity field headed by their name, or rows of a grid form headed by their name. (Checkboxes named after behaviours, as on a source's
   * form, do not count: that page is not the analytics page.)
   */
  behaviourNames(page: Page): string[] {
    const { $, forms } = this.pages.doc(page);
    const texts = this.pages.targets(page).map((t) => t.text);
    for (const f of forms) {
      if (f.element && this.has(f, this.p.behaviour.sensitivity)) texts.push(formTitle($, f.element));
      // A grid: one row per behaviour, each with its own Sensitivity.
      for (const name of f.rowHeads()) if (this.has(f.forRow(name)!, this.p.behaviour.sensitivity)) texts.push(name);
    }
    return BEHAVIOURS.filter((b) => texts.some((t) => sameVisible(t, b)));
  }

  /** A page by its logical name (found through navigation when the guesses fail). */
  page(key: PageKey, fresh = false): Promise<Page> {
    return this.finder.find(key, fresh);
  }

  /** The form of a page that `pick` accepts, or a failure naming what the page showed. */
  formOn(page: Page, pick: (f: WebForm) => boolean, what: SubMessage, description: SubMessage): WebForm {
    const forms = this.pages.doc(page).forms;
    const f = forms.find(pick);
    if (f) return f;
    const seen = forms.flatMap((x) => x.labelsSeen()).slice(0, 20);
    throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noForm', { what, path: page.path, description, seen: seenList(seen) }, { page: page.path, seen });
  }

  /** The field a label names, or a failure with the page, the label sought and the labels seen. */
  need(form: WebForm, label: RegExp, what: SubMessage, kinds?: ControlKind[]): FormField {
    let f: FormField | undefined;
    try {
      f = form.field(label, kinds ? { kinds } : {});
    } catch (e) {
      if (e instanceof FormLookupError) {
        throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.ambiguousField', { what, path: this.pages.pathOf(form.action), reason: e.message }, { sought: e.sought, candidates: e.candidates });
      }
      throw e;
    }
    if (!f) {
      const seen = form.labelsSeen();
      throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noField', { what, label: String(label), seen: seenList(seen) }, { sought: String(label), seen });
    }
    return f;
  }

  /** True when the form has a field (control or radio group) with this label. */
  has(form: WebForm, label: RegExp): boolean {
    return !!this.optional(form, label);
  }

  /** Like `need`, but undefined when the form has no such field (an optional field). */
  optional(form: WebForm, label: RegExp, kinds?: ControlKind[]): FormField | undefined {
    try {
      return form.field(label, kinds ? { kinds } : {});
    } catch {
      return undefined;
    }
  }

  /**
   * Loads the form, applies the edit, submits it as a browser would. A refused form token (403, "expired") or a
   * re-login in between gets one fresh attempt. The answer is classified, never trusted: callers read back.
   */
  async submit(s: Submission): Promise<Submitted> {
    for (let attempt = 0; ; attempt++) {
      const page = await s.load(attempt > 0);
      const form = this.formOn(page, s.pick, s.what, s.formDescription);
      let e: FormEdit | null;
      try {
        e = s.edit(form);
      } catch (err) {
        if (err instanceof FormEditError || err instanceof FormLookupError) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.formEdit', { what: s.what, reason: err.message });
        throw err;
      }
      if (!e) return { posted: false };
      const submitter = s.submitLabel ? form.submitButton(s.submitLabel) : form.controls.find((c) => c.kind === 'submit' && !!c.name && !this.p.list.delete.test(c.label));
      const loginsBefore = this.session.logins;
      const answer = await this.pages.post(this.pages.pathOf(form.action), e.body(submitter));
      const outcome = this.judge(answer);
      if (attempt === 0 && (outcome.kind === 'token-refused' || this.session.logins !== loginsBefore)) continue;
      return { posted: true, outcome };
    }
  }

  /** Classifies a save answer. */
  judge(answer: Page): SaveOutcome {
    const isRedirect = answer.status >= 300 && answer.status < 400;
    return judgeSave(answer.status, answer.location, isRedirect ? undefined : this.pages.doc(answer).$, this.p);
  }

  /** The failure for a save that did not take, in the camera's own words when it gave any. */
  notTaken(what: SubMessage, outcome: SaveOutcome | undefined, readBack: SubMessage): AppFailure {
    const words = outcome?.words;
    if (words && this.p.messages.handlerLimit.test(words)) {
      return failure('HANDLER_LIMIT', 'errors.HANDLER_LIMIT.cameraRefused', { what, words }, { cameraSays: words });
    }
    if (words && this.p.messages.processingPower.test(words)) {
      return failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.processingPower', { what, words }, { cameraSays: words });
    }
    const isOddStatus = !!outcome && outcome.status !== 200 && !(outcome.status >= 300 && outcome.status < 400);
    const status = String(outcome?.status ?? '?');
    if (words) return failure('CAMERA_ERROR', isOddStatus ? 'errors.CAMERA_ERROR.refusedStatus' : 'errors.CAMERA_ERROR.refused', { what, words, status }, { cameraSays: words, status: outcome?.status });
    return failure('CAMERA_ERROR', isOddStatus ? 'errors.CAMERA_ERROR.notTakenStatus' : 'errors.CAMERA_ERROR.notTaken', { what, status, readBack }, { status: outcome?.status });
  }
}

/** The labels a form showed, quoted, for a "not found" message; a keyed "none" when it showed none. */
function seenList(seen: string[]): string | SubMessage {
  return seen.length ? seen.map((s) => `"${s}"`).join(', ') : sub('driver.word.none');
}
