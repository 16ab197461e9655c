/**
 * `SarixWebDriver`: the CameraDriver over the camera's own web forms (docs/camera.md §4), Pelco SOAP and ONVIF (§5).
 * Writes follow §4 to the letter: fetch the page, find fields by their visible label, post back every field of
 * the form with only the intended values changed, then read the page again and verify the value took. Nothing
 * here knows a field name; every assumption about firmware lives in firmware-profile.ts.
 */
import * as cheerio from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import {
  MAX_HANDLERS,
  checkEmailHandlerSpec,
  checkHandlerRoom,
  checkName,
  checkSensitivity,
  normalizeMac,
  type AnalyticsSettings,
  type BehaviourState,
  type CameraIdentity,
  type ClockReading,
  type EmailHandlerSpec,
  type EventHandler,
  type EventSource,
  type GeneralSettings,
} from '../../../shared/domain/camera';
import { AppFailure } from '../../../shared/ipc/result';
import type { BehaviourPatch, CameraDriver, DriverStats, EnsureResult, HandlerList, SarixWebDriverOptions } from './driver';
import { SARIX_PROFILE, type FirmwareProfile } from './firmware-profile';
import { OnvifDevice, PelcoSoap, SoapFault, soapFailure, xmlText } from './machine-api';
import { FormEditError, loadHtml, normalizeText, WebForm, type FormControl, type FormEdit } from './web-form';
import { WebSession, type WebResponse } from './web-session';

/** One row of a list page (sources, handlers). */
interface ListRow {
  name: string;
  cells: string[];
  editPath?: string;
  deleteForm?: WebForm;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.some((y) => sameName(x, y)));

/** The web-form driver for one camera. */
export class SarixWebDriver implements CameraDriver {
  readonly baseUrl: string;
  readonly host: string;
  private readonly p: FirmwareProfile;
  private readonly session: WebSession;
  private readonly soap: PelcoSoap;
  private readonly onvif: OnvifDevice;
  private readonly now: () => number;
  /** Parsed documents and forms per response: every page is parsed once, however many readers it has. */
  private readonly parsed = new WeakMap<WebResponse, { $: cheerio.CheerioAPI; forms: WebForm[] }>();
  /** GET answers by path, until a save makes them stale (see FirmwareProfile.staleAfterSave) or a new login. */
  private readonly cache = new Map<string, WebResponse>();
  private cacheLogins = 0;

  constructor(o: SarixWebDriverOptions) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw new AppFailure('VALIDATION', `"${o.url}" is not a camera URL: use http://ADDRESS or http://ADDRESS:PORT.`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppFailure('VALIDATION', `"${o.url}" must start with http:// or https://.`);
    if (u.username || u.password) throw new AppFailure('VALIDATION', 'Give the user name and password separately, not inside the camera URL.');
    if (!o.username) throw new AppFailure('VALIDATION', 'The camera user name is empty: enter the admin user (legacy factory login: admin).');
    this.baseUrl = u.origin;
    this.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    this.p = o.profile ?? SARIX_PROFILE;
    this.now = o.now ?? Date.now;
    this.session = new WebSession({ baseUrl: u.origin, username: o.username, password: o.password, timeoutMs: o.timeoutMs ?? 8000, profile: this.p, logger: o.logger });
    this.soap = new PelcoSoap(this.session, this.p);
    this.onvif = new OnvifDevice(this.session, this.p, { username: o.username, password: o.password }, this.now);
  }

  // ------------------------------------------------------------------ plumbing

  /** GET a setup page, from the cache when no save on its group happened since. */
  private async get(path: string, fresh = false): Promise<WebResponse> {
    if (this.session.logins !== this.cacheLogins) {
      // A new login means new form tokens: forget every cached form.
      this.cache.clear();
      this.cacheLogins = this.session.logins;
    }
    const hit = this.cache.get(path);
    if (hit && !fresh) return hit;
    const r = await this.session.page('GET', path);
    if (r.status !== 200) throw new AppFailure('CAMERA_ERROR', `The camera answered HTTP ${r.status} for ${path}; try again.`, { status: r.status });
    const pathNow = new URL(r.url).pathname + new URL(r.url).search;
    this.cache.set(path, r);
    if (pathNow !== path) this.cache.set(pathNow, r);
    this.cacheLogins = this.session.logins;
    return r;
  }

  private doc(r: WebResponse): { $: cheerio.CheerioAPI; forms: WebForm[] } {
    let d = this.parsed.get(r);
    if (!d) {
      const $ = loadHtml(r.body);
      d = { $, forms: WebForm.parseAll($, r.url) };
      this.parsed.set(r, d);
    }
    return d;
  }

  /** The first form of a page that `pick` accepts. */
  private formOf(r: WebResponse, pick: (f: WebForm) => boolean): WebForm | undefined {
    return this.doc(r).forms.find(pick);
  }

