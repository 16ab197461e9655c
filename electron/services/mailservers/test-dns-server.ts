/**
 * Test support: a small authoritative DNS server on a loopback address (UDP, dns-packet), answering A, AAAA, MX,
 * SRV and PTR from a zone table, so name resolution is tested through node's real resolver (setServers) without
 * ever asking a real DNS server or resolving a public name. Unknown names get NXDOMAIN; known names without the
 * asked type get an empty answer (NODATA), as a real server does.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { parseIp } from '../../../shared/domain/net-address';
import type { StaticZone } from './dns-client';

/** A running DNS fixture. */
export interface DnsFixture {
  address: string;
  port: number;
  /** Every question received, as `TYPE name`. */
  queries: string[];
  close(): Promise<void>;
}

const NXDOMAIN = 3;

function reverseName(ip: string): string {
  const p = parseIp(ip);
  if (!p) throw new Error(`not an IP: ${ip}`);
  if (p.family === 4) return `${p.address.split('.').reverse().join('.')}.in-addr.arpa`;
  throw new Error('the fixture answers IPv4 PTR only');
}

/** Starts the fixture on `address` (a loopback address; default 127.0.0.1) and a free port. */
export async function startDnsFixture(zone: StaticZone, o: { address?: string } = {}): Promise<DnsFixture> {
  const address = o.address ?? '127.0.0.1';
  if (!address.startsWith('127.')) throw new Error('the DNS fixture only listens on loopback');
  const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');
  const ptr = new Map(Object.entries(zone.ptr ?? {}).map(([ip, names]) => [reverseName(ip), names]));
  const known = new Set([...Object.keys(zone.mx ?? {}), ...Object.keys(zone.srv ?? {}), ...Object.keys(zone.addresses ?? {}), ...ptr.keys()].map(norm));
  const queries: string[] = [];
  const sock: Socket = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    const name = norm(question.name);
    queries.push(`${question.type} ${name}`);
    const answers: dnsPacket.Answer[] = [];
    const ttl = 60;
    if (question.type === 'A' || question.type === 'AAAA') {
      const fam = question.type === 'A' ? 4 : 6;
      for (const a of zone.addresses?.[name] ?? []) if (parseIp(a)?.family === fam) answers.push({ type: question.type, name: question.name, ttl, data: a });
    } else if (question.type === 'MX') {
      for (const m of zone.mx?.[name] ?? []) answers.push({ type: 'MX', name: question.name, ttl, data: { preference: m.priority, exchange: m.exchange } });
    } else if (question.type === 'SRV') {
      for (const s of zone.srv?.[name] ?? []) answers.push({ type: 'SRV', name: question.name, ttl, data: { priority: s.priority, weight: s.weight, port: s.port, target: s.name } });
    } else if (question.type === 'PTR') {
      for (const n of ptr.get(name) ?? []) answers.push({ type: 'PTR', name: question.name, ttl, data: n });
    }
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (known.has(name) ? 0 : NXDOMAIN);
    const reply = dnsPacket.encode({ type: 'response', id: q.id, flags, questions: [question], answers });
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, address, () => resolve());
  });
  return { address, port: sock.address().port, queries, close: () => new Promise((r) => sock.close(() => r())) };
}
