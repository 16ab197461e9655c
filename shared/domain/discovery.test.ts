import { describe, expect, it } from 'vitest';
import { localizeError } from '../i18n/messages';
import {
  checkScanHost,
  classifyInterface,
  cidrOf,
  factoryDefaultAddresses,
  firmwareAdvisory,
  hasSarixFingerprint,
  markOffline,
  mergeObservation,
  normalizeMac,
  normalizeUuid,
  parseCidr,
  SCAN_HOST_ACCEPTED,
  splitDevices,
  type Device,
  type Observation,
} from './discovery';

const obs = (o: Partial<Observation> & { ip: string }): Observation => ({ method: 'ssdp', at: 1000, ...o });

function mergeAll(list: Observation[]): Device[] {
  let devices: Device[] = [];
  for (const o of list) devices = mergeObservation(devices, o).devices;
  return devices;
}

describe('normalizeMac / normalizeUuid', () => {
  it.each([
    ['00:0B:AB:12:34:56', '00:0b:ab:12:34:56'],
    ['00-0b-ab-12-34-56', '00:0b:ab:12:34:56'],
    ['000BAB123456', '00:0b:ab:12:34:56'],
    ['00:00:00:00:00:00', null],
    ['zz', null],
    ['', null],
  ])('mac %s → %s', (raw, want) => expect(normalizeMac(raw)).toBe(want));
  it.each([
    ['uuid:ABC-1::upnp:rootdevice', 'abc-1'],
    ['urn:uuid:abc-1', 'abc-1'],
    ['abc-1', 'abc-1'],
    ['uuid:', null],
  ])('uuid %s → %s', (raw, want) => expect(normalizeUuid(raw)).toBe(want));
});

describe('mergeObservation', () => {
  it('merges the same device seen by SSDP (uuid), sweep (ip+mac) and WS-Discovery (uuid) into one entry', () => {
    const d = mergeAll([
      obs({ ip: '10.0.0.5', uuid: 'uuid:cam-1', method: 'ssdp', at: 1000 }),
      obs({ ip: '10.0.0.5', mac: '00:0b:ab:00:00:01', uuid: 'cam-1', manufacturer: 'Pelco', model: 'IME322', method: 'sweep', at: 2000 }),
      obs({ ip: '10.0.0.5', uuid: 'urn:uuid:cam-1', method: 'wsd', at: 3000 }),
    ]);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ ip: '10.0.0.5', mac: '00:0b:ab:00:00:01', model: 'IME322', methods: ['ssdp', 'sweep', 'wsd'], firstSeen: 1000, lastSeen: 3000, isSarix: true });
    expect(d[0].id).toBe('uuid:cam-1');
  });

  it('keeps two devices with different MACs apart even at the same IP (address reuse)', () => {
    const d = mergeAll([obs({ ip: '10.0.0.5', mac: '00:0b:ab:00:00:01' }), obs({ ip: '10.0.0.5', mac: '00:0b:ab:00:00:02' })]);
    expect(d).toHaveLength(2);
  });

  it('follows a device by MAC when its IP changes', () => {
    const d = mergeAll([obs({ ip: '10.0.0.5', mac: '00:0b:ab:00:00:01', at: 1 }), obs({ ip: '10.0.0.9', mac: '00:0B:AB:00:00:01', at: 2 })]);
    expect(d).toHaveLength(1);
    expect(d[0].ip).toBe('10.0.0.9');
  });

  it('prefers a UUID match over an IP match', () => {
    let devices = mergeAll([obs({ ip: '10.0.0.5', uuid: 'a' }), obs({ ip: '10.0.0.6', uuid: 'b' })]);
    const out = mergeObservation(devices, obs({ ip: '10.0.0.5', uuid: 'b' }));
    devices = out.devices;
    expect(devices).toHaveLength(2);
    expect(out.device.id).toBe('uuid:b');
    expect(out.isNew).toBe(false);
  });

  it('newer non-empty fields win; empty ones never erase', () => {
    const d = mergeAll([obs({ ip: '1.1.1.1', name: 'Lobby', model: 'IXE20' }), obs({ ip: '1.1.1.1', name: '', model: 'IXE21', at: 5 })]);
    expect(d[0]).toMatchObject({ name: 'Lobby', model: 'IXE21' });
  });

  it('reports isChanged only when something visible changed', () => {
    const first = mergeObservation([], obs({ ip: '1.1.1.1', model: 'X' }));
    const again = mergeObservation(first.devices, obs({ ip: '1.1.1.1', model: 'X', at: 9999 }));
    expect(again.isNew).toBe(false);
    expect(again.isChanged).toBe(false);
    const more = mergeObservation(again.devices, obs({ ip: '1.1.1.1', method: 'sweep' }));
    expect(more.isChanged).toBe(true);
  });
});

