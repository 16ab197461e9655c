import { describe, expect, it } from 'vitest';
import { ScanProblemSchema } from '../../../shared/domain/discovery';
import { localizeError } from '../../../shared/i18n/messages';
import { socketProblem } from './problems';

describe('scan problems are keyed', () => {
  it('keep the English text and read German from their key, the method name included', () => {
    const e = Object.assign(new Error('send EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    const p = socketProblem('ssdp-notify', { name: 'eth1', address: '192.168.0.100' }, e);
    expect(ScanProblemSchema.parse(p)).toEqual(p);
    expect(p.message).toBe(
      'SSDP listening could not send on eth1 (192.168.0.100): EADDRNOTAVAIL (the interface is down, lost its address, or has no multicast route). Check the cable or Wi-Fi, then scan again or pick another interface.',
    );
    expect(localizeError('de', p)).toBe(
      'SSDP-Lauschen konnte auf eth1 (192.168.0.100) nicht senden: EADDRNOTAVAIL (die Schnittstelle ist nicht aktiv, hat ihre Adresse verloren oder keine Multicast-Route). Prüfen Sie Kabel oder WLAN, suchen Sie dann erneut oder wählen Sie eine andere Schnittstelle.',
    );
    const held = socketProblem('mdns', null, Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' }));
    expect(held.message).toBe('mDNS: the UDP port is held exclusively by another program (EADDRINUSE). Close other discovery tools and scan again.');
    expect(localizeError('de', held)).toBe('mDNS: Der UDP-Port wird exklusiv von einem anderen Programm belegt (EADDRINUSE). Schließen Sie andere Suchwerkzeuge und suchen Sie erneut.');
  });
});
