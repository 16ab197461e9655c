/**
 * `SarixWebDriver`: the CameraDriver over the camera's own web forms (docs/camera.md §4), Pelco SOAP and ONVIF
 * (§5). It reads a camera the way a person does (docs/architecture.md §3.21): pages are found by their known
 * paths or through the camera's navigation (navigation.ts), fields by their visible label (labels.ts), values
 * by what the person sees (web-form.ts); every write posts the whole form back and is read back. Its undo is
 * raw (raw-form.ts): a form is recorded exactly as read and written back exactly so. The parts live in
 * driver-settings.ts (General, analytics), driver-events.ts + item-kinds.ts (sources, handlers) and
 * driver-identity.ts; nothing here knows a field name, and every firmware assumption is profile data.
 */
import {
  MAX_HANDLERS,
  checkEmailHandlerSpec,
  checkHandlerRoom,
  checkName,
  type AnalyticsSettings,
  type BehaviourState,
  type CameraIdentity,
  type ClockReading,
  type EmailHandlerSpec,
  type EventHandler,
  type EventSource,
  type FormRef,
  type GeneralSettings,
  type RawForm,
} from '../../../shared/domain/camera';
import { failure, ruleFailure, sub } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';
import type { BehaviourPatch, CameraDriver, DriverStats, EnsureResult, HandlerList, SarixWebDriverOptions } from './driver';
import { DriverCore } from './driver-core';
import { ItemPages } from './driver-events';
import { readClock, readIdentity, type IdentityDeps } from './driver-identity';
import { SettingsPages } from './driver-settings';
import { SARIX_PROFILE, type FirmwareProfile } from './firmware-profile';
import { handlerKind, sourceKind } from './item-kinds';
import { OnvifDevice, PelcoSoap } from './machine-api';
import type { FindTrace } from './navigation';
import { PageAccess, type Page } from './page-access';
import { applyBackup, compareWithBackup, snapshotForm } from './raw-form';
import type { WebForm } from './web-form';
import { WebSession } from './web-session';

/** The web-form driver for one camera. */
export class SarixWebDriver implements CameraDriver {
  readonly baseUrl: string;
  readonly host: string;
  private readonly p: FirmwareProfile;
  private readonly session: WebSession;
  private readonly core: DriverCore;
  private readonly settings: SettingsPages;
  private readonly sources: ItemPages<EventSource>;
  private readonly handlers: ItemPages<EventHandler>;
  private readonly ids: IdentityDeps;