describe('Sarix classification', () => {
  it.each<[string, Partial<Observation>, boolean]>([
    ['Pelco manufacturer', { manufacturer: 'Pelco' }, true],
    ['Pelco, Inc.', { manufacturer: 'Pelco, Inc.' }, true],
    ['Sarix fingerprint only', { hasSarixFingerprint: true }, true],
    ['Pelco MAC prefix', { mac: '00:0B:AB:01:02:03' }, true],
    ['minidlna', { manufacturer: 'Justin Maggard', model: 'Windows Media Connect compatible (MiniDLNA)' }, false],
    ['other camera', { manufacturer: 'AXIS', mac: 'ac:cc:8e:01:02:03' }, false],
    ['manufacturer containing pelco as part of a word', { manufacturer: 'Pelcos Pizza' }, false],
  ])('%s → isSarix %s', (_, o, want) => {
    const [d] = mergeAll([obs({ ip: '1.1.1.1', ...o })]);
    expect(d.isSarix).toBe(want);
    expect(splitDevices([d]).cameras).toHaveLength(want ? 1 : 0);
    expect(splitDevices([d]).otherDevices).toHaveLength(want ? 0 : 1);
  });

  it.each([
    ['<h1>Sarix&trade; IME</h1>', true],
    ['Sarix™', true],
    ['Sarix&#8482;', true],
    ['Sarix camera', false],
    ['<title>MiniDLNA</title>', false],
  ])('fingerprint %s → %s', (html, want) => expect(hasSarixFingerprint(html)).toBe(want));
});

describe('firmwareAdvisory', () => {
  it.each<[string | null, boolean, boolean | null]>([
    ['1.9.2', true, true],
    ['3.29.68', true, true],
    ['V3.29.68-20170101', true, true],
    ['3.29.69', true, false],
    ['3.30', true, false],
    ['4.0.0', true, false],
    ['1.9.2', false, null],
    [null, true, null],
    ['unknown', true, null],
  ])('%s (sarix %s) → vulnerable %s', (fw, isSarix, want) => {
    const a = firmwareAdvisory(fw, isSarix);
    expect(a === null ? null : a.isVulnerable).toBe(want);
    if (a?.isVulnerable) expect(a.cves).toContain('CVE-2018-7228');
  });
});

describe('markOffline', () => {
  it('marks a device offline after 45 s unseen and not before', () => {
    const devices = mergeAll([obs({ ip: '1.1.1.1', at: 0 }), obs({ ip: '1.1.1.2', at: 30_000 })]);
    expect(markOffline(devices, 44_999).changed).toHaveLength(0);
    const r = markOffline(devices, 45_000);
    expect(r.changed.map((d) => d.ip)).toEqual(['1.1.1.1']);
    expect(markOffline(r.devices, 46_000).changed).toHaveLength(0);
    const back = mergeObservation(r.devices, obs({ ip: '1.1.1.1', at: 50_000 }));
    expect(back.device.isOnline).toBe(true);
    expect(back.isChanged).toBe(true);
  });
});

describe('classifyInterface', () => {
  it.each<[string, boolean, string]>([
    ['lo', true, 'loopback'],
    ['eth0', false, 'physical'],
    ['enp0s31f6', false, 'physical'],
    ['wlan0', false, 'physical'],
    ['Ethernet 2', false, 'physical'],
    ['Wi-Fi', false, 'physical'],
    ['en0', false, 'physical'],
    ['tun0', false, 'vpn'],
    ['tap1', false, 'vpn'],
    ['wg0', false, 'vpn'],
    ['utun3', false, 'vpn'],
    ['ppp0', false, 'vpn'],
    ['docker0', false, 'virtual'],
    ['veth12ab', false, 'virtual'],
    ['vboxnet0', false, 'virtual'],
    ['vmnet8', false, 'virtual'],
    ['virbr0', false, 'virtual'],
    ['br-3f2a', false, 'virtual'],
    ['vEthernet (WSL)', false, 'virtual'],
  ])('%s → %s', (name, internal, kind) => expect(classifyInterface(name, internal)).toBe(kind));
});

describe('parseCidr', () => {
  it('expands a /24 without network and broadcast', () => {
    const r = parseCidr('192.168.0.77/24');
    if (!r.ok) throw new Error(r.message);
    expect(r.range).toEqual({ cidr: '192.168.0.0/24', first: '192.168.0.1', last: '192.168.0.254', count: 254 });
    expect(r.hosts()).toHaveLength(254);
  });
  it('accepts a single address and a /31', () => {
    const one = parseCidr('10.1.2.3');
    expect(one.ok && one.hosts()).toEqual(['10.1.2.3']);
    const p31 = parseCidr('10.1.2.2/31');
    expect(p31.ok && p31.hosts()).toEqual(['10.1.2.2', '10.1.2.3']);
  });
  it.each(['10.1.2/24', '300.1.1.1/24', '10.0.0.0/33', 'abc', '10.0.0.0/8', ''])('rejects %s with a message that says what to write', (t) => {
    const r = parseCidr(t);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/192\.168\.0\.0\/24|\/24/);
  });
  it('computes an interface CIDR', () => {
    expect(cidrOf('192.168.1.10', '255.255.255.0')).toBe('192.168.1.0/24');
    expect(cidrOf('10.0.5.1', '255.255.252.0')).toBe('10.0.4.0/22');
  });
  it('lists factory-default addresses from 192.168.0.20 upward', () => {
    expect(factoryDefaultAddresses(3)).toEqual(['192.168.0.20', '192.168.0.21', '192.168.0.22']);
  });
});

