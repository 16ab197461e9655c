import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cam } from 'onvif';
import { XMLParser } from 'fast-xml-parser';
import type { SimCamera } from './index';
import { loopbackCameras } from './test-cameras';
import { WebSession, formFor } from './test-web-client';

const exec = promisify(execFile);
const cam = loopbackCameras();

const NS = 'urn:schemas-pelco-com:service:PelcoConfiguration:1';
const envelope = (action: string) => `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${NS}"/></s:Body></s:Envelope>`;
const xml = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

async function pelco(c: SimCamera, action: string, auth?: string) {
  const r = await fetch(`${c.url}/control/PelcoConfiguration-1`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPAction: `"${NS}#${action}"`, ...(auth ? { Authorization: auth } : {}) },
    body: envelope(action),
  });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** curl as an independent Digest client (RFC 7616 handshake done by curl, not by our code). */
async function curlDigest(c: SimCamera, user: string, pass: string, action: string): Promise<{ code: string; body: string }> {
  const { stdout } = await exec('curl', ['-s', '--noproxy', '*', '--digest', '-u', `${user}:${pass}`, '-H', `SOAPAction: "${NS}#${action}"`, '-H', 'Content-Type: text/xml', '--data-binary', envelope(action), '-w', '\n%{http_code}', `${c.url}/control/PelcoConfiguration-1`]);
  const i = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, i), code: stdout.slice(i + 1) };
}

