import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import electronLogMain from 'electron-log/main';
import nodeLog from 'electron-log/node';
import { initElectronLog, LOG_FILE_WRITE_OPTIONS } from './logger';

vi.mock('electron-log/main', () => ({ default: { scope: () => ({}), transports: { file: {}, console: {} } } }));

describe('the main-process log file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarix-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is configured owner-only at startup', () => {
    initElectronLog();
    expect((electronLogMain.transports.file as { writeOptions?: unknown }).writeOptions).toEqual(LOG_FILE_WRITE_OPTIONS);
  });

  it('those write options give a 0600 file with the real electron-log file transport', () => {
    const file = join(dir, 'main.log');
    nodeLog.transports.console.level = false;
    nodeLog.transports.file.resolvePathFn = () => file;
    nodeLog.transports.file.writeOptions = { ...LOG_FILE_WRITE_OPTIONS };
    nodeLog.transports.file.sync = true;
    nodeLog.info('camera 10.0.0.20 commissioned');
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
  });
});