  constructor(o: SarixWebDriverOptions) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw failure('VALIDATION', 'errors.VALIDATION.notCameraUrl', { url: o.url });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw failure('VALIDATION', 'errors.VALIDATION.cameraUrlScheme', { url: o.url });
    if (u.username || u.password) throw failure('VALIDATION', 'errors.VALIDATION.credentialsInCameraUrl');
    if (!o.username) throw failure('VALIDATION', 'errors.VALIDATION.cameraUserEmpty');
    this.baseUrl = u.origin;
    this.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    this.p = o.profile ?? SARIX_PROFILE;
    const now = o.now ?? Date.now;
    this.session = new WebSession({ baseUrl: u.origin, username: o.username, password: o.password, timeoutMs: o.timeoutMs ?? 8000, profile: this.p, logger: o.logger, onExchange: o.onExchange, idleSocketMs: o.idleSocketMs });
    this.core = new DriverCore(this.baseUrl, this.p, this.session, new PageAccess(this.session));
    const soap = new PelcoSoap(this.session, this.p);
    const onvif = new OnvifDevice(this.session, this.p, { username: o.username, password: o.password }, now);
    this.settings = new SettingsPages(this.core, onvif);
    this.sources = new ItemPages(this.core, sourceKind(this.core));
    this.handlers = new ItemPages(this.core, handlerKind(this.core));
    this.ids = { baseUrl: this.baseUrl, session: this.session, soap, onvif, p: this.p, now, deviceName: async () => (await this.readGeneral()).deviceName };
  }

  /** Logs in (checks the credentials). */
  async login(): Promise<void> {
    await this.session.login();
  }

  /** Identity from Pelco SOAP, then ONVIF, then the UPnP description, then the web UI. */
  identity(): Promise<CameraIdentity> {
    return readIdentity(this.ids);
  }

  /** Camera clock via ONVIF, else via the HTTP Date header. */
  clock(): Promise<ClockReading> {
    return readClock(this.ids);
  }

  /** System > General. */
  readGeneral(): Promise<GeneralSettings> {
    return this.settings.readGeneral();
  }

  /** Writes General fields (others posted back unchanged) and verifies them. */
  writeGeneral(patch: Partial<GeneralSettings>): Promise<GeneralSettings> {
    return this.settings.writeGeneral(patch);
  }

  /** SMTP server (web form only: no machine interface has it, docs/camera.md §5). */
  setSmtpServer(host: string): Promise<GeneralSettings> {
    return this.writeGeneral({ smtpServer: host });
  }

  /** NTP server: the web form, or ONVIF SetNTP when the form has no NTP field. */
  setNtpServer(host: string): Promise<GeneralSettings> {
    return this.writeGeneral({ ntpServer: host });
  }

  /** Events > Sources (name and type from the list when it shows them). */
  async listSources(): Promise<EventSource[]> {
    const { rows } = await this.sources.rows();
    const t = this.p.source.typeOptions;
    return rows.map((r) => ({ name: r.name, type: (Object.keys(t) as (keyof typeof t)[]).find((k) => t[k].test(r.type)) ?? 'unknown' }));
  }

  /** One source in full (its edit page), or undefined. */
  readSource(name: string): Promise<EventSource | undefined> {
    return this.sources.read(name);
  }

  /** Ensures an analytics source firing on the given behaviours (idempotent). */
  ensureAnalyticsSource(name: string, behaviours: readonly string[]): Promise<EnsureResult<EventSource>> {
    const bad = checkName('Source name', name);
    if (bad) throw ruleFailure('VALIDATION', bad);
    return this.sources.put({ name, type: 'analytics', anyBehaviour: false, behaviours: [...behaviours] }, sub('driver.doing.createSource', { name }));
  }

  /** Deletes a source (the camera refuses while a handler uses it). */
  deleteSource(name: string): Promise<void> {
    return this.sources.delete(name);
  }

  /** Events > Handlers, with the count against the limit (rows are counted, not the page's counter). */
  async listHandlers(): Promise<HandlerList> {
    const { rows } = await this.handlers.rows();
    const t = this.p.handler.typeOptions;
    const handlers = rows.map((r) => ({
      name: r.name,
      type: (Object.keys(t) as (keyof typeof t)[]).find((k) => t[k].test(r.type)) ?? ('unknown' as const),
      sources: r.sources
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }));
    return { handlers, used: handlers.length, max: MAX_HANDLERS };
  }

  /** One handler in full (its edit page), or undefined. */
  readHandler(name: string): Promise<EventHandler | undefined> {
    return this.handlers.read(name);
  }

  /** Ensures a Send Email handler matches the spec (idempotent; the 21st is refused). */
  ensureEmailHandler(spec: EmailHandlerSpec): Promise<EnsureResult<EventHandler>> {
    const problems = checkEmailHandlerSpec(spec);
    // One problem reads in the technician's language from its key; several are joined as the English sent them.
    if (problems.length) throw problems.length === 1 ? ruleFailure('VALIDATION', problems[0]) : new AppFailure('VALIDATION', problems.map((p) => p.message).join(' '));
    return this.handlers.put({ ...spec, type: 'send-email' }, sub('driver.doing.createHandler', { name: spec.name }), (rows) => {
      const room = checkHandlerRoom(rows.length);
      if (room) throw ruleFailure('HANDLER_LIMIT', room, { used: rows.length, max: MAX_HANDLERS });
    });
  }

  /** Deletes a handler. */
  deleteHandler(name: string): Promise<void> {
    return this.handlers.delete(name);
  }

  /** Analytics: profile and behaviours. */
  readAnalytics(): Promise<AnalyticsSettings> {
    return this.settings.readAnalytics();
  }

  /** One behaviour, from its own form. */
  readBehaviour(name: string): Promise<BehaviourState> {
    return this.settings.readBehaviour(name);
  }

  /** Changes one behaviour (e.g. Camera Sabotage active + sensitivity), then verifies it. */
  setBehaviour(name: string, patch: BehaviourPatch): Promise<BehaviourState> {
    return this.settings.setBehaviour(name, patch);
  }

  /** Changes the analytics profile sensitivity (1–10), then verifies it. */
  setProfileSensitivity(sensitivity: number): Promise<AnalyticsSettings> {
    return this.settings.setProfileSensitivity(sensitivity);
  }

  // ------------------------------------------------------------------ raw forms (backup and exact undo)

  private async rawTarget(ref: FormRef, fresh: boolean): Promise<{ page: Page; form: WebForm } | undefined> {
    if (ref.page === 'general') return this.settings.generalForm(fresh);
    if (ref.page === 'behaviour') return this.settings.behaviourForm(ref.item, fresh);
    return (ref.page === 'source' ? this.sources : this.handlers).formOf(ref.item, fresh);
  }

  /** A form exactly as the camera shows it now; null when the source or handler does not exist. */
  async readForm(ref: FormRef): Promise<RawForm | null> {
    const t = await this.rawTarget(ref, true);
    return t ? snapshotForm(t.form, ref.page, t.page.path, 'item' in ref ? ref.item : undefined) : null;
  }

  /** What differs between the camera now and a recorded form (empty when identical). */
  async compareForm(ref: FormRef, backup: RawForm | null): Promise<string[]> {
    const t = await this.rawTarget(ref, true);
    const name = 'item' in ref ? `${ref.page} "${ref.item}"` : 'System > General';
    if (!backup) return t ? [`the ${name} exists; it did not before`] : [];
    if (!t) return [`the ${name} no longer exists`];
    return compareWithBackup(t.form, backup).map((d) => `${name}: ${d}`);
  }

  /**
   * Puts a form back exactly as recorded (raw values only, never a computed one) and verifies by reading the raw
   * values back; a null record means the item did not exist, so it is deleted. Throws naming each field that
   * still differs and what it reads now.
   */
  async restoreForm(ref: FormRef, backup: RawForm | null): Promise<void> {
    const what = 'item' in ref ? sub('driver.doing.restoreItem', { page: ref.page, name: ref.item }) : sub('driver.doing.restoreGeneral');
    if (!backup) {
      if (ref.page === 'source') await this.sources.delete(ref.item);
      else if (ref.page === 'handler') await this.handlers.delete(ref.item);
      else throw failure('INTERNAL', 'errors.INTERNAL.noRestoreRecord', { what });
      return;
    }
    let target = await this.rawTarget(ref, false);
    if (!target && (ref.page === 'source' || ref.page === 'handler')) {
      throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.restoreGone', { what });
    }
    let chosen = target!.form;
    const done = await this.core.submit({
      what,
      load: async (fresh) => {
        if (fresh) target = await this.rawTarget(ref, true);
        chosen = target!.form;
        return target!.page;
      },
      // The same <form> element (a behaviour in a grid is a view of the grid's form; the whole form is restored).
      pick: (f) => f.element === chosen.element,
      formDescription: sub('driver.form.recorded'),
      edit: (f) => {
        const e = f.edit();
        const problems = applyBackup(f, backup, e);
        if (problems.length) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.restoreInexact', { what, problems: problems.join('; ') }, { problems });
        return e.hasChanges() ? e : null;
      },
    });
    const diffs = await this.compareForm(ref, backup);
    if (diffs.length) throw this.core.notTaken(what, done.outcome, sub('driver.readBack.stillDiffers', { diffs: diffs.join('; ') }));
  }

  // ------------------------------------------------------------------ misc

  /** Starts over on fresh connections with a fresh login (an undo's retry after a dead link or a lost session). */
  reconnect(): void {
    this.session.renew();
    this.core.pages.clear();
  }

  /** Where each logical page was looked for and found (captures). */
  pageTraces(): FindTrace[] {
    return this.core.finder.traces;
  }

  /** The session's cookie values (captures blank them). */
  sessionSecrets(): Promise<string[]> {
    return this.session.cookieValues();
  }

  /** Request and login counters. */
  stats(): DriverStats {
    return { requests: this.session.requests, logins: this.session.logins, writes: this.session.writes };
  }

  /** Forgets the session. */
  close(): void {
    this.core.pages.clear();
    this.session.reset();
  }
}
