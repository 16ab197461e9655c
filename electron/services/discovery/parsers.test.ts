import { describe, expect, it } from 'vitest';
import { parseDescription } from './identify';
import { buildMSearch, parseSsdp } from './ssdp';
import { buildProbe, parseProbeMatches } from './wsd';
import { listInterfaces, chooseInterfaces } from './interfaces';

describe('SSDP messages', () => {
  it('builds an M-SEARCH with MAN, MX and ST', () => {
    const m = buildMSearch('upnp:rootdevice');
    expect(m).toMatch(/^M-SEARCH \* HTTP\/1\.1\r\nHOST: 239\.255\.255\.250:1900\r\n/);
    expect(m).toContain('MAN: "ssdp:discover"\r\n');
    expect(m).toContain('ST: upnp:rootdevice\r\n');
    expect(m.endsWith('\r\n\r\n')).toBe(true);
  });
  it.each([
    ['HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.5/description.xml\r\nUSN: uuid:a::upnp:rootdevice\r\nST: upnp:rootdevice\r\n\r\n', 'response'],
    ['NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLocation: http://x/\r\n\r\n', 'notify'],
    ['M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n', 'search'],
  ])('parses %j as %s with lower-cased headers', (text, kind) => {
    const m = parseSsdp(text);
    expect(m?.kind).toBe(kind);
    expect(Object.keys(m!.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });
  it.each(['', 'GET / HTTP/1.1\r\n\r\n', 'HTTP/1.1 404 Not Found\r\n\r\n', '\u0000\u0001garbage'])('ignores %j', (t) => expect(parseSsdp(t)).toBeNull());
});

describe('WS-Discovery', () => {
  it('builds a Probe for NetworkVideoTransmitter with the message id', () => {
    const p = buildProbe('1234');
    expect(p).toContain('<a:MessageID>uuid:1234</a:MessageID>');
    expect(p).toContain('dn:NetworkVideoTransmitter');
  });
  it('parses ProbeMatches: endpoint, XAddrs, name and hardware scopes', () => {
    const xml = `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><SOAP-ENV:Header><wsa:RelatesTo>uuid:1234</wsa:RelatesTo></SOAP-ENV:Header><SOAP-ENV:Body><d:ProbeMatches>
      <d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:cam-1</wsa:Address></wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>
      <d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/Lobby%20Cam onvif://www.onvif.org/hardware/IXE20DN</d:Scopes>
      <d:XAddrs>http://10.0.0.5/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs></d:ProbeMatch>
      <d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:cam-2</wsa:Address></wsa:EndpointReference><d:XAddrs>http://10.0.0.6:8080/onvif/device_service</d:XAddrs></d:ProbeMatch>
      </d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    const m = parseProbeMatches(xml);
    expect(m).toHaveLength(2);
    expect(m[0]).toMatchObject({ endpoint: 'urn:uuid:cam-1', name: 'Lobby Cam', hardware: 'IXE20DN', relatesTo: 'uuid:1234' });
    expect(m[0].xaddrs).toHaveLength(2);
    expect(m[1]).toMatchObject({ endpoint: 'urn:uuid:cam-2', name: null, xaddrs: ['http://10.0.0.6:8080/onvif/device_service'] });
  });
  it.each(['', '<not xml', buildProbe('x'), '<Envelope><Body><Hello/></Body></Envelope>'])('ignores what is not a ProbeMatches: %j', (x) => expect(parseProbeMatches(x)).toEqual([]));
});

describe('UPnP description', () => {
  const cam = `<deviceType>urn:schemas-pelco-com:device:Camera:1</deviceType><friendlyName>Gate</friendlyName><manufacturer>Pelco</manufacturer>
    <modelName>IME322</modelName><serialNumber>S9</serialNumber><firmwareVersion>1.8.2</firmwareVersion><MAC>00:0B:AB:01:02:03</MAC><UDN>uuid:cam-9</UDN>`;
  it('reads a Pelco camera as the root device', () => {
    expect(parseDescription(`<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>${cam}</device></root>`)).toMatchObject({
      manufacturer: 'Pelco',
      model: 'IME322',
      name: 'Gate',
      serial: 'S9',
      mac: '00:0B:AB:01:02:03',
      uuid: 'uuid:cam-9',
      firmware: '1.8.2',
      deviceType: 'urn:schemas-pelco-com:device:Camera:1',
    });
  });
  it('prefers the camera embedded under a Basic:1 root', () => {
    const xml = `<root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Root</friendlyName><UDN>uuid:root</UDN>
      <deviceList><device><deviceType>urn:schemas-upnp-org:device:Other:1</deviceType><UDN>uuid:x</UDN></device><device>${cam}</device></deviceList></device></root>`;
    expect(parseDescription(xml)).toMatchObject({ name: 'Gate', uuid: 'uuid:cam-9', model: 'IME322' });
  });
  it.each(['', '<html><body>hello</body></html>', '<root><nodevice/></root>', '<<<'])('returns null for %j', (x) => expect(parseDescription(x)).toBeNull());
});

describe('interfaces', () => {
  const src = () => ({
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [
      { address: '192.168.1.10', netmask: '255.255.255.0', family: 'IPv4' as const, mac: 'AA:BB:CC:00:00:01', internal: false, cidr: '192.168.1.10/24' },
      { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' as const, mac: 'AA:BB:CC:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
    ],
    docker0: [{ address: '172.17.0.1', netmask: '255.255.0.0', family: 'IPv4' as const, mac: '02:42:00:00:00:01', internal: false, cidr: '172.17.0.1/16' }],
    tun0: [{ address: '10.8.0.2', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: false, cidr: '10.8.0.2/24' }],
  });
  it('lists IPv4 interfaces, classified, physical ones selected by default', () => {
    const all = listInterfaces(src);
    expect(all.map((i) => [i.name, i.kind, i.isDefaultSelected])).toEqual([
      ['lo', 'loopback', false],
      ['eth0', 'physical', true],
      ['docker0', 'virtual', false],
      ['tun0', 'vpn', false],
    ]);
    expect(all[1]).toMatchObject({ mac: 'aa:bb:cc:00:00:01', cidr: '192.168.1.10/24' });
    expect(chooseInterfaces(all).map((i) => i.name)).toEqual(['eth0']);
    expect(chooseInterfaces(all, ['tun0', 'docker0']).map((i) => i.name)).toEqual(['docker0', 'tun0']);
    expect(() => chooseInterfaces(all, ['wlan0'])).toThrow(/Unknown interface "wlan0"; choose one of: lo, eth0, docker0, tun0/);
  });
});

describe('LimitedHttpClient', () => {
  it('keeps at most `limit` requests in flight and lets a queued request be aborted', async () => {
    const { LimitedHttpClient } = await import('./http-client');
    let active = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const inner = {
      get: () =>
        new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve) => {
          active++;
          peak = Math.max(peak, active);
          release.push(() => {
            active--;
            resolve({ status: 200, headers: {}, body: '' });
          });
        }),
    };
    const c = new LimitedHttpClient(inner, 2);
    const sig = new AbortController().signal;
    const ps = [1, 2, 3, 4].map(() => c.get('http://x/', { timeoutMs: 1000, signal: sig }));
    const ac = new AbortController();
    const aborted = c.get('http://x/', { timeoutMs: 1000, signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(ps);
    expect(peak).toBe(2);
  });
});

describe('socketProblem', () => {
  it.each([
    ['EADDRNOTAVAIL', 'MULTICAST_SEND_FAILED', /no multicast route/],
    ['ENETUNREACH', 'MULTICAST_SEND_FAILED', /Check the cable or Wi-Fi/],
    ['EACCES', 'PERMISSION', /firewall/],
    ['EPERM', 'PERMISSION', /Allow Sarix Commissioner/],
    ['EADDRINUSE', 'PORT_IN_USE', /another program/],
    ['EMSGSIZE', 'SOCKET_ERROR', /Scan again/],
  ])('%s → %s with a message that says what to do', async (code, want, re) => {
    const { socketProblem } = await import('./problems');
    const p = socketProblem('ssdp', { name: 'eth0', address: '10.0.0.2' }, Object.assign(new Error(`send ${code}`), { code }));
    expect(p).toMatchObject({ code: want, method: 'ssdp', interface: 'eth0' });
    expect(p.message).toMatch(/SSDP/);
    expect(p.message).toMatch(re);
  });
});
