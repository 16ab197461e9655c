/**
 * Test support: sends one multicast WS-Discovery Probe from the given local address (run inside a network
 * namespace only) and prints every ProbeMatch received within 3 seconds, one per line.
 */
import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';

const local = process.argv[2] ?? '';
const s = createSocket({ type: 'udp4', reuseAddr: true });
s.on('message', (m) => {
  const t = m.toString('utf8');
  if (t.includes('ProbeMatch')) process.stdout.write(t.replace(/\s+/g, ' ') + '\n');
});
s.bind(0, local, () => {
  s.setMulticastInterface(local);
  const probe = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>`;
  s.send(probe, 3702, '239.255.255.250');
  setTimeout(() => s.close(), 3000);
});
