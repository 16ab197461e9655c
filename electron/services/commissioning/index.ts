/** Guided commissioning: the programmatic API the hosts (app, web, CLI, demo) use. */
export { CommissioningService, createCommissioningService, preflight, systemResolveHost, type CommissioningServiceDeps, type JobResult, type RollbackResult } from './commissioning-service';
export { commissionCamera, readSnapshot, SABOTAGE, TEST_SENSITIVITY, type CameraJob, type TriggerOutcome, type TriggerTest } from './commission-camera';
export { restoreBackup, differencesFrom, withFreshRetry } from './undo';
export { BackupStore, type StoredBackup } from './backup-store';
export { EmbeddedTestRelay, addressToward, relayAddressFor, type TestRelay, type RelayWatch, type RelayMessage, type LocalAddress } from './test-relay';
export { parseCameraCsv } from './batch-file';
