/**
 * The reported bug: Camera Sabotage's sensitivity was a drop-down whose option values differ from their texts;
 * the undo wrote the wrong option (5 instead of 4) and `sarix rollback` did the same. The undo is raw now: it
 * writes back the option value it read, and checks by reading raw values back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main';
import { BEHAVIOUR_IDS, type SimState } from '../../simulator/index';
import { loopbackCameras } from '../../simulator/test-cameras';
import { makeVariant } from '../../simulator/variants/spec';
import { createSarixWebDriver } from './driver';

const cam = loopbackCameras();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-raw-undo-'));
});
afterAll(async () => {
  // maxRetries: clean-up only; a late write by the in-process CLI must not fail the suite.
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

let seed = 1;
while (!(makeVariant(seed).sensitivityControl === 'select' && makeVariant(seed).options.sensitivity === 'reversed')) seed++;
const behaviours = Object.fromEntries(BEHAVIOUR_IDS.map((id) => [id, { active: id === 'camera-sabotage', sensitivity: id === 'camera-sabotage' ? 4 : 5 }])) as SimState['analytics']['behaviours'];
const analytics = { profile: { sceneType: 'indoor' as const, background: 'still' as const, fineTuning: 'normal' as const, sensitivity: 5 }, behaviours };

describe(`sensitivity as a drop-down whose values differ from their texts (variant seed ${seed})`, () => {
  it('the backup records the raw value with its text; the undo writes it back exactly', async () => {
    const c = await cam({ variant: seed, initialState: { analytics } });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    expect(await d.readBehaviour('Camera Sabotage')).toEqual({ name: 'Camera Sabotage', active: true, sensitivity: 4 });
    const raw = (await d.readForm({ page: 'behaviour', item: 'Camera Sabotage' }))!;
    const sel = raw.controls.find((x) => x.kind === 'select' && x.selected?.[0]?.text === '4');
    expect(sel?.selected).toEqual([{ value: '7', text: '4' }]);
    await d.setBehaviour('Camera Sabotage', { sensitivity: 10 });
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 10 });
    await d.restoreForm({ page: 'behaviour', item: 'Camera Sabotage' }, raw);
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 4 });
    expect(await d.compareForm({ page: 'behaviour', item: 'Camera Sabotage' }, raw)).toEqual([]);
  });

  it('sarix commission then sarix rollback: exit 0, Camera Sabotage back at 4', async () => {
    const c = await cam({ variant: seed, initialState: { analytics } });
    const before = c.state();
    const site = ['--smtp-server', '192.168.1.10', '--ntp-server', 'ntp.site.lan', '--to', 'a@site.lan', '--from', 'b@site.lan', '--data', dir];
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['commission', '--camera', c.url, '--password', 'admin', '--no-test', '--scene-sensitivity', '6', ...site])).toBe(0);
      expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 6 });
      expect(await runCli(['rollback', '--camera', c.url, '--password', 'admin', '--data', dir])).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(c.state()).toEqual(before);
  });
});
