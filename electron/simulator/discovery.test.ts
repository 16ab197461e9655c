import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { startCamera, PELCO_CAMERA_TYPE, type SimCamera, type SimCameraOptions } from './index';
import { parseSsdp } from './ssdp';
import { canUseNetns, createLab, nodeScriptIn, runIn, startIn, type Background, type NetnsLab } from '../testing/netns';

const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

const cams: SimCamera[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.stop()));
  for (const s of sockets.splice(0)) s.close();
});

async function cam(o: SimCameraOptions): Promise<SimCamera> {
  const c = await startCamera(o);
  cams.push(c);
  return c;
}

/** A UDP listener on 127.0.0.1 that queues datagrams and lets a test await the next N. */
async function listener(): Promise<{ port: number; send(msg: string, port: number, host: string): void; next(n: number): Promise<string[]> }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const queue: string[] = [];
  const waiters: (() => void)[] = [];
  s.on('message', (m) => {
    queue.push(m.toString('utf8'));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return {
    port: s.address().port,
    send: (msg, port, host) => s.send(msg, port, host),
    next: (n) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`expected ${n} datagrams, got ${queue.length}: ${queue.join('\n---\n')}`)), 5000);
        const check = () => {
          if (queue.length >= n) {
            clearTimeout(t);
            resolve(queue.splice(0, n));
          } else waiters.push(check);
        };
        check();
      }),
  };
}

const msearch = (st: string) => `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${st}\r\n\r\n`;