describe('checkScanHost (sarix discover --hosts, the UI host list)', () => {
  it.each([
    ['10.1.2.3', 'ipv4', '10.1.2.3'],
    [' 192.168.0.20 ', 'ipv4', '192.168.0.20'],
    ['127.0.0.1', 'ipv4', '127.0.0.1'],
    ['169.254.10.2', 'ipv4', '169.254.10.2'],
    ['cam-lobby.site.local', 'name', 'cam-lobby.site.local'],
    ['cam-lobby.site.local.', 'name', 'cam-lobby.site.local'],
    ['CAM7', 'name', 'CAM7'],
    ['10.0.0.1a', 'name', '10.0.0.1a'],
  ])('accepts %s as %s', (text, kind, host) => {
    expect(checkScanHost(text)).toEqual({ ok: true, kind, host });
  });

  it.each([
    ['999.0.0.1', /^"999\.0\.0\.1" is not a valid IPv4 address: it needs four numbers from 0 to 255/],
    ['256.1.1.1', /is not a valid IPv4 address/],
    ['10.1.2', /is not a valid IPv4 address/],
    ['1.2.3.4.5', /is not a valid IPv4 address/],
    ['010.0.0.1', /is not a valid IPv4 address.*no leading zeros/],
    ['127.1', /is not a valid IPv4 address/],
    ['255.255.255.255', /is a broadcast address, not the address of a device/],
    ['224.0.0.251', /is a multicast address/],
    ['239.255.255.250', /is a multicast address/],
    ['0.0.0.0', /is a unspecified address/],
    ['240.0.0.1', /is a reserved address/],
    ['fe80::1', /IPv6 address; discovery probes IPv4 only/],
    ['http://10.1.2.3/', /is a URL/],
    ['10.1.2.0/24', /is a range; sweep a range with the sweep option \(--sweep\)/],
    ['10.1.2.3:8080', /has a port/],
    ['cam lobby', /is not an IPv4 address or host name/],
    ['-cam', /is not an IPv4 address or host name/],
    ['a'.repeat(300), /^"a{80}…" is not an IPv4 address or host name/],
    ['', /is not an IPv4 address or host name/],
  ])('refuses %s, saying why and what is accepted', (text, why) => {
    const r = checkScanHost(text);
    expect(r.ok).toBe(false);
    const message = (r as { message: string }).message;
    expect(message).toMatch(why);
    expect(message).toContain('Accepted: IPv4 addresses like 10.1.2.3 or host names like cam-lobby.site.local');
  });
});

describe('the refusals are keyed (shown in German from their key; the English stays as it was)', () => {
  const de = (r: ReturnType<typeof checkScanHost> | ReturnType<typeof parseCidr>) => {
    if (r.ok) throw new Error('expected a refusal');
    return localizeError('de', r);
  };
  it('checkScanHost', () => {
    const r = checkScanHost('255.255.255.255');
    expect(r).toMatchObject({ ok: false, message: `"255.255.255.255" is a broadcast address, not the address of a device. ${SCAN_HOST_ACCEPTED}`, key: 'errors.VALIDATION.scanHost' });
    expect(de(r)).toBe('„255.255.255.255“ ist eine Broadcast-Adresse, nicht die Adresse eines Geräts. Zulässig: IPv4-Adressen wie 10.1.2.3 oder Hostnamen wie cam-lobby.site.local, durch Kommas getrennt.');
    expect(de(checkScanHost('240.0.0.1'))).toContain('ist eine reservierte Adresse');
    expect(de(checkScanHost('10.1.2.3:8080'))).toContain('„10.1.2.3:8080“ enthält einen Port; geben Sie nur die Adresse oder den Namen an');
  });
  it('parseCidr', () => {
    expect(parseCidr('abc')).toMatchObject({ message: '"abc" is not an IPv4 range; write it like 192.168.0.0/24 (address/prefix 0-32).', key: 'errors.VALIDATION.sweepRange' });
    expect(de(parseCidr('abc'))).toBe('„abc“ ist kein IPv4-Bereich; schreiben Sie ihn wie 192.168.0.0/24 (Adresse/Präfix 0-32).');
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ message: '"10.0.0.0/8" has 16777214 addresses; sweep at most 4096 (a /20 or smaller), e.g. 10.0.0.0/24.' });
    expect(de(parseCidr('10.0.0.0/8'))).toBe('„10.0.0.0/8“ umfasst 16777214 Adressen; durchsuchen Sie höchstens 4096 (ein /20 oder kleiner), z. B. 10.0.0.0/24.');
  });
});
