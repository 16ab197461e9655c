/** The embedded SMTP relay service; see relay-service.ts. */
export { RelayService, type RelayBound, type RelayDownload, type RelayEvents, type RelayServiceDeps } from './relay-service';
export { RelaySetupStore, type RelaySetup } from './relay-setup-store';
export { parseForwardUrl, redact } from './forward-url';
export { nodemailerSender, type UpstreamSender } from './spool';
