/** Guided commissioning: the programmatic API the composition (electron/composition) builds on. */
export { CommissioningService, preflight, systemResolveHost, type CommissioningEvents, type CommissioningServiceDeps, type JobResult } from './commissioning-service';
export { commissionCamera, readSnapshot, SABOTAGE, TEST_SENSITIVITY, type CameraJob, type TriggerOutcome, type TriggerTest } from './commission-camera';
export { restoreBackup, differencesFrom, withFreshRetry } from './undo';
export { BackupStore, type StoredBackup } from './backup-store';
export { EmbeddedTestRelay, addressToward, relayAddressFor, type TestRelay, type TestRelayHost, type RelayWatch, type RelayMessage, type LocalAddress } from './test-relay';
export { parseCameraCsv } from './batch-file';
export { CommissioningSessions, type SessionEvents } from './session-service';
export { CommissioningSession, type SessionDeps } from './session';
export { runPreflight, CAMERA_SMTP_PORT, type PreflightDeps } from './preflight-checks';
