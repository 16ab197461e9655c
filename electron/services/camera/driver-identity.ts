/**
 * Who the camera is and what time it has (docs/camera.md §5): Pelco SOAP first, then ONVIF, then the UPnP
 * description (which answers without a login), then the web UI's device name; the clock from ONVIF, else from
 * the HTTP Date header of the landing page.
 */
import { XMLParser } from 'fast-xml-parser';
import { normalizeMac, type CameraIdentity, type ClockReading } from '../../../shared/domain/camera';
import { failure, sub } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';
import type { FirmwareProfile } from './firmware-profile';
import { soapFailure, SoapFault, xmlText, type OnvifDevice, type PelcoSoap } from './machine-api';
import type { WebSession } from './web-session';

type IdKey = 'model' | 'firmware' | 'mac' | 'serial' | 'name';

/** What identity and clock need from the driver. */
export interface IdentityDeps {
  baseUrl: string;
  session: WebSession;
  soap: PelcoSoap;
  onvif: OnvifDevice;
  p: FirmwareProfile;
  now: () => number;
  /** The web UI's device name (System > General). */
  deviceName: () => Promise<string>;
}

/** Identity from Pelco SOAP, then ONVIF, then the UPnP description, then the web UI. */
export async function readIdentity(d: IdentityDeps): Promise<CameraIdentity> {
  const id: CameraIdentity = { model: '', firmware: '', mac: '', serial: '', name: '', sources: [] };
  const fill = (k: IdKey, v: string, src: string) => {
    if (!id[k] && v) {
      id[k] = v;
      if (!id.sources.includes(src)) id.sources.push(src);
    }
  };
  const complete = () => id.model && id.firmware && id.mac && id.serial && id.name;
  let authError: AppFailure | undefined;
  try {
    const cfgNode = await d.soap.call('PelcoConfiguration', 'GetConfiguration');
    const cfg = (cfgNode.pelcoConfig ?? cfgNode) as Record<string, unknown>;
    const f = d.p.pelcoSoap.configFields;
    for (const k of ['model', 'firmware', 'mac', 'serial', 'name'] as const) fill(k, xmlText(cfg[f[k]]), 'pelco-soap');
  } catch (e) {
    if (e instanceof SoapFault && e.status === 401) authError = soapFailure(sub('driver.doing.readIdentity'), e, d.baseUrl);
    else if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
  }
  if (!complete()) {
    try {
      const info = await d.onvif.deviceInformation();
      fill('model', info.model, 'onvif');
      fill('firmware', info.firmware, 'onvif');
      fill('serial', info.serial, 'onvif');
      if (!id.mac) fill('mac', await d.onvif.mac(), 'onvif');
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
    }
  }
  if (!complete()) await fromDescription(d, fill);
  if (!id.name) {
    try {
      fill('name', await d.deviceName(), 'web');
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'AUTH_FAILED') throw e;
    }
  }
  if (!id.model && !id.mac && authError) throw authError;
  if (!id.model && !id.mac) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noIdentity', { url: d.baseUrl });
  id.mac = normalizeMac(id.mac) ?? id.mac;
  return id;
}

async function fromDescription(d: IdentityDeps, fill: (k: IdKey, v: string, src: string) => void): Promise<void> {
  const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });
  for (const path of d.p.descriptionPaths) {
    try {
      const r = await d.session.http.get<string>(path);
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

/** Camera clock via ONVIF, else via the HTTP Date header of the landing page. */
export async function readClock(d: IdentityDeps): Promise<ClockReading> {
  try {
    const t = await d.onvif.systemDateAndTime();
    return { cameraTime: new Date(t.cameraMs).toISOString(), localTime: new Date(t.localMs).toISOString(), skewMs: t.skewMs, via: 'onvif' };
  } catch (e) {
    if (e instanceof AppFailure && e.code === 'CAMERA_UNREACHABLE') throw e;
  }
  const before = d.now();
  let r;
  try {
    r = await d.session.http.get<string>(d.p.start[0] ?? '/');
  } catch (e) {
    throw soapFailure(sub('driver.doing.readClock'), e, d.baseUrl);
  }
  const after = d.now();
  const date = Date.parse(String(r.headers.date ?? ''));
  if (Number.isNaN(date)) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noClock', { url: d.baseUrl });
  const local = Math.round((before + after) / 2);
  return { cameraTime: new Date(date).toISOString(), localTime: new Date(local).toISOString(), skewMs: date - local, via: 'http-date' };
}
