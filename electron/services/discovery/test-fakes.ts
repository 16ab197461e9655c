/**
 * Minimal fake network devices for discovery tests (not product code): a web server that looks like a Sarix
 * camera or like another UPnP device (a MiniDLNA-style media server), and an SSDP/WS-Discovery responder on the
 * device's own address. The real simulator (electron/simulator) is used where its behaviour matters; these
 * fakes cover what it cannot be: other manufacturers, redirects, slow hosts, counted requests.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** What a fake device says about itself. */
export interface FakeDeviceSpec {
  address: string;
  httpPort: number;
  kind: 'sarix' | 'other';
  mac?: string;
  uuid?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  name?: string;
  /** Embed the camera device under a Basic:1 root (docs/camera.md §3.1 allows both). */
  isEmbedded?: boolean;
  /** Extra routes (path → handler) for special cases. */
  routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;
  /** Delay before answering each HTTP request, ms. */
  delayMs?: number;
  /** Also answer SSDP M-SEARCH on this UDP port of the same address. */
  ssdpPort?: number;
  /** Also join the SSDP group on this address and answer multicast M-SEARCH (network namespaces only). */
  ssdpMulticast?: boolean;
  /** Also answer WS-Discovery Probe on this UDP port of the same address. */
  wsdPort?: number;
  /** Serve the description here instead of the usual path (a firmware whose LOCATION is the only way to it). */
  descriptionPath?: string;
}

/** A running fake device. */
export interface FakeDevice {
  spec: FakeDeviceSpec;
  /** HTTP requests received (path list). */
  requests: string[];
  /** UDP datagrams received. */
  datagrams: number;
  /** Stops it (safe to call twice). */
  close(): Promise<void>;
}

/** The description path the fake Sarix uses; the other device uses /rootDesc.xml like MiniDLNA. */
const SARIX_DESC = '/upnp/description.xml';
const OTHER_DESC = '/rootDesc.xml';

function descriptionXml(s: FakeDeviceSpec): string {
  if (s.kind === 'other') {
    return `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion><device>
<deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>${s.name ?? 'NAS: minidlna'}</friendlyName>
<manufacturer>Justin Maggard</manufacturer><modelName>Windows Media Connect compatible (MiniDLNA)</modelName><modelNumber>1.3.0</modelNumber>
<serialNumber>00000000</serialNumber><UDN>uuid:${s.uuid ?? '4d696e69-444c-164e-9d41-000000000001'}</UDN></device></root>`;
  }
  const cam = `<deviceType>urn:schemas-pelco-com:device:Camera:1</deviceType><friendlyName>${s.name ?? 'Sarix'}</friendlyName>
<manufacturer>Pelco</manufacturer><modelName>${s.model ?? 'IME322'}</modelName><serialNumber>${s.serial ?? 'SN1'}</serialNumber>
<firmwareVersion>${s.firmware ?? '1.9.2'}</firmwareVersion><MAC>${s.mac ?? '00:0B:AB:00:00:01'}</MAC><UDN>uuid:${s.uuid ?? 'cam-1'}</UDN>`;
  const dev = s.isEmbedded
    ? `<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>root</friendlyName><manufacturer>Pelco</manufacturer><UDN>uuid:${s.uuid ?? 'cam-1'}-root</UDN><deviceList><device>${cam}</device></deviceList></device>`
    : `<device>${cam}</device>`;
  return `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>${dev}</root>`;
}

/** Starts one fake device (HTTP, plus SSDP/WS-Discovery responders when asked). */
export async function startFakeDevice(spec: FakeDeviceSpec): Promise<FakeDevice> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const answer = () => {
      const route = spec.routes?.[req.url ?? ''];
      if (route) return route(req, res);
      if (spec.kind === 'sarix' && req.url === '/liveview') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>Live</title><body><h1>Sarix&trade; Professional</h1></body></html>');
      } else if (req.url === (spec.descriptionPath ?? (spec.kind === 'sarix' ? SARIX_DESC : OTHER_DESC))) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(descriptionXml(spec));
      } else {
        res.writeHead(404).end('not found');
      }
    };
    if (spec.delayMs) setTimeout(answer, spec.delayMs);
    else answer();
  });
  server.listen(spec.httpPort, spec.address);
  await once(server, 'listening');
  const sockets: dgram.Socket[] = [];
  let isClosed = false;
  const dev: FakeDevice = {
    spec,
    requests,
    datagrams: 0,
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const s of sockets) s.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const port = (server.address() as AddressInfo).port;
  const location = `http://${spec.address}:${port}${spec.descriptionPath ?? (spec.kind === 'sarix' ? SARIX_DESC : OTHER_DESC)}`;
  const uuid = spec.uuid ?? (spec.kind === 'sarix' ? 'cam-1' : '4d696e69-444c-164e-9d41-000000000001');
  if (spec.ssdpPort !== undefined) {
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const onSearch = (buf: Buffer, rinfo: dgram.RemoteInfo) => {
      dev.datagrams++;
      const text = buf.toString();
      if (!text.startsWith('M-SEARCH')) return;
      const st = /\r\nST:\s*(.+)\r\n/i.exec(text)?.[1]?.trim() ?? 'upnp:rootdevice';
      if (st !== 'upnp:rootdevice' && st !== 'ssdp:all' && !(spec.kind === 'sarix' && st === 'urn:schemas-pelco-com:device:Camera:1')) return;
      const reply = ['HTTP/1.1 200 OK', 'CACHE-CONTROL: max-age=1800', 'EXT:', `LOCATION: ${location}`, 'SERVER: Linux/3.0 UPnP/1.0 Fake/1.0', `ST: ${st}`, `USN: uuid:${uuid}::${st}`, '', ''].join('\r\n');
      s.send(reply, rinfo.port, rinfo.address);
    };
    s.on('message', onSearch);
    s.bind(spec.ssdpPort, spec.address);
    await once(s, 'listening');
    sockets.push(s);
    if (spec.ssdpMulticast) {
      // Group datagrams reach only sockets bound to the wildcard address; replies leave from the unicast socket
      // so they carry this device's own source address.
      const g = dgram.createSocket({ type: 'udp4', reuseAddr: true });
      g.on('message', onSearch);
      g.bind(spec.ssdpPort, '0.0.0.0');
      await once(g, 'listening');
      g.addMembership('239.255.255.250', spec.address);
      sockets.push(g);
    }
  }
  if (spec.wsdPort !== undefined) {
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    s.on('message', (buf, rinfo) => {
      dev.datagrams++;
      const id = /<[^>]*MessageID>([^<]+)</.exec(buf.toString())?.[1] ?? '';
      const xml = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:RelatesTo>${id}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:${uuid}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/${encodeURIComponent(spec.name ?? 'Sarix')} onvif://www.onvif.org/hardware/${spec.model ?? 'IME322'}</d:Scopes><d:XAddrs>http://${spec.address}:${port}/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;
      s.send(xml, rinfo.port, rinfo.address);
    });
    s.bind(spec.wsdPort, spec.address);
    await once(s, 'listening');
    sockets.push(s);
  }
  return dev;
}

/** A port that is free on the given loopback address (to give several fake devices the same HTTP port). */
export async function freePort(address: string): Promise<number> {
  const s = http.createServer();
  s.listen(0, address);
  await once(s, 'listening');
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}
