import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResolvConf, parseWindowsGlobal, parseWindowsInterfaces, readSiteDnsConfig, windowsSiteDns } from './site-dns';

// resolv.conf as systemd-resolved writes it (stub resolver), and as macOS configd writes it.
const SYSTEMD = `# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
nameserver 127.0.0.53
options edns0 trust-ad
search site.lan corp.site.lan
`;
const MACOS = `#
# macOS Notice
#
domain Site.LAN.
nameserver 192.168.10.1
nameserver fe80::1%en0
nameserver 192.168.10.1
`;

describe('parseResolvConf', () => {
  it('reads the search list and name servers (systemd-resolved)', () => {
    expect(parseResolvConf(SYSTEMD)).toEqual({ domains: ['site.lan', 'corp.site.lan'], nameservers: ['127.0.0.53'] });
  });
  it('reads a domain line, drops zone ids and duplicates (macOS)', () => {
    expect(parseResolvConf(MACOS)).toEqual({ domains: ['site.lan'], nameservers: ['192.168.10.1', 'fe80::1'] });
  });
  it('lets the last of domain/search win, ignores comments and junk', () => {
    expect(parseResolvConf('search a.lan b.lan\ndomain c.lan ; comment\nnameserver not-an-ip\n').domains).toEqual(['c.lan']);
    expect(parseResolvConf('domain c.lan\nsearch a.lan bad_name! b.lan # x\n').domains).toEqual(['a.lan', 'b.lan']);
    expect(parseResolvConf('')).toEqual({ domains: [], nameservers: [] });
  });
});

// `reg query HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces /s` on Windows 11: a DHCP
// interface (active), a static one (active), a disconnected one with stale DHCP values, and a sub-key.
const REG_INTERFACES = `
HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces

HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{0A1B2C3D-0000-4000-8000-000000000001}
    EnableDHCP    REG_DWORD    0x1
    Domain    REG_SZ
    NameServer    REG_SZ
    DhcpIPAddress    REG_SZ    192.168.10.57
    DhcpSubnetMask    REG_SZ    255.255.255.0
    DhcpServer    REG_SZ    192.168.10.1
    DhcpNameServer    REG_SZ    192.168.10.1 192.168.10.2
    DhcpDomain    REG_SZ    site.lan
    DhcpDefaultGateway    REG_MULTI_SZ    192.168.10.1

HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{0A1B2C3D-0000-4000-8000-000000000001}\\{8F1D0000-0000-4000-8000-0000000000AA}
    DhcpDomain    REG_SZ    stale-profile.lan

HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{0A1B2C3D-0000-4000-8000-000000000002}
    EnableDHCP    REG_DWORD    0x0
    IPAddress    REG_MULTI_SZ    10.20.0.5\\010.20.0.6
    SubnetMask    REG_MULTI_SZ    255.255.255.0\\0255.255.255.0
    NameServer    REG_SZ    10.20.0.1,10.20.0.2
    Domain    REG_SZ    cams.site.lan

HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{0A1B2C3D-0000-4000-8000-000000000003}
    EnableDHCP    REG_DWORD    0x1
    DhcpIPAddress    REG_SZ    172.16.5.9
    DhcpNameServer    REG_SZ    172.16.5.1
    DhcpDomain    REG_SZ    hotel-wifi.example
`;
const REG_GLOBAL = `
HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters
    NV Hostname    REG_SZ    LAPTOP-7
    Hostname    REG_SZ    LAPTOP-7
    Domain    REG_SZ    corp.example
    SearchList    REG_SZ    site.lan,extra.lan
`;

describe('Windows connection-specific DNS suffix (registry)', () => {
  it('parses each interface: addresses, suffix (static before DHCP), DNS servers; sub-keys are not interfaces', () => {
    const list = parseWindowsInterfaces(REG_INTERFACES);
    expect(list).toEqual([
      { guid: '{0A1B2C3D-0000-4000-8000-000000000001}', addresses: ['192.168.10.57'], suffix: 'site.lan', nameservers: ['192.168.10.1', '192.168.10.2'] },
      { guid: '{0A1B2C3D-0000-4000-8000-000000000002}', addresses: ['10.20.0.5', '10.20.0.6'], suffix: 'cams.site.lan', nameservers: ['10.20.0.1', '10.20.0.2'] },
      { guid: '{0A1B2C3D-0000-4000-8000-000000000003}', addresses: ['172.16.5.9'], suffix: 'hotel-wifi.example', nameservers: ['172.16.5.1'] },
    ]);
  });
  it('parses the global search list and primary suffix', () => {
    expect(parseWindowsGlobal(REG_GLOBAL)).toEqual({ searchList: ['site.lan', 'extra.lan'], domain: 'corp.example' });
    expect(parseWindowsGlobal('')).toEqual({ searchList: [] });
  });
  it('keeps only the interfaces that hold a current address, their suffixes first', () => {
    const w = windowsSiteDns(parseWindowsInterfaces(REG_INTERFACES), parseWindowsGlobal(REG_GLOBAL), ['127.0.0.1', '192.168.10.57', '10.20.0.6', 'fe80::1']);
    expect(w).toEqual({
      domains: ['site.lan', 'cams.site.lan', 'extra.lan', 'corp.example'],
      nameservers: ['192.168.10.1', '192.168.10.2', '10.20.0.1', '10.20.0.2'],
      active: ['{0A1B2C3D-0000-4000-8000-000000000001}', '{0A1B2C3D-0000-4000-8000-000000000002}'],
    });
  });
});

describe('readSiteDnsConfig', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  it('reads resolv.conf on Linux and macOS', async () => {
    const d = await mkdtemp(join(tmpdir(), 'site-dns-'));
    dirs.push(d);
    await writeFile(join(d, 'resolv.conf'), SYSTEMD);
    for (const platform of ['linux', 'darwin'] as const) {
      expect(await readSiteDnsConfig({ platform, resolvConfPath: join(d, 'resolv.conf') })).toEqual({
        domains: ['site.lan', 'corp.site.lan'],
        nameservers: [{ address: '127.0.0.53', port: 53 }],
        from: join(d, 'resolv.conf'),
      });
    }
    expect(await readSiteDnsConfig({ platform: 'linux', resolvConfPath: join(d, 'missing') })).toMatchObject({ domains: [], nameservers: [], error: 'ENOENT' });
  });
  it('runs reg query on Windows and names what it read; a failing reg is an error, not a throw', async () => {
    const calls: string[][] = [];
    const run = async (file: string, args: string[]) => {
      calls.push([file, ...args]);
      return args[1].endsWith('Interfaces') ? REG_INTERFACES : REG_GLOBAL;
    };
    const c = await readSiteDnsConfig({ platform: 'win32', run, addresses: () => ['192.168.10.57'] });
    expect(c).toEqual({ domains: ['site.lan', 'extra.lan', 'corp.example'], nameservers: [{ address: '192.168.10.1', port: 53 }, { address: '192.168.10.2', port: 53 }], from: 'the Windows registry (1 active interface)' });
    expect(calls[0]).toEqual(['reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces', '/s']);
    const failed = await readSiteDnsConfig({ platform: 'win32', run: async () => Promise.reject(new Error('reg is not available')), addresses: () => [] });
    expect(failed).toMatchObject({ domains: [], error: 'reg is not available' });
  });
});
