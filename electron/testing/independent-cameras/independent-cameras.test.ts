/**
 * The red team for docs/camera.md §4: the product's commissioning and `sarix rollback` against camera web UIs
 * written independently of the simulator (see README.md in this folder). Each UI keeps the documented labels and
 * differs the way another firmware could. For each: commissioning passes with only the intended changes, or
 * fails with a message naming the page, the label or the camera's words; and after `sarix rollback` the
 * camera's stored state equals its start state exactly (Camera Sabotage back at its value, whatever the
 * drop-down's option values are).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../services/common/logger';
import { RelayService } from '../../services/relay/index';
import { livedInState, type FakeState } from './backend';
import { commission, commissionCli, printed, rollback } from './harness';
import type { IndependentCamera, StartOptions } from './http-kit';
import { startLegacyTableCamera } from './legacy-table-ui';
import { startModernAriaCamera } from './modern-aria-ui';
import { startJumpMenuCamera } from './jump-menu-ui';
import { startZeroIndexCamera } from './zero-index-ui';

let dir: string;
let relay: RelayService;
let relayPort: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-independent-'));
  relay = new RelayService({ dataDir: join(dir, 'relay'), logger: silentLogger });
  relayPort = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: [] })).port;
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (printed.push(...String(c).split('\n').filter(Boolean)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (printed.push('ERR ' + String(c)), true));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await relay.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

let next = 10;
function options(initial: FakeState): StartOptions {
  return { address: `127.0.6.${next++}`, initial, mail: { smtpPort: relayPort, resolve: async () => '127.0.0.1' } };
}

/** The state commissioning may change: SMTP/NTP, the Sabotage source and handler, Camera Sabotage active. */
function expectCommissioned(before: FakeState, after: FakeState): void {
  expect(after.general).toEqual({ ...before.general, smtpServer: 'relay.site.lan', ntpServer: 'ntp.site.lan' });
  expect(after.sources.filter((s) => s.name !== 'Sabotage')).toEqual(before.sources);
  expect(after.sources.find((s) => s.name === 'Sabotage')).toMatchObject({ type: 'analytics', behaviours: ['Camera Sabotage'] });
  expect(after.handlers.filter((h) => h.name !== 'SabotageMail')).toEqual(before.handlers);
  expect(after.handlers.find((h) => h.name === 'SabotageMail')).toMatchObject({ type: 'email', to: 'alarms@site.lan', from: 'cam7@site.lan', sources: ['Sabotage'] });
  expect(after.analytics.profile).toEqual(before.analytics.profile);
  expect(after.analytics.behaviours).toEqual({ ...before.analytics.behaviours, 'Camera Sabotage': { ...before.analytics.behaviours['Camera Sabotage'], active: true } });
}

/** Runs commission then rollback, asserting the end state is exactly the start state. */
async function roundTrip(cam: IndependentCamera, expectPass: boolean | RegExp, o: { isLensCovered?: boolean } = {}): Promise<void> {
  const before = cam.backend.snapshot();
  const r = await commission(cam, relay, relayPort, join(dir, cam.address), o);
  if (expectPass === true) {
    expect(r.error ?? '').toBe('');
    expect(r.verdict).toBe('pass');
    expect(r.sensitivityRestoredTo).toBe(before.analytics.behaviours['Camera Sabotage'].sensitivity);
    expectCommissioned(before, cam.backend.state);
  } else {
    expect(r.verdict).not.toBe('pass');
    if (expectPass instanceof RegExp) expect(r.error, r.error).toMatch(expectPass);
    // A failed run undoes itself.
    expect(cam.backend.state).toEqual(before);
  }
  expect(cam.backend.dropped).toEqual([]);
  const rb = await rollback(cam.url, join(dir, cam.address));
  expect(rb.json).toMatchObject({ verified: true, differences: [] });
  expect(rb.status).toBe(0);
  expect(cam.backend.state).toEqual(before);
  expect(cam.backend.dropped).toEqual([]);
}

