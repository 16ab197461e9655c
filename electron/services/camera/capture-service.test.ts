import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCameras } from '../../simulator/test-cameras';
import { CaptureService } from './capture';

const cam = loopbackCameras();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-capture-service-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CaptureService (camera:capture-pages)', () => {
  it('saves one zip per capture in its folder and answers where', async () => {
    const c = await cam({ variant: 7 });
    const r = await new CaptureService({ dir: join(dir, 'captures') }).capturePages({ url: c.url, username: 'admin', password: 'admin' });
    expect(r).toMatchObject({ pages: expect.any(Number), problems: [] });
    expect(r.file.startsWith(join(dir, 'captures'))).toBe(true);
    expect(await readdir(join(dir, 'captures'))).toHaveLength(1);
    if (process.platform !== 'win32') expect((await stat(r.file)).mode & 0o777).toBe(0o600);
  });

  it('a wrong password is AUTH_FAILED and writes nothing', async () => {
    const c = await cam();
    await expect(new CaptureService({ dir: join(dir, 'other') }).capturePages({ url: c.url, username: 'admin', password: 'nope' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(await readdir(join(dir, 'other'))).toEqual([]);
  });
});