describe('Pelco SOAP', () => {
  it('challenges with Digest (MD5, qop=auth) and Basic realm "Sarix" and answers Basic', async () => {
    const c = await cam({ model: 'IME329-1ES' });
    const r = await pelco(c, 'GetModelName');
    expect(r.status).toBe(401);
    const challenges = r.headers.get('www-authenticate') ?? '';
    expect(challenges).toMatch(/Digest realm="Sarix", qop="auth", algorithm=MD5, nonce="[0-9a-f]+"/);
    expect(challenges).toMatch(/Basic realm="Sarix"/);
    expect((await pelco(c, 'GetModelName', basic('admin', 'nope'))).status).toBe(401);
    const ok = await pelco(c, 'GetModelName', basic('admin', 'admin'));
    expect(ok.status).toBe(200);
    expect(xml.parse(ok.body).Envelope.Body.GetModelNameResponse.modelName).toBe('IME329-1ES');
  });

  it('answers curl --digest (an independent Digest client) and refuses a wrong password', async () => {
    const c = await cam();
    const ok = await curlDigest(c, 'admin', 'admin', 'GetConfiguration');
    expect(ok.code).toBe('200');
    const cfg = xml.parse(ok.body).Envelope.Body.GetConfigurationResponse.pelcoConfig;
    expect(cfg).toMatchObject({ macAddress: c.mac, modelName: c.model, ntpAddress: '', gmtOffset: '0', dstOffset: '0' });
    expect((await curlDigest(c, 'admin', 'wrong', 'GetConfiguration')).code).toBe('401');
  });

  it('offers only Basic before firmware 1.9', async () => {
    const c = await cam({ firmware: '1.8.6' });
    const r = await pelco(c, 'GetModelName');
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Sarix"');
    expect((await curlDigest(c, 'admin', 'admin', 'GetModelName')).code).toBe('401');
  });

  it('answers GetLocation, Restart, and faults an unknown action and a non-SOAP body', async () => {
    const c = await cam();
    const a = basic('admin', 'admin');
    expect(xml.parse((await pelco(c, 'GetLocation', a)).body).Envelope.Body.GetLocationResponse).toBeDefined();
    const unknown = await pelco(c, 'SetSmtpServer', a);
    expect(unknown.status).toBe(500);
    expect(xml.parse(unknown.body).Envelope.Body.Fault.faultstring).toBe('ActionNotImplementedFault');
    const junk = await fetch(`${c.url}/control/PelcoConfiguration-1`, { method: 'POST', headers: { Authorization: a }, body: 'not xml <' });
    expect(xml.parse(await junk.text()).Envelope.Body.Fault.faultstring).toBe('InvalidArgumentFault');
    const s = new WebSession(c.url);
    await s.login();
    expect((await s.get('/setup/system/general')).status).toBe(200);
    expect((await pelco(c, 'Restart', a)).status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect((await s.get('/setup/system/general')).location).toBe('/login');
  });
});

function call<T>(fn: (cb: (err: Error | null, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

describe('ONVIF with the onvif npm client', () => {
  it('GetSystemDateAndTime and GetDeviceInformation succeed', async () => {
    const c = await cam({ model: 'IXE20DN', firmware: '1.9.2', serial: 'T12345678' });
    const onvifCam = new Cam({ hostname: c.ip, port: c.httpPort, username: 'admin', password: 'admin', autoconnect: false });
    const t = await call<Date>((cb) => onvifCam.getSystemDateAndTime(cb));
    expect(Math.abs(t.getTime() - Date.now())).toBeLessThan(60_000);
    const info = await call<{ manufacturer: string; model: string; firmwareVersion: string; serialNumber: string }>((cb) => onvifCam.getDeviceInformation(cb as never));
    expect(info).toMatchObject({ manufacturer: 'Pelco', model: 'IXE20DN', firmwareVersion: '1.9.2', serialNumber: 'T12345678' });
  });

  it('refuses a wrong password', async () => {
    const c = await cam();
    const onvifCam = new Cam({ hostname: c.ip, port: c.httpPort, username: 'admin', password: 'nope', autoconnect: false });
    await expect(call((cb) => onvifCam.getDeviceInformation(cb as never))).rejects.toThrow(/NotAuthorized|Sender not Authorized/);
  });

  it('refuses a token created outside the skew window of the camera clock, and accepts it once the client learns the offset', async () => {
    const c = await cam({ clockOffsetMs: 2 * 3600_000 });
    const naive = new Cam({ hostname: c.ip, port: c.httpPort, username: 'admin', password: 'admin', autoconnect: false });
    await expect(call((cb) => naive.getDeviceInformation(cb as never))).rejects.toThrow(/outside the camera clock window/);
    const t = await call<Date>((cb) => naive.getSystemDateAndTime(cb));
    expect(t.getTime() - Date.now()).toBeGreaterThan(3600_000);
    await expect(call((cb) => naive.getDeviceInformation(cb as never))).resolves.toMatchObject({ manufacturer: 'Pelco' });
  });

  it('connects (GetCapabilities fallback), and SetNTP / GetNTP stay in sync with the web form', async () => {
    const c = await cam();
    const onvifCam = new Cam({ hostname: c.ip, port: c.httpPort, username: 'admin', password: 'admin', autoconnect: false });
    await call((cb) => onvifCam.connect(cb as never));
    await call((cb) => onvifCam.setNTP({ fromDHCP: false, NTPManual: [{ type: 'IPv4', IPv4Address: '10.9.8.7' }] } as never, cb as never));
    expect(c.state().general.ntpServer).toBe('10.9.8.7');
    const s = new WebSession(c.url);
    await s.login();
    const f = formFor((await s.get('/setup/system/general')).html, '/setup/system/general');
    expect(f.controls.find((x) => x.label === 'time server')?.value).toBe('10.9.8.7');
    await s.edit('/setup/system/general', '/setup/system/general', { 'Time Server': 'ntp.site.local' });
    const ntp = await call<{ NTPManual: { type: string; DNSname: string } }>((cb) => onvifCam.getNTP(cb as never));
    expect(ntp.NTPManual).toMatchObject({ type: 'DNS', DNSname: 'ntp.site.local' });
    const nics = await call<{ info: { hwAddress: string } }>((cb) => onvifCam.getNetworkInterfaces(cb as never));
    expect(JSON.stringify(nics)).toContain(c.mac);
  });

  it('has no ONVIF before firmware 1.8.2', async () => {
    const c = await cam({ firmware: '1.7.41' });
    const r = await fetch(`${c.url}/onvif/device_service`, { method: 'POST', body: '<x/>' });
    expect(r.status).toBe(404);
  });
});
