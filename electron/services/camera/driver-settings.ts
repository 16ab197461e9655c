/**
 * System > General and the analytics pages, read and written by label (docs/camera.md §4): values are what a
 * person sees (an option's text; numbers compared as numbers on that text), every write is read back.
 */
import { checkSensitivity, type AnalyticsSettings, type BehaviourState, type GeneralSettings } from '../../../shared/domain/camera';
import { failure, ruleFailure, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import type { BehaviourPatch } from './driver';
import type { DriverCore } from './driver-core';
import { formTitle } from './form-title';
import { soapFailure, type OnvifDevice } from './machine-api';
import { navTargets } from './navigation';
import type { Page } from './page-access';
import { sameVisible, visibleValue, type FormEdit, type FormField, type WebForm } from './web-form';

const YES = /^(?:yes|on|enabled?|activated?|active|true|1)$/i;
const NO = /^(?:no|off|disabled?|deactivated?|inactive|false|0)$/i;

/** True when a two-state field (checkbox, yes/no radios or drop-down) reads "on". */
export function isOn(f: FormField): boolean {
  if (f.kind === 'checkbox') return f.controls[0].checked;
  return YES.test(visibleValue(f));
}

/**
 * What General Settings read back after a save that did not take: one field in the technician's language; several
 * as one English list (a keyed message cannot hold a list of keyed messages).
 */
function readsBackGeneral(wrong: { field: string; have: string; want: string }[]): SubMessage {
  if (wrong.length === 1) return sub('driver.readBack.field', wrong[0]);
  return sub('driver.readBack.values', { values: wrong.map((w) => `${w.field} "${w.have}" instead of "${w.want}"`).join(', ') });
}

/** Turns a two-state field on or off the way a person would. */
export function setOn(e: FormEdit, f: FormField, on: boolean): void {
  if (f.kind === 'checkbox') {
    e.setChecked(f.controls[0], on);
    return;
  }
  const choices = f.kind === 'select' ? f.controls[0].options.map((o) => o.text) : f.controls.map((c) => c.label);
  const want = choices.find((t) => (on ? YES : NO).test(t));
  if (!want) throw failure('CAMERA_ERROR', on ? 'errors.CAMERA_ERROR.noOnChoice' : 'errors.CAMERA_ERROR.noOffChoice', { label: f.label, choices: choices.join(', ') });
  e.setVisible(f, want);
}

/** General settings and analytics of one camera. */
export class SettingsPages {
  constructor(
    private readonly c: DriverCore,
    private readonly onvif: OnvifDevice,
  ) {}

  private get p() {
    return this.c.p;
  }

  /** Picks the General Settings form (the one with an SMTP server field). */
  readonly isGeneralForm = (f: WebForm) => f.method === 'POST' && !!f.find(this.p.general.smtpServer, { kinds: ['text'] });

  /** The General Settings page and form. */
  async generalForm(fresh = false): Promise<{ page: Page; form: WebForm }> {
    const page = await this.c.page('general', fresh);
    return { page, form: this.c.formOn(page, this.isGeneralForm, sub('driver.doing.readGeneral'), sub('driver.form.general')) };
  }

  private generalFrom(f: WebForm): GeneralSettings {
    const g = this.p.general;
    const text = (re: RegExp) => {
      const field = this.c.optional(f, re, ['text']);
      return field ? visibleValue(field) : '';
    };
    return { deviceName: text(g.deviceName), smtpServer: text(g.smtpServer), ntpServer: text(g.ntpServer) };
  }

  /** System > General. */
  async readGeneral(fresh = false): Promise<GeneralSettings> {
    return this.generalFrom((await this.generalForm(fresh)).form);
  }

  /**
   * Writes General fields (others posted back unchanged) and verifies them. An NTP server goes over ONVIF
   * SetNTP when the form has no NTP field (some firmware keeps time settings on another page).
   */
  async writeGeneral(patch: Partial<GeneralSettings>): Promise<GeneralSettings> {
    const labels = this.p.general;
    let keys = (Object.keys(patch) as (keyof GeneralSettings)[]).filter((k) => patch[k] !== undefined);
    let viaOnvif = false;
    if (keys.includes('ntpServer') && !this.c.optional((await this.generalForm()).form, labels.ntpServer, ['text'])) {
      keys = keys.filter((k) => k !== 'ntpServer');
      viaOnvif = true;
    }
    const what = sub('driver.doing.saveGeneral');
    const done =
      keys.length > 0
        ? await this.c.submit({
            what,
            load: async (fresh) => (await this.generalForm(fresh)).page,
            pick: this.isGeneralForm,
            formDescription: sub('driver.form.general'),
            edit: (f) => {
              const e = f.edit();
              for (const k of keys) e.setVisible(this.c.need(f, labels[k], what, ['text']), patch[k]!.trim());
              return e.hasChanges() ? e : null;
            },
          })
        : { posted: false };
    if (viaOnvif) {
      try {
        await this.onvif.setNtp(patch.ntpServer!.trim());
      } catch (e) {
        throw soapFailure(sub('driver.doing.setNtpOnvif'), e, this.c.baseUrl);
      }
    }
    const after = await this.readGeneral(done.posted || viaOnvif);
    const wrong = keys.filter((k) => after[k] !== patch[k]!.trim());
    if (wrong.length) throw this.c.notTaken(what, done.outcome, readsBackGeneral(wrong.map((k) => ({ field: k, have: after[k], want: patch[k]! }))));
    return after;
  }

  // ------------------------------------------------------------------ analytics

  /** Picks a behaviour form (activate + sensitivity). */
  private readonly isBehaviourForm = (f: WebForm) => f.method === 'POST' && this.c.has(f, this.p.behaviour.sensitivity) && !this.c.has(f, this.p.analyticsProfile.sceneType);

  /** The page and form of one behaviour: inline on the Analytics page, or behind the link named after it. */
  async behaviourForm(name: string, fresh = false): Promise<{ page: Page; form: WebForm }> {
    const what = sub('driver.doing.readBehaviour', { name });
    const analytics = await this.c.page('analytics', fresh);
    const pick = (page: Page): WebForm | undefined => {
      const { $, forms } = this.c.pages.doc(page);
      const candidates = forms.filter(this.isBehaviourForm);
      return candidates.find((f) => sameVisible(formTitle($, f.element!), name)) ?? (candidates.length === 1 && !this.c.behaviourNames(page).some((b) => b !== name && sameVisible(formTitle($, candidates[0].element!), b)) ? candidates[0] : undefined);
    };
    const inline = this.c.pages.doc(analytics).forms.filter(this.isBehaviourForm).length > 0 ? pick(analytics) : undefined;
    if (inline) return { page: analytics, form: inline };
    const row = this.gridRow(analytics, name);
    if (row) return { page: analytics, form: row };
    const link = navTargets(this.c.pages.doc(analytics).$, analytics.url).find((t) => sameVisible(t.text, name));
    if (!link) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noBehaviour', { what, name, path: analytics.path }, { page: analytics.path });
    const page = await this.c.pages.get(link.path, fresh);
    if (page.status !== 200) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.behaviourLinkStatus', { what, name, from: analytics.path, path: link.path, status: String(page.status) });
    const form = pick(page);
    if (!form) this.c.formOn(page, () => false, what, sub('driver.form.behaviour'));
    return { page, form: form! };
  }

  /** The row of a grid form headed by the behaviour's name, seen as its own form (the whole grid is still posted). */
  private gridRow(page: Page, name: string): WebForm | undefined {
    for (const f of this.c.pages.doc(page).forms) {
      if (f.method !== 'POST') continue;
      const row = f.forRow(name);
      if (row && this.c.has(row, this.p.behaviour.sensitivity)) return row;
    }
    return undefined;
  }

  private behaviourFrom(name: string, f: WebForm): BehaviourState {
    const what = sub('driver.doing.readBehaviour', { name });
    const active = this.c.need(f, this.p.behaviour.active, what, ['checkbox', 'radio', 'select']);
    const sens = this.c.need(f, this.p.behaviour.sensitivity, what, ['text', 'select', 'radio']);
    const value = Number(visibleValue(sens));
    if (!Number.isInteger(value)) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.sensitivityNotWhole', { what, value: visibleValue(sens) });
    return { name, active: isOn(active), sensitivity: value };
  }

  /** One behaviour's state, from its own form. */
  async readBehaviour(name: string, fresh = false): Promise<BehaviourState> {
    return this.behaviourFrom(name, (await this.behaviourForm(name, fresh)).form);
  }

  /** Analytics: the profile and every listed behaviour. */
  async readAnalytics(fresh = false): Promise<AnalyticsSettings> {
    const page = await this.c.page('analytics', fresh);
    const a = this.p.analyticsProfile;
    const f = this.c.pages.doc(page).forms.find((x) => this.c.has(x, a.sceneType) && this.c.has(x, a.sensitivity));
    const text = (re: RegExp) => {
      const field = f ? this.c.optional(f, re) : undefined;
      return field ? visibleValue(field) : '';
    };
    const profile = { sceneType: text(a.sceneType), background: text(a.background), fineTuning: text(a.fineTuning), sensitivity: Number(text(a.sensitivity) || NaN) };
    const behaviours: BehaviourState[] = [];
    for (const name of this.c.behaviourNames(page)) behaviours.push(await this.readBehaviour(name, false));
    return { profile, behaviours };
  }

  /** Changes one behaviour and verifies it by reading its form back. */
  async setBehaviour(name: string, patch: BehaviourPatch): Promise<BehaviourState> {
    if (patch.sensitivity !== undefined) {
      const bad = checkSensitivity(`${name} sensitivity`, patch.sensitivity);
      if (bad) throw ruleFailure('VALIDATION', bad);
    }
    const what = sub('driver.doing.setBehaviour', { name });
    const b = this.p.behaviour;
    // A page may hold several behaviour forms: the one found for this name is the one submitted.
    let chosen: WebForm | undefined;
    const done = await this.c.submit({
      what,
      load: async (fresh) => {
        const r = await this.behaviourForm(name, fresh);
        chosen = r.form;
        return r.page;
      },
      // The same <form> element (a grid row is a view of the grid's form).
      pick: (f) => f.element === chosen?.element,
      formDescription: sub('driver.form.behaviour'),
      edit: (whole) => {
        const f = chosen && chosen !== whole && chosen.element === whole.element ? chosen : whole;
        const e = f.edit();
        if (patch.active !== undefined) setOn(e, this.c.need(f, b.active, what, ['checkbox', 'radio', 'select']), patch.active);
        if (patch.sensitivity !== undefined) e.setVisible(this.c.need(f, b.sensitivity, what, ['text', 'select', 'radio']), String(patch.sensitivity));
        return e.hasChanges() ? e : null;
      },
    });
    const got = await this.readBehaviour(name, done.posted);
    if ((patch.active !== undefined && got.active !== patch.active) || (patch.sensitivity !== undefined && got.sensitivity !== patch.sensitivity)) {
      throw this.c.notTaken(what, done.outcome, sub(got.active ? 'driver.readBack.active' : 'driver.readBack.inactive', { sensitivity: String(got.sensitivity) }));
    }
    return got;
  }

  /** Changes the profile sensitivity and verifies it. */
  async setProfileSensitivity(sensitivity: number): Promise<AnalyticsSettings> {
    const bad = checkSensitivity('Profile sensitivity', sensitivity);
    if (bad) throw ruleFailure('VALIDATION', bad);
    const a = this.p.analyticsProfile;
    const what = sub('driver.doing.setProfile');
    const done = await this.c.submit({
      what,
      load: (fresh) => this.c.page('analytics', fresh),
      pick: (x) => this.c.has(x, a.sceneType) && this.c.has(x, a.sensitivity),
      formDescription: sub('driver.form.profile'),
      edit: (f) => {
        const e = f.edit().setVisible(this.c.need(f, a.sensitivity, what, ['text', 'select', 'radio']), String(sensitivity));
        return e.hasChanges() ? e : null;
      },
    });
    const after = await this.readAnalytics(true);
    if (after.profile.sensitivity !== sensitivity) {
      throw this.c.notTaken(what, done.outcome, sub('driver.readBack.profileSensitivity', { have: String(after.profile.sensitivity), want: String(sensitivity) }));
    }
    return after;
  }
}
