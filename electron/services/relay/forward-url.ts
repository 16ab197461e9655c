/**
 * Parses the CLI's forwarding URL: `smtp://host:port` (plain), `smtp+starttls://user:pass@host:587` (STARTTLS
 * required) or `smtps://user:pass@host:465` (implicit TLS). User and password are URL-encoded.
 */
import { failure } from '../../../shared/i18n/messages';
import type { ForwardConfigInput, ForwardSecurity } from '../../../shared/domain/relay';

const SCHEMES: Record<string, { security: ForwardSecurity; port: number }> = {
  'smtp:': { security: 'none', port: 25 },
  'smtp+starttls:': { security: 'starttls', port: 587 },
  'smtps:': { security: 'tls', port: 465 },
};

/** Turns a forwarding URL into a forward configuration (rules: all); throws a VALIDATION AppFailure otherwise. */
export function parseForwardUrl(text: string): ForwardConfigInput {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw failure('VALIDATION', 'errors.VALIDATION.notForwardUrl', { url: redact(text) });
  }
  const scheme = SCHEMES[u.protocol];
  if (!scheme) throw failure('VALIDATION', 'errors.VALIDATION.forwardScheme', { scheme: u.protocol });
  if (!u.hostname) throw failure('VALIDATION', 'errors.VALIDATION.forwardHost');
  if (u.pathname && u.pathname !== '/') throw failure('VALIDATION', 'errors.VALIDATION.forwardPath');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port: u.port ? Number(u.port) : scheme.port,
    security: scheme.security,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
