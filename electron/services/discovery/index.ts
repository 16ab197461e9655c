/** Discovery service: the programmatic API other areas (demo, commissioning, hosts) use. */
export { DiscoveryService, type DiscoveryServiceDeps, type DiscoveryEvents, type HostResolver, type ScanResult } from './discovery-service';
export { LimitedHttpClient, NodeDiscoveryHttpClient, type DiscoveryHttpClient, type HttpAnswer } from './http-client';
export { DESCRIPTION_PATHS, FINGERPRINT_PATH, identifyHttp, parseDescription, type DescriptionInfo, type HttpIdentity } from './identify';
export { chooseInterfaces, listInterfaces, type InterfaceSource } from './interfaces';
export type { ScanOptions } from '../../../shared/domain/scan';
