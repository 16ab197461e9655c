/**
 * The hand-over report's "site mail servers" part of the relay section: the latest mail-server search of the site,
 * each server with what runs there, how it was found and, in plain words, whether the camera may use it
 * (docs/camera.md §1: the camera sends plain SMTP to TCP 25 of a LOCAL server, without a login or TLS). It tells
 * the customer's IT why the cameras mail through the relay (or through their own server). Pure: no node:*, no I/O.
 */
import { z } from 'zod';
import { FoundBySchema, ServerStatusSchema, VerdictLevelSchema, type FoundBy } from './mail-servers';
import type { FoundMailServer, JournalEntryOf } from './site-journal';

/** One server as the report shows it. */
export const ReportMailServerSchema = z.object({
  host: z.string(),
  address: z.string().optional(),
  port: z.number().int(),
  software: z.string().optional(),
  isLocal: z.boolean(),
  foundBy: z.array(FoundBySchema),
  /** How it was found, in words: "DNS (MX)", "DNS (SRV)", "subnet probe". */
  source: z.string(),
  isUsableByCamera: z.boolean(),
  status: ServerStatusSchema,
  level: VerdictLevelSchema,
  /** The answer to "may the camera use it?" in a few words ("accepts mail from the camera", "not usable by the camera: …"). */
  cameraUse: z.string(),
  /** The finder's full verdict and its fix (empty when nothing to fix). */
  headline: z.string(),
  fix: z.string(),
});
/** One server as the report shows it. */
export type ReportMailServer = z.infer<typeof ReportMailServerSchema>;

/** The latest mail-server search of the site. */
export const ReportMailServersSchema = z.object({
  operationId: z.string(),
  /** When the search finished (ISO) and who ran it. */
  searchedAt: z.string(),
  by: z.string(),
  /** What was searched, in words: the DNS domains and the probed subnets. */
  searched: z.string(),
  isCancelled: z.boolean(),
  /** The finder's own one-line summary ("Use mail.site.lan (Postfix, 10.0.0.5) as the camera's SMTP server."). */
  summary: z.string(),
  recommended: z.object({ host: z.string(), address: z.string(), software: z.string().optional() }).optional(),
  servers: z.array(ReportMailServerSchema),
  /** The whole part in one sentence: "Site mail servers found: mail.site.local (Postfix) — accepts mail from the camera; …". */
  text: z.string(),
});
/** The latest mail-server search of the site. */
export type ReportMailServers = z.infer<typeof ReportMailServersSchema>;

const SOURCE_TEXT: Record<FoundBy, string> = { mx: 'DNS (MX)', srv: 'DNS (SRV)', subnet: 'subnet probe' };

const NOT_USABLE = 'not usable by the camera';

/** The answer to "may the camera use this server?" in a few words, from the finder's verdict. */
export function cameraUseText(s: FoundMailServer): string {
  if (s.isUsableByCamera) {
    return s.status === 'site-only' ? "accepts mail from the camera for the site's own mailboxes (it does not relay to outside addresses)" : 'accepts mail from the camera';
  }
  switch (s.status) {
    case 'not-usable': {
      // The finder's headline reads "<server> is not usable by the camera: <reason>. <why public servers fail>";
      // the reason's first sentence is what counts here (the headline stays whole in the table).
      const i = s.headline.indexOf(`${NOT_USABLE}: `);
      const reason = i >= 0 ? s.headline.slice(i + NOT_USABLE.length + 2) : s.headline;
      return `${NOT_USABLE}: ${reason.split(/(?<=\.) (?=[A-Z])/)[0].replace(/\.$/, '')}`;
    }
    case 'accepts':
    case 'site-only':
      return s.isLocal ? `${NOT_USABLE} as it is: it does not relay to the camera's outside recipients` : `${NOT_USABLE}: it is not on the local network`;
    case 'needs-auth':
      return `${NOT_USABLE}: it demands a login, which the camera cannot give`;
    case 'needs-tls':
      return `${NOT_USABLE}: it demands TLS, which the camera cannot do`;
    case 'refused':
      return `${NOT_USABLE}: it refused the camera-like test`;
    case 'deferred':
      return `${NOT_USABLE} for now: it deferred the test (the camera does not retry)`;
    case 'not-smtp':
      return `${NOT_USABLE}: it did not hold an SMTP conversation`;
    case 'unreachable':
      return `${NOT_USABLE}: it does not answer on port ${s.port}`;
    case 'unresolved':
      return `${NOT_USABLE}: its name does not resolve`;
    case 'not-probed':
      return 'not tested (whether the camera may use it is unknown)';
  }
}

/** What a server is, for the one-line list: its software, else "public MX"/"public SRV" or "software not recognised". */
function whatItIs(s: FoundMailServer): string {
  if (s.software) return s.software;
  if (!s.isLocal) return s.foundBy.includes('mx') ? 'public MX' : s.foundBy.includes('srv') ? 'public SRV' : 'public';
  return 'software not recognised';
}

/** The report's part for one journaled search. */
export function mailServersSection(e: JournalEntryOf<'mail-servers'>): ReportMailServers {
  const servers = e.servers.map(
    (s): ReportMailServer => ({
      host: s.host,
      ...(s.address ? { address: s.address } : {}),
      port: s.port,
      ...(s.software ? { software: s.software } : {}),
      isLocal: s.isLocal,
      foundBy: s.foundBy,
      source: s.foundBy.map((f) => SOURCE_TEXT[f]).join(' and ') || '-',
      isUsableByCamera: s.isUsableByCamera,
      status: s.status,
      level: s.level,
      cameraUse: cameraUseText(s),
      headline: s.headline,
      fix: s.fix,
    }),
  );
  const searched = [
    e.domains.length ? `DNS of ${e.domains.join(', ')}` : 'no site DNS',
    e.subnets.length ? `a probe of ${e.subnets.join(', ')}` : 'no subnet probe',
  ].join(' and ');
  const line = (s: FoundMailServer, i: number) => {
    const where = s.address && s.address !== s.host && s.isLocal ? `${s.host} [${s.address}]` : s.host;
    return `${where} (${whatItIs(s)}) — ${servers[i].cameraUse.replace(/\.$/, '')}`;
  };
  const cancelled = e.isCancelled ? ' (the search was cancelled; the list may be incomplete)' : '';
  const text = e.servers.length ? `Site mail servers found${cancelled}: ${e.servers.map(line).join('; ')}.` : `Site mail servers found${cancelled}: none (searched ${searched}).`;
  return {
    operationId: e.operationId,
    searchedAt: e.at,
    by: e.by,
    searched,
    isCancelled: e.isCancelled,
    summary: e.summary,
    ...(e.recommended ? { recommended: e.recommended } : {}),
    servers,
    text,
  };
}