const probe = (id: string, types = 'dn:NetworkVideoTransmitter', scopes = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>${id}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header><s:Body><d:Probe><d:Types>${types}</d:Types>${scopes ? `<d:Scopes>${scopes}</d:Scopes>` : ''}</d:Probe></s:Body></s:Envelope>`;

describe('SSDP unicast on loopback (no multicast in the root namespace)', () => {
  it('answers M-SEARCH for ssdp:all, rootdevice, the Pelco type and its uuid; nothing for other targets', async () => {
    const c = await cam({ address: '127.0.5.1', ssdp: { port: 0 }, deviceName: 'Gate01', model: 'IX30DN', serial: 'S99' });
    const l = await listener();
    l.send(msearch('ssdp:all'), c.ssdpPort!, c.ip);
    const all = (await l.next(3)).map(parseSsdp);
    expect(all.map((r) => r.startLine)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect(all.map((r) => r.headers.ST).sort()).toEqual([`uuid:${c.uuid}`, 'upnp:rootdevice', PELCO_CAMERA_TYPE].sort());
    for (const st of ['upnp:rootdevice', PELCO_CAMERA_TYPE, `uuid:${c.uuid}`]) {
      // A target the camera is not comes first: on loopback the replies keep order, so its absence shows.
      l.send(msearch('urn:schemas-upnp-org:device:MediaServer:1'), c.ssdpPort!, c.ip);
      l.send(msearch(st), c.ssdpPort!, c.ip);
      const [r] = (await l.next(1)).map(parseSsdp);
      expect(r.headers.ST).toBe(st);
      expect(r.headers.USN).toBe(st.startsWith('uuid:') ? st : `uuid:${c.uuid}::${st}`);
      expect(r.headers.LOCATION).toBe(`${c.url}/description.xml`);
    }
    const desc = xml.parse(await (await fetch(all[0].headers.LOCATION)).text()).root.device;
    expect(desc).toMatchObject({ deviceType: PELCO_CAMERA_TYPE, manufacturer: 'Pelco', modelName: 'IX30DN', friendlyName: 'Gate01', serialNumber: 'S99', MAC: c.mac, UDN: `uuid:${c.uuid}` });
    expect(c.mac.startsWith('00:0B:AB')).toBe(true);
  });

  it('ignores a datagram that is not an ssdp:discover M-SEARCH', async () => {
    const c = await cam({ address: '127.0.5.2', ssdp: { port: 0 } });
    const l = await listener();
    l.send('GET / HTTP/1.1\r\n\r\n', c.ssdpPort!, c.ip);
    l.send('M-SEARCH * HTTP/1.1\r\nMAN: "ssdp:other"\r\nST: ssdp:all\r\n\r\n', c.ssdpPort!, c.ip);
    l.send(msearch('upnp:rootdevice'), c.ssdpPort!, c.ip);
    expect(parseSsdp((await l.next(1))[0]).headers.ST).toBe('upnp:rootdevice');
  });

  it('sends NOTIFY ssdp:alive at start and ssdp:byebye at stop to unicast notify targets', async () => {
    const l = await listener();
    const c = await cam({ address: '127.0.5.3', ssdp: { port: 0, notifyTargets: [{ address: '127.0.0.1', port: l.port }] } });
    const alive = (await l.next(3)).map(parseSsdp);
    expect(alive.every((m) => m.startLine === 'NOTIFY * HTTP/1.1' && m.headers.NTS === 'ssdp:alive' && m.headers.LOCATION === `${c.url}/description.xml`)).toBe(true);
    expect(alive.map((m) => m.headers.NT)).toContain(PELCO_CAMERA_TYPE);
    await c.stop();
    const bye = (await l.next(3)).map(parseSsdp);
    expect(bye.map((m) => m.headers.NTS)).toEqual(['ssdp:byebye', 'ssdp:byebye', 'ssdp:byebye']);
  });
});

describe('WS-Discovery unicast on loopback', () => {
  it('answers a Probe for NetworkVideoTransmitter with a ProbeMatch (XAddrs, scopes, RelatesTo), and not a Probe for another type', async () => {
    const c = await cam({ address: '127.0.5.4', wsd: { port: 0 }, deviceName: 'Dock3', model: 'IME329-1ES' });
    const l = await listener();
    l.send(probe('urn:uuid:other', 'tds:PTZ'), c.wsdPort!, c.ip);
    l.send(probe('urn:uuid:scoped', 'dn:NetworkVideoTransmitter', 'onvif://www.onvif.org/location/elsewhere'), c.wsdPort!, c.ip);
    l.send(probe('urn:uuid:1234'), c.wsdPort!, c.ip);
    const [reply] = await l.next(1);
    const env = xml.parse(reply).Envelope;
    expect(env.Header.RelatesTo).toBe('urn:uuid:1234');
    expect(env.Header.Action).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches');
    const m = env.Body.ProbeMatches.ProbeMatch;
    expect(m.Types).toContain('NetworkVideoTransmitter');
    expect(m.XAddrs).toBe(`${c.url}/onvif/device_service`);
    expect(m.Scopes).toContain('onvif://www.onvif.org/name/Dock3');
    expect(m.Scopes).toContain('onvif://www.onvif.org/hardware/IME329-1ES');
    expect(m.EndpointReference.Address).toBe(`urn:uuid:${c.uuid}`);
    l.send(probe('urn:uuid:5678', '', 'onvif://www.onvif.org/hardware'), c.wsdPort!, c.ip);
    expect(xml.parse((await l.next(1))[0]).Envelope.Header.RelatesTo).toBe('urn:uuid:5678');
  });
});

const FIXTURE = fileURLToPath(new URL('./sim-fixture.ts', import.meta.url));

// Multicast only inside namespaces this test creates. We run as root in CI; elsewhere these tests cannot run.
describe.runIf(canUseNetns())('multicast discovery inside a network namespace', () => {
  let lab: NetnsLab;
  const bg: Background[] = [];
  beforeAll(async () => {
    lab = await createLab({ tag: 'sim', hosts: 3 });
  });
  afterAll(async () => {
    await Promise.all(bg.splice(0).map((b) => b.stop()));
    await lab?.destroy();
  });

  async function startCam(host: number, opts: SimCameraOptions): Promise<{ b: Background; id: { uuid: string; httpPort: number; ip: string; mac: string } }> {
    const b = nodeScriptIn(lab.hosts[host].ns, FIXTURE, [JSON.stringify({ address: lab.hosts[host].address, ...opts })]);
    bg.push(b);
    const line = await b.waitForLine(/^(READY|ERROR) /);
    if (line.startsWith('ERROR')) throw new Error(line);
    return { b, id: JSON.parse(line.slice(6)) };
  }

  it('gssdp-discover (an independent SSDP peer) sees the camera by multicast M-SEARCH and NOTIFY, and its byebye', async () => {
    const watcher = startIn(lab.hosts[1].ns, 'gssdp-discover', ['-i', 'eth0', '-t', PELCO_CAMERA_TYPE, '-n', '20', '-m', 'all']);
    bg.push(watcher);
    const { b, id } = await startCam(0, { httpPort: 80, ssdp: { multicast: true } });
    await watcher.waitForLine(new RegExp(`USN:\\s+uuid:${id.uuid}`), 15_000);
    // gssdp-discover prints the Location line after the USN line, possibly in a later chunk: wait for it too.
    const location = `http://${lab.hosts[0].address}:80/description.xml`;
    await watcher.waitForLine(new RegExp(location.replace(/[.]/g, '\\.')), 15_000);
    expect(watcher.output()).toContain(location);
    // A fresh search after the camera is up is answered too (not only its NOTIFY).
    const search = await runIn(lab.hosts[2].ns, 'gssdp-discover', ['-i', 'eth0', '-t', 'upnp:rootdevice', '-n', '3']);
    expect(search.stdout).toContain(`uuid:${id.uuid}::upnp:rootdevice`);
    await b.stop();
    // The byebye block spans lines that may arrive in separate chunks: wait for the whole of it.
    await expect.poll(() => watcher.output(), { timeout: 15_000, interval: 100 }).toMatch(new RegExp(`unavailable[\\s\\S]*uuid:${id.uuid}`, 'i'));
  });

  it('answers a multicast WS-Discovery Probe with a ProbeMatch', async () => {
    const { id } = await startCam(0, { httpPort: 8080, wsd: { multicast: true } });
    const probeScript = fileURLToPath(new URL('./wsd-probe.fixture.ts', import.meta.url));
    const r = await runIn(lab.hosts[1].ns, process.execPath, ['--import', 'tsx', probeScript, lab.hosts[1].address], 20_000);
    expect(r.stdout).toContain(`urn:uuid:${id.uuid}`);
    expect(r.stdout).toContain(`http://${lab.hosts[0].address}:8080/onvif/device_service`);
  });

  it('advertises _http._tcp over mDNS (bonjour-service browser in another namespace)', async () => {
    const { id } = await startCam(0, { httpPort: 8081, mdns: true, deviceName: 'Yard7' });
    const browse = fileURLToPath(new URL('./mdns-browse.fixture.ts', import.meta.url));
    const r = await runIn(lab.hosts[1].ns, process.execPath, ['--import', 'tsx', browse, lab.hosts[1].address], 20_000);
    const found = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { name: string; port: number; addresses: string[]; txt: Record<string, string> });
    const mine = found.find((f) => f.name.startsWith('Yard7'));
    expect(mine, r.stdout + r.stderr).toBeDefined();
    expect(mine).toMatchObject({ port: 8081, txt: { mac: id.mac, vendor: 'Pelco' } });
    expect(mine!.addresses).toContain(lab.hosts[0].address);
  });
});
