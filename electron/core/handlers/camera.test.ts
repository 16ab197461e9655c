import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCameras } from '../../simulator/test-cameras';
import { dispatch } from '../dispatch';
import { createCameraHandlers } from './camera';

const cam = loopbackCameras();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-capture-handler-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('camera:capture-pages', () => {
  it('saves the capture under <userData>/captures and answers where, through the contract', async () => {
    const c = await cam({ variant: 7 });
    const r = await dispatch(createCameraHandlers({ userDataPath: dir }), 'camera:capture-pages', { target: { url: c.url, username: 'admin', password: 'admin' } }, { caller: 'test' });
    expect(r).toMatchObject({ ok: true, value: { pages: expect.any(Number), problems: [] } });
    const file = (r as { value: { file: string } }).value.file;
    expect(file.startsWith(join(dir, 'captures'))).toBe(true);
    expect(await readdir(join(dir, 'captures'))).toHaveLength(1);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a wrong password is AUTH_FAILED and writes nothing', async () => {
    const c = await cam();
    const r = await dispatch(createCameraHandlers({ userDataPath: join(dir, 'other') }), 'camera:capture-pages', { target: { url: c.url, username: 'admin', password: 'nope' } }, { caller: 'test' });
    expect(r).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(await readdir(join(dir, 'other', 'captures'))).toEqual([]);
  });
});
