/** Guided commissioning (issue 6): the programmatic API the hosts (app, web, CLI, demo) use. */
export { CommissioningService, createCommissioningService, preflight, systemResolveHost, type CommissioningServiceDeps, type JobResult, type RollbackResult } from './commissioning-service';
export { commissionCamera, matchesBackup, restoreBackup, readSnapshot, SABOTAGE, TEST_SENSITIVITY, type TriggerOutcome, type TriggerTest } from './commission-camera';
export { BackupStore, type StoredBackup } from './backup-store';
export { EmbeddedTestRelay, addressToward, relayAddressFor, type TestRelay, type RelayWatch, type RelayMessage, type LocalAddress } from './test-relay';
export { parseCameraCsv } from './batch-file';