  private forget(savedPath: string): void {
    for (const k of [...this.cache.keys()]) if (this.p.staleAfterSave(savedPath, k)) this.cache.delete(k);
  }

  private pathOf(url: string): string {
    const u = new URL(url, this.baseUrl);
    return u.pathname + u.search;
  }

  /** The camera's error text on a re-rendered page, if any. */
  private errorOf(r: WebResponse): string {
    const { $ } = this.doc(r);
    return $(this.p.errorSelector)
      .toArray()
      .map((el) => normalizeText($(el).text()))
      .filter(Boolean)
      .join(' ');
  }

  /**
   * Loads a page's form, lets `edit` change it, and submits it as a browser would. Returns false when the edit
   * changed nothing (nothing posted). A refused token (403) or a re-login in between gets one fresh attempt.
   */
  private async submit(pagePath: string, pick: (f: WebForm) => boolean, edit: (f: WebForm) => FormEdit | null, what: string, submitLabel?: RegExp): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const page = await this.get(pagePath, attempt > 0);
      const form = this.formOf(page, pick);
      if (!form) throw new AppFailure('CAMERA_ERROR', `${what}: the page ${pagePath} has no form this app recognises; the firmware may differ. Send a capture of the page to support.`);
      let e: FormEdit | null;
      try {
        e = edit(form);
      } catch (err) {
        if (err instanceof FormEditError) throw new AppFailure('CAMERA_ERROR', `${what}: ${err.message}`);
        throw err;
      }
      if (!e) return false;
      const submitter = submitLabel ? form.submitButton(submitLabel) : undefined;
      const loginsBefore = this.session.logins;
      const actionPath = this.pathOf(form.action);
      const r = await this.session.page('POST', actionPath, e.body(submitter));
      this.forget(actionPath);
      this.forget(pagePath);
      if (r.status >= 300 && r.status < 400) return true;
      const cameraSays = this.errorOf(r);
      const tokenRefused = r.status === 403 || /expired|reload the page/i.test(cameraSays);
      if (attempt === 0 && (tokenRefused || this.session.logins !== loginsBefore)) continue;
      if (cameraSays) throw this.cameraRefused(what, cameraSays);
      // Some firmware answers a save with the page itself instead of a redirect [A]: the read-back decides.
      if (r.status === 200) return true;
      throw new AppFailure('CAMERA_ERROR', `${what}: the camera did not confirm the save (HTTP ${r.status}, no message). Check the page on the camera and try again.`, { status: r.status });
    }
  }

  private cameraRefused(what: string, cameraSays: string): AppFailure {
    if (/maximum number of (event )?handlers|handlers? .*reached/i.test(cameraSays)) {
      return new AppFailure('HANDLER_LIMIT', `${what}: the camera refused: "${cameraSays}" Delete an unused handler on Events > Handlers, or reuse an existing Send Email handler.`);
    }
    if (/processing power/i.test(cameraSays)) {
      return new AppFailure('CAMERA_ERROR', `${what}: the camera refused: "${cameraSays}". Deactivate another analytics behaviour first, then try again.`);
    }
    return new AppFailure('CAMERA_ERROR', `${what}: the camera refused: "${cameraSays}"`, { cameraSays });
  }

  private need(form: WebForm, label: RegExp, what: string, kinds?: FormControl['kind'][]): FormControl {
    const c = form.find(label, kinds ? { kinds } : {});
    if (!c) throw new AppFailure('CAMERA_ERROR', `${what}: no field labelled like ${label} on the camera's page; its firmware may differ. Send a capture of the page to support.`);
    return c;
  }

  // ------------------------------------------------------------------ session, identity, clock

  /** Logs in (checks the credentials). */
  async login(): Promise<void> {
    await this.session.login();
  }

  /** Identity from Pelco SOAP, then ONVIF, then the UPnP description, then the web UI. */
  async identity(): Promise<CameraIdentity> {
    const id: CameraIdentity = { model: '', firmware: '', mac: '', serial: '', name: '', sources: [] };
    const fill = (k: 'model' | 'firmware' | 'mac' | 'serial' | 'name', v: string, src: string) => {
      if (!id[k] && v) {
        id[k] = v;
        if (!id.sources.includes(src)) id.sources.push(src);
      }
    };
    const complete = () => id.model && id.firmware && id.mac && id.serial && id.name;
    let authError: AppFailure | undefined;
    try {
      const cfgNode = await this.soap.call('PelcoConfiguration', 'GetConfiguration');
      const cfg = (cfgNode.pelcoConfig ?? cfgNode) as Record<string, unknown>;
      const f = this.p.pelcoSoap.configFields;
      for (const k of ['model', 'firmware', 'mac', 'serial', 'name'] as const) fill(k, xmlText(cfg[f[k]]), 'pelco-soap');
    } catch (e) {
      if (e instanceof SoapFault && e.status === 401) authError = soapFailure('Reading the camera identity', e, this.baseUrl);
      else if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
    }
    if (!complete()) {
      try {
        const info = await this.onvif.deviceInformation();
        fill('model', info.model, 'onvif');
        fill('firmware', info.firmware, 'onvif');
        fill('serial', info.serial, 'onvif');
        if (!id.mac) fill('mac', await this.onvif.mac(), 'onvif');
      } catch (e) {
        if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
      }
    }
    if (!complete()) await this.identityFromDescription(fill);
    if (!id.name) {
      try {
        fill('name', (await this.readGeneral()).deviceName, 'web');
      } catch (e) {
        if (e instanceof AppFailure && e.code === 'AUTH_FAILED') throw e;
      }
    }
    if (!id.model && !id.mac && authError) throw authError;
    if (!id.model && !id.mac) throw new AppFailure('CAMERA_ERROR', `${this.baseUrl} answered neither the Pelco API, ONVIF nor a UPnP description: it may not be a Sarix camera.`);
    id.mac = normalizeMac(id.mac) ?? id.mac;
    return id;
  }

  private async identityFromDescription(fill: (k: 'model' | 'firmware' | 'mac' | 'serial' | 'name', v: string, src: string) => void): Promise<void> {
    const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });
    for (const path of this.p.descriptionPaths) {
      try {
        const r = await this.session.http.get<string>(path);
        if (r.status !== 200 || typeof r.data !== 'string') continue;
        const doc = xml.parse(r.data) as Record<string, unknown>;
        const found: Record<string, string> = {};
        const walk = (n: unknown) => {
          if (!n || typeof n !== 'object') return;
          for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
            if (typeof v === 'string' && !(k in found)) found[k] = v;
            else walk(v);
          }
        };
        walk(doc);
        fill('model', found.modelName ?? '', 'description');
        fill('serial', found.serialNumber ?? '', 'description');
        fill('mac', found.MAC ?? found.mac ?? '', 'description');
        fill('name', found.friendlyName ?? '', 'description');
        fill('firmware', found.firmwareVersion ?? found.softwareVersion ?? '', 'description');
        return;
      } catch {
        // Try the next path; the description is only a fallback.
      }
    }
  }

  /** Camera clock via ONVIF, else via the HTTP Date header of the live view page. */
  async clock(): Promise<ClockReading> {
    try {
      const t = await this.onvif.systemDateAndTime();
      return { cameraTime: new Date(t.cameraMs).toISOString(), localTime: new Date(t.localMs).toISOString(), skewMs: t.skewMs, via: 'onvif' };
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
    }
    const before = this.now();
    let r;
    try {
      r = await this.session.http.get<string>(this.p.pages.liveview);
    } catch (e) {
      throw soapFailure('Reading the camera clock', e, this.baseUrl);
    }
    const after = this.now();
    const date = Date.parse(String(r.headers.date ?? ''));
    if (Number.isNaN(date)) throw new AppFailure('CAMERA_ERROR', `The camera at ${this.baseUrl} reports its time neither over ONVIF nor in an HTTP Date header.`);
    const local = Math.round((before + after) / 2);
    return { cameraTime: new Date(date).toISOString(), localTime: new Date(local).toISOString(), skewMs: date - local, via: 'http-date' };
  }

  // ------------------------------------------------------------------ general settings

  private generalForm(page: WebResponse): WebForm {
    const f = this.formOf(page, (x) => !!x.find(this.p.general.smtpServer));
    if (!f) throw new AppFailure('CAMERA_ERROR', `The General Settings page of ${this.baseUrl} has no SMTP server field; its firmware may differ. Send a capture of the page to support.`);
    return f;
  }

  private generalFrom(f: WebForm): GeneralSettings {
    return {
      deviceName: f.find(this.p.general.deviceName)?.value ?? '',
      smtpServer: f.find(this.p.general.smtpServer)?.value ?? '',
      ntpServer: f.find(this.p.general.ntpServer)?.value ?? '',
    };
  }

  /** System > General. */
  async readGeneral(): Promise<GeneralSettings> {
    return this.generalFrom(this.generalForm(await this.get(this.p.pages.general)));
  }

  /**
   * Writes General fields (others posted back unchanged) and verifies them. An NTP server goes over ONVIF
   * SetNTP when the form has no NTP field (some firmware keeps time settings on another page).
   */
  async writeGeneral(patch: Partial<GeneralSettings>): Promise<GeneralSettings> {
    const labels = this.p.general;
    let keys = (Object.keys(patch) as (keyof GeneralSettings)[]).filter((k) => patch[k] !== undefined);
    let viaOnvif = false;
    if (keys.includes('ntpServer') && !this.generalForm(await this.get(this.p.pages.general)).find(labels.ntpServer)) {
      keys = keys.filter((k) => k !== 'ntpServer');
      viaOnvif = true;
    }
    const posted =
      keys.length > 0 &&
      (await this.submit(
        this.p.pages.general,
        (x) => !!x.find(labels.smtpServer),
        (f) => {
          const e = f.edit();
          for (const k of keys) e.setValue(this.need(f, labels[k], 'General Settings', ['text']), patch[k]!.trim());
          return e.hasChanges() ? e : null;
        },
        'Saving General Settings',
      ));
    if (viaOnvif) {
      try {
        await this.onvif.setNtp(patch.ntpServer!.trim());
      } catch (e) {
        throw soapFailure('Setting the NTP server over ONVIF', e, this.baseUrl);
      }
    }
    const after = await this.readGeneral();
    if (!posted) return after;
    const wrong = keys.filter((k) => after[k] !== patch[k]!.trim());
    if (wrong.length) {
      throw new AppFailure('CAMERA_ERROR', `The camera accepted General Settings but reads back ${wrong.map((k) => `${k} "${after[k]}" instead of "${patch[k]}"`).join(', ')}. Check the value on the camera's page.`);
    }
    return after;
  }

  /** SMTP server (web form only: no machine interface has it, docs/camera.md §5). */
  setSmtpServer(host: string): Promise<GeneralSettings> {
    return this.writeGeneral({ smtpServer: host });
  }

  /** NTP server: the web form, or ONVIF SetNTP when the form has no NTP field. */
  setNtpServer(host: string): Promise<GeneralSettings> {
    return this.writeGeneral({ ntpServer: host });
  }

  // ------------------------------------------------------------------ list pages

  private readonly rowsMemo = new WeakMap<WebResponse, ListRow[]>();
  private readonly analyticsMemo = new WeakMap<WebResponse, { settings: AnalyticsSettings; links: Map<string, string> }>();

  private listRows(page: WebResponse): ListRow[] {
    const memo = this.rowsMemo.get(page);
    if (memo) return memo;
    const { $, forms } = this.doc(page);
    const rows: ListRow[] = [];
    this.rowsMemo.set(page, rows);
    $(this.p.list.row).each((_i, tr) => {
      const cells = $(tr).children('td');
      if (cells.length === 0) return;
      const texts = cells.toArray().map((c) => normalizeText($(c).text()));
      const edit = $(tr)
        .find('a[href]')
        .toArray()
        .find((a) => this.p.list.editLink.test($(a).text()));
      const inRow = new Set($(tr).find('form').toArray());
      const deleteForm = forms.find((f) => f.element && inRow.has(f.element) && f.submitButton(this.p.list.deleteButton));
      rows.push({ name: texts[0], cells: texts, editPath: edit ? this.pathOf(new URL($(edit).attr('href')!, page.url).toString()) : undefined, deleteForm });
    });
    return rows;
  }

  private addPath(page: WebResponse, label: RegExp, what: string): string {
    const { $ } = this.doc(page);
    const a = $('a[href]')
      .toArray()
      .find((el) => label.test(normalizeText($(el).text())));
    if (!a) throw new AppFailure('CAMERA_ERROR', `${what}: no "Add" link on ${new URL(page.url).pathname}; the firmware may differ. Send a capture of the page to support.`);
    return this.pathOf(new URL($(a).attr('href')!, page.url).toString());
  }

  private async deleteRow(listPath: string, name: string, what: string): Promise<void> {
    const rows = this.listRows(await this.get(listPath, true));
    const row = rows.find((r) => r.name === name) ?? rows.find((r) => sameName(r.name, name));
    if (!row) return;
    if (!row.deleteForm) throw new AppFailure('CAMERA_ERROR', `${what}: no Delete button next to "${name}"; the firmware may differ.`);
    const form = row.deleteForm;
    const r = await this.session.page('POST', this.pathOf(form.action), form.edit().body(form.submitButton(this.p.list.deleteButton)));
    this.forget(listPath);
    if (!(r.status >= 300 && r.status < 400)) {
      const says = this.errorOf(r);
      throw says ? this.cameraRefused(what, says) : new AppFailure('CAMERA_ERROR', `${what}: the camera did not confirm the deletion (HTTP ${r.status}).`);
    }
    const after = this.listRows(await this.get(listPath, true));
    if (after.some((r2) => r2.name === row.name)) throw new AppFailure('CAMERA_ERROR', `${what}: "${name}" is still listed after deletion. Delete it on the camera's page.`);
  }

  // ------------------------------------------------------------------ sources

  private sourceType(text: string): EventSource['type'] {
    const t = this.p.source.typeOptions;
    return (Object.keys(t) as (keyof typeof t)[]).find((k) => t[k].test(text)) ?? 'unknown';
  }

  private sourceForm(page: WebResponse): WebForm | undefined {
    return this.formOf(page, (x) => !!x.find(this.p.source.type, { kinds: ['select'] }));
  }

  private sourceFrom(f: WebForm): EventSource {
    const s = this.p.source;
    const typeCtl = f.find(s.type, { kinds: ['select'] });
    const typeText = typeCtl?.options.find((o) => o.value === typeCtl.value)?.text ?? '';
    const type = this.sourceType(typeText);
    const out: EventSource = { name: f.find(s.name, { kinds: ['text'] })?.value ?? '', type };
    if (type === 'analytics') {
      out.anyBehaviour = f.find(s.anyAnalytics, { kinds: ['checkbox'] })?.checked ?? false;
      out.behaviours = f
        .group(s.behavioursGroup)
        .filter((c) => c.checked)
        .map((c) => c.label);
    }
    return out;
  }

  /** Events > Sources (name and type from the list). */
  async listSources(): Promise<EventSource[]> {
    return this.listRows(await this.get(this.p.pages.sources)).map((r) => ({ name: r.name, type: this.sourceType(r.cells[1] ?? '') }));
  }

  /** Full details of one source (its edit page), or undefined when absent. */
  async readSource(name: string): Promise<EventSource | undefined> {
    const row = this.listRows(await this.get(this.p.pages.sources)).find((r) => sameName(r.name, name));
    if (!row?.editPath) return undefined;
    return (await this.readSourceAt(row.editPath, false)).source;
  }

  private async readSourceAt(editPath: string, fresh: boolean): Promise<{ source: EventSource; page: WebResponse }> {
    const page = await this.get(editPath, fresh);
    const f = this.sourceForm(page);
    if (!f) throw new AppFailure('CAMERA_ERROR', `The source page ${editPath} has no Source Type field; the firmware may differ.`);
    return { source: this.sourceFrom(f), page };
  }

  private editSource(f: WebForm, want: EventSource, what: string): FormEdit | null {
    const s = this.p.source;
    const e = f.edit();
    e.setValue(this.need(f, s.name, what, ['text']), want.name);
    if (want.type !== 'unknown') e.selectByText(this.need(f, s.type, what, ['select']), s.typeOptions[want.type]);
    if (want.type === 'analytics') {
      e.setChecked(this.need(f, s.anyAnalytics, what, ['checkbox']), want.anyBehaviour ?? false);
      const boxes = f.group(s.behavioursGroup);
      const wanted = want.behaviours ?? [];
      const missing = wanted.filter((b) => !boxes.some((c) => sameName(c.label, b)));
      if (missing.length) throw new AppFailure('CAMERA_ERROR', `${what}: the camera offers no behaviour ${missing.map((m) => `"${m}"`).join(', ')} (it offers ${boxes.map((c) => c.label).join(', ')}).`);
      for (const c of boxes) e.setChecked(c, wanted.some((b) => sameName(b, c.label)));
    }
    return e.hasChanges() ? e : null;
  }

  private sourceMatches(have: EventSource, want: EventSource): boolean {
    if (have.name !== want.name || have.type !== want.type) return false;
    if (want.type !== 'analytics') return true;
    return (have.anyBehaviour ?? false) === (want.anyBehaviour ?? false) && sameSet(have.behaviours ?? [], want.behaviours ?? []);
  }

  /** Ensures an analytics source firing on the given behaviours (idempotent). */
  async ensureAnalyticsSource(name: string, behaviours: readonly string[]): Promise<EnsureResult<EventSource>> {
    const bad = checkName('Source name', name);
    if (bad) throw new AppFailure('VALIDATION', bad.message);
    const want: EventSource = { name, type: 'analytics', anyBehaviour: false, behaviours: [...behaviours] };
    return this.putSource(want, `Creating the source "${name}"`);
  }

  /** Puts a source back as it was read. */
  async restoreSource(source: EventSource): Promise<void> {
    await this.putSource(source, `Restoring the source "${source.name}"`);
  }

  private async putSource(want: EventSource, what: string): Promise<EnsureResult<EventSource>> {
    const listPage = await this.get(this.p.pages.sources);
    const row = this.listRows(listPage).find((r) => sameName(r.name, want.name));
    if (row) {
      if (!row.editPath) throw new AppFailure('CAMERA_ERROR', `${what}: no Edit link next to "${row.name}"; the firmware may differ.`);
      const { source: previous } = await this.readSourceAt(row.editPath, false);
      if (this.sourceMatches(previous, want)) return { value: previous, action: 'unchanged' };
      await this.submit(row.editPath, (x) => !!x.find(this.p.source.type, { kinds: ['select'] }), (f) => this.editSource(f, want, what), what);
      // A rename shows up in the handler list (the camera carries it over to the handlers that use the source).
      if (row.name !== want.name) this.cache.delete(this.p.pages.handlers);
      const value = await this.verifySource(want, what);
      return { value, action: 'updated', previous };
    }
    const addPath = this.addPath(listPage, this.p.list.addSource, what);
    await this.submit(addPath, (x) => !!x.find(this.p.source.type, { kinds: ['select'] }), (f) => this.editSource(f, want, what) ?? f.edit(), what);
    return { value: await this.verifySource(want, what), action: 'created' };
  }

  private async verifySource(want: EventSource, what: string): Promise<EventSource> {
    const row = this.listRows(await this.get(this.p.pages.sources, true)).find((r) => r.name === want.name);
    if (!row?.editPath) throw new AppFailure('CAMERA_ERROR', `${what}: the camera accepted the source but does not list "${want.name}". Check Events > Sources on the camera.`);
    const { source } = await this.readSourceAt(row.editPath, true);
    if (!this.sourceMatches(source, want)) {
      throw new AppFailure('CAMERA_ERROR', `${what}: the camera reads back ${JSON.stringify(source)} instead of ${JSON.stringify(want)}. Check Events > Sources on the camera.`);
    }
    return source;
  }

  /** Deletes a source (the camera refuses while a handler uses it). */
  deleteSource(name: string): Promise<void> {
    return this.deleteRow(this.p.pages.sources, name, `Deleting the source "${name}"`);
  }

  // ------------------------------------------------------------------ handlers

  private handlerType(text: string): EventHandler['type'] {
    const t = this.p.handler.typeOptions;
    return (Object.keys(t) as (keyof typeof t)[]).find((k) => t[k].test(text)) ?? 'unknown';
  }

  private handlerForm(page: WebResponse): WebForm | undefined {
    return this.formOf(page, (x) => !!x.find(this.p.handler.type, { kinds: ['select'] }) && !!x.find(this.p.handler.to));
  }

  private handlerFrom(f: WebForm): EventHandler {
    const h = this.p.handler;
    const typeCtl = f.find(h.type, { kinds: ['select'] });
    return {
      name: f.find(h.name, { kinds: ['text'] })?.value ?? '',
      type: this.handlerType(typeCtl?.options.find((o) => o.value === typeCtl.value)?.text ?? ''),
      to: f.find(h.to)?.value ?? '',
      from: f.find(h.from)?.value ?? '',
      subject: f.find(h.subject)?.value ?? '',
      message: (f.find(h.message)?.value ?? '').replace(/\r\n/g, '\n'),
      jpegSnapshot: f.find(h.jpegSnapshot, { kinds: ['checkbox'] })?.checked ?? false,
      rawEventData: f.find(h.rawEventData, { kinds: ['checkbox'] })?.checked ?? false,
      sources: f
        .group(h.sourcesGroup)
        .filter((c) => c.checked)
        .map((c) => c.label),
    };
  }

  /** Events > Handlers, with the count against the limit (names, types and sources from the list). */
  async listHandlers(): Promise<HandlerList> {
    const rows = this.listRows(await this.get(this.p.pages.handlers));
    const handlers = rows.map((r) => ({
      name: r.name,
      type: this.handlerType(r.cells[1] ?? ''),
      sources: (r.cells[2] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }));
    return { handlers, used: handlers.length, max: MAX_HANDLERS };
  }

  /** Full details of one handler (its edit page), or undefined when absent. */
  async readHandler(name: string): Promise<EventHandler | undefined> {
    const row = this.listRows(await this.get(this.p.pages.handlers)).find((r) => sameName(r.name, name));
    if (!row?.editPath) return undefined;
    return this.readHandlerAt(row.editPath, false);
  }

  private async readHandlerAt(editPath: string, fresh: boolean): Promise<EventHandler> {
    const f = this.handlerForm(await this.get(editPath, fresh));
    if (!f) throw new AppFailure('CAMERA_ERROR', `The handler page ${editPath} has no Handler Type and To fields; the firmware may differ.`);
    return this.handlerFrom(f);
  }

  private editHandler(f: WebForm, want: EventHandler, what: string): FormEdit | null {
    const h = this.p.handler;
    const e = f.edit();
    e.setValue(this.need(f, h.name, what, ['text']), want.name);
    if (want.type !== 'unknown') e.selectByText(this.need(f, h.type, what, ['select']), h.typeOptions[want.type]);
    if (want.to !== undefined) e.setValue(this.need(f, h.to, what), want.to);
    if (want.from !== undefined) e.setValue(this.need(f, h.from, what), want.from);
    if (want.subject !== undefined) e.setValue(this.need(f, h.subject, what), want.subject);
    if (want.message !== undefined) e.setValue(this.need(f, h.message, what), want.message);
    if (want.jpegSnapshot !== undefined) e.setChecked(this.need(f, h.jpegSnapshot, what, ['checkbox']), want.jpegSnapshot);
    if (want.rawEventData !== undefined) e.setChecked(this.need(f, h.rawEventData, what, ['checkbox']), want.rawEventData);
    const boxes = f.group(h.sourcesGroup);
    const missing = want.sources.filter((s) => !boxes.some((c) => c.label === s));
    if (missing.length) {
      throw new AppFailure('VALIDATION', `${what}: the camera has no source ${missing.map((m) => `"${m}"`).join(', ')}. Create the source on Events > Sources before the handler that uses it.`);
    }
    for (const c of boxes) e.setChecked(c, want.sources.includes(c.label));
    return e.hasChanges() ? e : null;
  }

  private handlerMatches(have: EventHandler, want: EventHandler): boolean {
    const eq = <T>(a: T | undefined, b: T | undefined) => b === undefined || a === b;
    return (
      have.name === want.name &&
      have.type === want.type &&
      eq(have.to, want.to) &&
      eq(have.from, want.from) &&
      eq(have.subject, want.subject) &&
      eq(have.message?.replace(/\r\n/g, '\n').trim(), want.message?.replace(/\r\n/g, '\n').trim()) &&
      eq(have.jpegSnapshot, want.jpegSnapshot) &&
      eq(have.rawEventData, want.rawEventData) &&
      sameSet(have.sources, want.sources)
    );
  }

  /** Ensures a Send Email handler matches the spec (idempotent; the 21st is refused). */
  async ensureEmailHandler(spec: EmailHandlerSpec): Promise<EnsureResult<EventHandler>> {
    const problems = checkEmailHandlerSpec(spec);
    if (problems.length) throw new AppFailure('VALIDATION', problems.map((p) => p.message).join(' '));
    return this.putHandler({ ...spec, type: 'send-email' }, `Creating the Send Email handler "${spec.name}"`);
  }

  /** Puts a handler back as it was read. */
  async restoreHandler(handler: EventHandler): Promise<void> {
    await this.putHandler(handler, `Restoring the handler "${handler.name}"`);
  }

  private async putHandler(want: EventHandler, what: string): Promise<EnsureResult<EventHandler>> {
    const listPage = await this.get(this.p.pages.handlers);
    const rows = this.listRows(listPage);
    const row = rows.find((r) => sameName(r.name, want.name));
    const pick = (x: WebForm) => !!x.find(this.p.handler.type, { kinds: ['select'] }) && !!x.find(this.p.handler.to);
    if (row) {
      if (!row.editPath) throw new AppFailure('CAMERA_ERROR', `${what}: no Edit link next to "${row.name}"; the firmware may differ.`);
      const previous = await this.readHandlerAt(row.editPath, false);
      if (this.handlerMatches(previous, want)) return { value: previous, action: 'unchanged' };
      await this.submit(row.editPath, pick, (f) => this.editHandler(f, want, what), what);
      return { value: await this.verifyHandler(want, what), action: 'updated', previous };
    }
    const room = checkHandlerRoom(rows.length);
    if (room) throw new AppFailure('HANDLER_LIMIT', room.message, { used: rows.length, max: MAX_HANDLERS });
    const addPath = this.addPath(listPage, this.p.list.addHandler, what);
    await this.submit(addPath, pick, (f) => this.editHandler(f, want, what) ?? f.edit(), what);
    return { value: await this.verifyHandler(want, what), action: 'created' };
  }

  private async verifyHandler(want: EventHandler, what: string): Promise<EventHandler> {
    const row = this.listRows(await this.get(this.p.pages.handlers, true)).find((r) => r.name === want.name);
    if (!row?.editPath) throw new AppFailure('CAMERA_ERROR', `${what}: the camera accepted the handler but does not list "${want.name}". Check Events > Handlers on the camera.`);
    const have = await this.readHandlerAt(row.editPath, true);
    if (!this.handlerMatches(have, want)) {
      throw new AppFailure('CAMERA_ERROR', `${what}: the camera reads back different values (${JSON.stringify(have)}). Check Events > Handlers on the camera.`);
    }
    return have;
  }

  /** Deletes a handler. */
  deleteHandler(name: string): Promise<void> {
    return this.deleteRow(this.p.pages.handlers, name, `Deleting the handler "${name}"`);
  }

  // ------------------------------------------------------------------ analytics

  private analyticsFrom(page: WebResponse): { settings: AnalyticsSettings; links: Map<string, string> } {
    const memo = this.analyticsMemo.get(page);
    if (memo) return structuredClone(memo);
    const a = this.p.analytics;
    const { $ } = this.doc(page);
    const f = this.formOf(page, (x) => !!x.find(a.profile.sensitivity));
    const sel = (re: RegExp) => {
      const c = f?.find(re, { kinds: ['select'] });
      return c?.options.find((o) => o.value === c.value)?.text ?? '';
    };
    const profile = {
      sceneType: sel(a.profile.sceneType),
      background: sel(a.profile.background),
      fineTuning: sel(a.profile.fineTuning),
      sensitivity: Number(f?.find(a.profile.sensitivity)?.value ?? NaN),
    };
    const behaviours: BehaviourState[] = [];
    const links = new Map<string, string>();
    $('table').each((_i, table) => {
      const heads = $(table)
        .find('th')
        .toArray()
        .map((th) => normalizeText($(th).text()));
      const col = (re: RegExp) => heads.findIndex((h) => re.test(h));
      const [bi, si, vi] = [col(a.columns.behaviour), col(a.columns.status), col(a.columns.sensitivity)];
      if (bi < 0) return;
      $(table)
        .find('tr')
        .each((_j, tr) => {
          const tds = $(tr).children('td').toArray();
          if (tds.length === 0) return;
          const name = normalizeText($(tds[bi]).text());
          const href = $(tds[bi]).find('a[href]').attr('href');
          if (href) links.set(name.toLowerCase(), this.pathOf(new URL(href, page.url).toString()));
          behaviours.push({ name, active: si >= 0 && a.activeStatus.test(normalizeText($(tds[si]).text())), sensitivity: vi >= 0 ? Number(normalizeText($(tds[vi]).text())) : NaN });
        });
    });
    const out = { settings: { profile, behaviours }, links };
    this.analyticsMemo.set(page, out);
    return structuredClone(out);
  }

  /** Analytics: profile and behaviours. */
  async readAnalytics(): Promise<AnalyticsSettings> {
    return this.analyticsFrom(await this.get(this.p.pages.analytics)).settings;
  }

  /** Changes one behaviour and verifies it. */
  async setBehaviour(name: string, patch: BehaviourPatch): Promise<AnalyticsSettings> {
    if (patch.sensitivity !== undefined) {
      const bad = checkSensitivity(`${name} sensitivity`, patch.sensitivity);
      if (bad) throw new AppFailure('VALIDATION', bad.message);
    }
    const what = `Setting ${name}`;
    const { links } = this.analyticsFrom(await this.get(this.p.pages.analytics));
    const path = links.get(name.toLowerCase());
    if (!path) throw new AppFailure('CAMERA_ERROR', `${what}: the camera lists no behaviour "${name}" on its Analytics page (this model may lack it).`);
    const b = this.p.analytics.behaviour;
    await this.submit(
      path,
      (x) => !!x.find(b.sensitivity),
      (f) => {
        const e = f.edit();
        if (patch.active !== undefined) e.setChecked(this.need(f, b.active, what, ['checkbox']), patch.active);
        if (patch.sensitivity !== undefined) e.setValue(this.need(f, b.sensitivity, what), String(patch.sensitivity));
        return e.hasChanges() ? e : null;
      },
      what,
    );
    const after = this.analyticsFrom(await this.get(this.p.pages.analytics, true)).settings;
    const got = after.behaviours.find((x) => sameName(x.name, name));
    if (!got || (patch.active !== undefined && got.active !== patch.active) || (patch.sensitivity !== undefined && got.sensitivity !== patch.sensitivity)) {
      throw new AppFailure('CAMERA_ERROR', `${what}: the camera reads back ${got ? `${got.active ? 'active' : 'inactive'}, sensitivity ${got.sensitivity}` : 'nothing'}; check its Analytics page.`);
    }
    return after;
  }

  /** Changes the profile sensitivity and verifies it. */
  async setProfileSensitivity(sensitivity: number): Promise<AnalyticsSettings> {
    const bad = checkSensitivity('Profile sensitivity', sensitivity);
    if (bad) throw new AppFailure('VALIDATION', bad.message);
    const a = this.p.analytics;
    await this.submit(
      this.p.pages.analytics,
      (x) => !!x.find(a.profile.sensitivity),
      (f) => {
        const e = f.edit().setValue(this.need(f, a.profile.sensitivity, 'Analytics profile'), String(sensitivity));
        return e.hasChanges() ? e : null;
      },
      'Setting the analytics profile sensitivity',
    );
    const after = await this.readAnalytics();
    if (after.profile.sensitivity !== sensitivity) throw new AppFailure('CAMERA_ERROR', `The camera reads back profile sensitivity ${after.profile.sensitivity} instead of ${sensitivity}.`);
    return after;
  }

  // ------------------------------------------------------------------ misc

  /** Request and login counters. */
  stats(): DriverStats {
    return { requests: this.session.requests, logins: this.session.logins };
  }

  /** Forgets the session. */
  close(): void {
    this.cache.clear();
    this.session.reset();
  }
}
