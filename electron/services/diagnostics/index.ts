/** The diagnostics service folder's public face: the doctor and the knowledge base (composed in electron/composition). */
export { DoctorService, type DoctorDeps, type DoctorEvents, type DoctorRunOptions } from './doctor-service';
export { KnowledgeBase, defaultKbDir, loadArticles } from './knowledge-base';
export { SystemResolver, StaticResolver, type NameResolver, type ResolveAnswer } from './resolver';
export type { RelayStateSource } from './relay-checks';
