/** The mail-server finder's public face: the service, and a factory for hosts with the host-level DNS switches. */
import { parseIp } from '../../../shared/domain/net-address';
import { MailServerFinder, type MailServerFinderDeps } from './mail-server-finder';
import { readSiteDnsConfig, type SiteDnsConfig } from './site-dns';

export { MailServerFinder, type MailServerFinderDeps, type MailServerFinderEvents, type FindOptions } from './mail-server-finder';
export { readSiteDnsConfig, type SiteDnsConfig } from './site-dns';

/**
 * Host-level switches for the site DNS, read from the environment like SARIX_NO_MULTICAST: test hosts (the CLI
 * in a test, the web host in E2E) must never ask the machine's real DNS server.
 * - `SARIX_SITE_DNS=off`: no site DNS lookups at all (a caller's explicit DNS server still works);
 * - `SARIX_SITE_DNS=IP[:PORT]`: ask this server instead of the system's (a DNS fixture on loopback);
 * - `SARIX_SITE_DOMAIN=a.lan[,b.lan]`: use these mail domains instead of the system's search domain.
 * Returns undefined when neither is set (the system's settings apply). Throws on a malformed value.
 */
export function siteDnsFromEnv(env: NodeJS.ProcessEnv = process.env): (() => Promise<SiteDnsConfig>) | undefined {
  const dns = env.SARIX_SITE_DNS?.trim();
  const domain = env.SARIX_SITE_DOMAIN?.trim();
  if (!dns && !domain) return undefined;
  const domains = domain ? domain.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean) : undefined;
  if (dns === 'off') return async () => ({ domains: domains ?? [], nameservers: [], from: 'SARIX_SITE_DNS=off', isOff: true });
  let server: { address: string; port: number } | undefined;
  if (dns) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(dns) ?? /^([^:]+)(?::(\d+))?$/.exec(dns);
    const ip = m ? parseIp(m[1]) : null;
    const port = m?.[2] ? Number(m[2]) : 53;
    if (!ip || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`SARIX_SITE_DNS must be "off" or IP[:PORT] (got "${dns}").`);
    server = { address: ip.address, port };
  }
  return async () => {
    const sys = domains && server ? undefined : await readSiteDnsConfig();
    return {
      domains: domains ?? sys?.domains ?? [],
      nameservers: server ? [server] : (sys?.nameservers ?? []),
      from: [server ? `SARIX_SITE_DNS=${dns}` : sys?.from, domains ? `SARIX_SITE_DOMAIN=${domain}` : undefined].filter(Boolean).join(', '),
    };
  };
}

/** Builds the finder for one host (system DNS settings, unless the environment switches them or the caller gives its own). */
export function createMailServerFinder(o: MailServerFinderDeps & { env?: NodeJS.ProcessEnv }): MailServerFinder {
  const { env, ...deps } = o;
  const fromEnv = deps.siteDns ? undefined : siteDnsFromEnv(env ?? process.env);
  return new MailServerFinder({ ...deps, ...(fromEnv ? { siteDns: fromEnv } : {}) });
}
