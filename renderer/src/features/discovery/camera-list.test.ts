import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../shared/domain/discovery';
import { addressOf, cameraUrlOf, devicesToCsv, filterDevices, sortDevices } from './camera-list';

function device(p: Partial<Device> & { ip: string }): Device {
  return {
    id: p.mac ?? p.ip,
    mac: null,
    uuid: null,
    manufacturer: 'Pelco',
    model: null,
    name: null,
    firmware: null,
    serial: null,
    webUrl: null,
    methods: ['ssdp'],
    interfaces: [],
    firstSeen: 0,
    lastSeen: 0,
    isOnline: true,
    isSarix: true,
    sarixEvidence: ['manufacturer'],
    firmwareAdvisory: null,
    ...p,
  };
}

const a = device({ ip: '10.0.0.10', mac: '00:0b:ab:00:00:0a', model: 'IXE20DN', name: 'Lobby', firmware: '1.9.2', methods: ['ssdp', 'wsd'] });
const b = device({ ip: '10.0.0.9', mac: '00:0b:ab:00:00:09', model: 'IMP519', name: 'Dock', firmware: '3.30.1' });
const c = device({ ip: '10.0.0.200', webUrl: 'http://10.0.0.200:8080/', model: 'IXE20DN', name: null });

describe('camera list rules', () => {
  it('sorts addresses numerically and names as text, both ways; empty values last', () => {
    expect(sortDevices([a, b, c], 'address', 'asc').map((d) => d.ip)).toEqual(['10.0.0.9', '10.0.0.10', '10.0.0.200']);
    expect(sortDevices([a, b, c], 'address', 'desc').map((d) => d.ip)).toEqual(['10.0.0.200', '10.0.0.10', '10.0.0.9']);
    expect(sortDevices([a, b, c], 'name', 'asc').map((d) => d.name)).toEqual(['Dock', 'Lobby', null]);
    expect(sortDevices([a, b, c], 'name', 'desc').map((d) => d.name)).toEqual(['Lobby', 'Dock', null]);
    // Stable: equal models keep their discovery order.
    expect(sortDevices([c, b, a], 'model', 'asc').map((d) => d.ip)).toEqual(['10.0.0.9', '10.0.0.200', '10.0.0.10']);
  });

  it('filters on every word across address, model, name, MAC, firmware and methods', () => {
    expect(filterDevices([a, b, c], 'ixe').map((d) => d.ip)).toEqual(['10.0.0.10', '10.0.0.200']);
    expect(filterDevices([a, b, c], 'IXE lobby')).toEqual([a]);
    expect(filterDevices([a, b, c], '00:0b:ab:00:00:09')).toEqual([b]);
    expect(filterDevices([a, b, c], 'wsd')).toEqual([a]);
    expect(filterDevices([a, b, c], ':8080')).toEqual([c]);
    expect(filterDevices([a, b, c], '   ')).toHaveLength(3);
    expect(filterDevices([a, b, c], 'nothing-like-it')).toEqual([]);
  });

  it('exports CSV with quoting, no password, and cells a spreadsheet would run as formulas made inert', () => {
    const evil = device({ ip: '10.0.0.7', name: '=HYPERLINK("http://x","y")', model: 'Say "hi", then', methods: ['manual'] });
    const csv = devicesToCsv([a, c, evil]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('address,url,model,mac,name,firmware,methods');
    expect(lines[1]).toBe('10.0.0.10,http://10.0.0.10,IXE20DN,00:0b:ab:00:00:0a,Lobby,1.9.2,ssdp wsd');
    expect(lines[2]).toBe('10.0.0.200:8080,http://10.0.0.200:8080,IXE20DN,,,,ssdp');
    expect(lines[3]).toBe('10.0.0.7,http://10.0.0.7,"Say ""hi"", then",,"\'=HYPERLINK(""http://x"",""y"")",,manual');
    expect(csv).not.toMatch(/password/i);
  });

  it('names the address and URL a camera is reached at', () => {
    expect(addressOf(c)).toBe('10.0.0.200:8080');
    expect(cameraUrlOf(c)).toBe('http://10.0.0.200:8080');
    expect(cameraUrlOf(a)).toBe('http://10.0.0.10');
  });
});
