/** The embedded SMTP relay service (issue 4); see relay-service.ts. */
export { RelayService, type RelayBound, type RelayDownload, type RelayServiceDeps } from './relay-service';
export { parseForwardUrl, redact } from './forward-url';
export { nodemailerSender, type UpstreamSender } from './spool';