describe('independent camera UIs', () => {
  it('legacy-table: CGI paths behind a Setup link and a nested menu, table-cell labels, coded option values, 303 saves', { timeout: 90_000 }, async () => {
    const state = livedInState(3);
    state.analytics.behaviours['Camera Sabotage'].sensitivity = 4;
    const cam = await startLegacyTableCamera(options(state));
    try {
      await roundTrip(cam, true);
      expect(cam.requests.some((q) => q.startsWith('GET /setup/'))).toBe(true);
    } finally {
      await cam.stop();
    }
  });

  it('legacy-table, behaviour grid: every behaviour is a row of one form (Behavior | Activate Behavior | Sensitivity | Zone), sensitivity values s1..s10', { timeout: 90_000 }, async () => {
    const state = livedInState(13);
    state.analytics.behaviours['Camera Sabotage'].sensitivity = 4;
    const cam = await startLegacyTableCamera(options(state), 'grid');
    try {
      await roundTrip(cam, true);
    } finally {
      await cam.stop();
    }
  });

  it('modern-aria: tab buttons, aria-labelledby / dl / legend labels, radio sensitivity (value lv4), CSRF, confirmation pages, Digest API', { timeout: 90_000 }, async () => {
    const state = livedInState(4);
    state.analytics.behaviours['Camera Sabotage'].sensitivity = 4;
    const cam = await startModernAriaCamera(options(state));
    try {
      await roundTrip(cam, true);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu: a drop-down jump menu of paths, text-before-control and title labels, On/Off drop-down, name links and delete-selected lists', { timeout: 90_000 }, async () => {
    const state = livedInState(5);
    state.analytics.behaviours['Camera Sabotage'].sensitivity = 4;
    const cam = await startJumpMenuCamera(options(state));
    try {
      await roundTrip(cam, true);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu, silent save: the camera says a new handler was saved but keeps nothing; the run fails naming it and ends as it began', { timeout: 90_000 }, async () => {
    const cam = await startJumpMenuCamera(options(livedInState(6)), { isHandlerSaveSilent: true });
    try {
      await roundTrip(cam, /SabotageMail|handler/i);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu, HTTP 500 mid-plan: the Camera Sabotage save answers 500; the run fails saying so and ends as it began', { timeout: 90_000 }, async () => {
    const cam = await startJumpMenuCamera(options(livedInState(7)), { isBehaviourSave500: true });
    try {
      await roundTrip(cam, /500/);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu, HTTP 500 in the undo too: after the refused Camera Sabotage save, the first General restore answers 500; the undo retries and ends exact', { timeout: 90_000 }, async () => {
    const cam = await startJumpMenuCamera(options(livedInState(14)), { isBehaviourSave500: true, isGeneralUndo500: true });
    try {
      await roundTrip(cam, /500/);
      // The plan's save, the undo's refused save, and the undo's retry.
      expect(cam.requests.filter((q) => q === 'POST /config/general.html').length).toBeGreaterThanOrEqual(3);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu, session lost mid-plan: every session ends after 15 requests; the driver logs in again and finishes', { timeout: 90_000 }, async () => {
    const cam = await startJumpMenuCamera(options(livedInState(8)), { sessionRequests: 15 });
    try {
      await roundTrip(cam, true);
    } finally {
      await cam.stop();
    }
  });

  it('jump-menu, not enough processing power: three behaviours already run; the camera refuses Camera Sabotage in its own words', { timeout: 90_000 }, async () => {
    const state = livedInState(9);
    state.analytics.behaviours['Loitering Detection'].active = true;
    const cam = await startJumpMenuCamera(options(state));
    try {
      await roundTrip(cam, /processing power/);
    } finally {
      await cam.stop();
    }
  });

  it('zero-index: Sensitivity "4" is option value "3"; th row labels; a 200 meta-refresh login, one session at a time; tabs of one page; Modify/Remove rows', { timeout: 90_000 }, async () => {
    const state = livedInState(10);
    state.analytics.behaviours['Camera Sabotage'] = { active: false, sensitivity: 4, zone: 'Full frame' };
    const cam = await startZeroIndexCamera(options(state));
    try {
      await roundTrip(cam, true);
      expect(cam.backend.state.analytics.behaviours['Camera Sabotage'].sensitivity).toBe(4);
    } finally {
      await cam.stop();
    }
  });

  it('zero-index, the test e-mail never comes: the run undoes itself and Camera Sabotage reads 4 again (value "3"), then sarix rollback exits 0', { timeout: 90_000 }, async () => {
    const state = livedInState(11);
    state.analytics.behaviours['Camera Sabotage'] = { active: false, sensitivity: 4, zone: 'Full frame' };
    const cam = await startZeroIndexCamera(options(state));
    try {
      await roundTrip(cam, /lens|e-mail|mail/i, { isLensCovered: false });
      expect(cam.backend.state.analytics.behaviours['Camera Sabotage']).toEqual({ active: false, sensitivity: 4, zone: 'Full frame' });
    } finally {
      await cam.stop();
    }
  });

  it.each([
    ['zero-index', startZeroIndexCamera],
    ['modern-aria', startModernAriaCamera],
    ['jump-menu', startJumpMenuCamera],
  ] as const)('%s through the CLI: sarix commission --no-test --profile, then sarix rollback --profile, exit 0 and exact', { timeout: 90_000 }, async (_name, start) => {
    const state = livedInState(12);
    state.analytics.behaviours['Camera Sabotage'].sensitivity = 4;
    const cam = await start(options(state));
    const data = join(dir, `${cam.address}-cli`);
    // A profile file as a support engineer would add after a capture: one more path guess, one more wording.
    const profile = join(dir, `${cam.address}-profile.json`);
    await writeFile(profile, JSON.stringify({ name: 'site', pages: { sources: { paths: ['/events/sources'] } }, labels: { 'general.smtpServer': ['^mail\\s*server$'] } }));
    try {
      const before = cam.backend.snapshot();
      const c = await commissionCli(cam.url, data, ['--profile', profile]);
      expect(c.json?.results?.[0]?.error?.message ?? '').toBe('');
      expect(c.status, printed.filter((l) => l.startsWith('ERR')).join('\n')).toBe(0);
      expect(cam.backend.state.general).toEqual({ ...before.general, smtpServer: '10.20.0.99', ntpServer: '10.20.0.98' });
      expect(cam.backend.dropped).toEqual([]);
      const rb = await rollback(cam.url, data, ['--profile', profile]);
      expect(rb.json).toMatchObject({ verified: true, differences: [] });
      expect(rb.status).toBe(0);
      expect(cam.backend.state).toEqual(before);
      expect(cam.backend.dropped).toEqual([]);
    } finally {
      await cam.stop();
    }
  });
});
