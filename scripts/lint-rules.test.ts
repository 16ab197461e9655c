import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles } from './check-cycles.mjs';

// The per-folder runtime rules (docs/architecture.md §2.1) and import-direction rules (§3.18), proven on probe code
// linted as if it lived there.
const eslint = new ESLint({ cwd: process.cwd() });
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => m.ruleId ?? 'parse');
}

describe('lint: one runtime per folder', () => {
  it.each([
    ['shared/domain/probe.ts', "import { readFileSync } from 'node:fs'; export const x = readFileSync;"],
    ['shared/domain/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['shared/domain/probe.ts', "import { useState } from 'react'; export const x = useState;"],
    ['renderer/src/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['renderer/src/probe.ts', "import { join } from 'node:path'; export const x = join;"],
    ['electron/services/relay/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['electron/simulator/probe.ts', "import { BrowserWindow } from 'electron'; export const x = BrowserWindow;"],
  ])('%s refuses %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it('allows raw ipcMain only in the IPC wrapper and ipcRenderer only in the preload', async () => {
    expect(await ruleIds('electron/main/window.ts', "import { ipcMain } from 'electron'; export const x = ipcMain;")).toContain('no-restricted-syntax');
    expect(await ruleIds('renderer/src/x.ts', "import { ipcRenderer } from 'electron'; export const x = ipcRenderer;")).toContain('no-restricted-syntax');
    expect(await ruleIds('electron/main/ipc.ts', "import { ipcMain } from 'electron'; export const x = ipcMain;")).toEqual([]);
    expect(await ruleIds('electron/preload/index.ts', "import { ipcRenderer } from 'electron'; export const x = ipcRenderer;")).toEqual([]);
  });

  it('allows node:* in services', async () => {
    expect(await ruleIds('electron/services/relay/probe.ts', "import { readFileSync } from 'node:fs'; export const x = readFileSync;")).toEqual([]);
  });
});

describe('lint: imports point one way', () => {
  it.each([
    ['shared/domain/probe.ts', "import { consoleLogger } from '../../electron/services/common/logger'; export const x = consoleLogger;"],
    ['shared/ipc/channels/probe.ts', "import type { Logger } from '../../../electron/services/common/logger'; export type X = Logger;"],
    ['shared/domain/probe.ts', "export { PRACTICE_ADDRESS } from '../../electron/composition/practice';"],
    ['renderer/src/features/probe.ts', "import { createServices } from '../../../electron/composition/index'; export const x = createServices;"],
    ['renderer/src/probe.ts', "import { launchBrowser } from '../../tests/e2e/support/browser'; export const x = launchBrowser;"],
    ['electron/services/relay/probe.ts', "import { dispatch } from '../../composition/dispatch'; export const x = dispatch;"],
    ['electron/services/relay/probe.ts', "import { relayRequests } from '../../../shared/ipc/channels/relay'; export const x = relayRequests;"],
    ['electron/services/discovery/probe.ts', "import type { EventPayloadOf } from '../../../shared/ipc/contract'; export type X = EventPayloadOf<'discovery:finished'>;"],
    ['electron/services/relay/probe.ts', "export { registerIpc } from '../../main/ipc';"],
    ['electron/services/relay/probe.ts', "export const load = () => import('../../cli/main');"],
    ['electron/simulator/probe.ts', "export type X = import('../server/web-host').WebHost;"],
    ['electron/composition/probe.ts', "import { runCli } from '../cli/main'; export const x = runCli;"],
    ['electron/cli/commands/probe.ts', "import { startWebHost } from '../../server/web-host'; export const x = startWebHost;"],
    ['electron/cli/probe.ts', "export const load = () => import('../server/bootstrap');"],
    ['electron/services/camera/probe.ts', "import { runCli } from '../../cli/main'; export const x = runCli;"],
    ['shared/domain/probe.test.ts', "import { x } from '../../electron/services/common/logger'; export const y = x;"],
  ])('%s refuses %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('local/import-direction');
  });

  it.each([
    ['shared/domain/probe.ts', "import { ok } from '../ipc/result'; export const x = ok;"],
    ['renderer/src/features/probe.ts', "import type { Settings } from '../../../shared/domain/settings'; import { api } from '../api'; export const x: Settings | typeof api | null = null;"],
    ['electron/services/relay/probe.ts', "import { AppFailure } from '../../../shared/ipc/result'; import { Emitter } from '../common/events'; import type { Device } from '../../../shared/domain/discovery'; export const x: [typeof AppFailure, typeof Emitter, Device | null] = [AppFailure, Emitter, null];"],
    ['electron/simulator/probe.ts', "import type { Logger } from '../services/common/logger'; export type X = Logger;"],
    ['electron/composition/probe.ts', "import { RelayService } from '../services/relay/index'; export const x = RelayService;"],
    ['electron/main/probe.ts', "import { createServices } from '../composition/index'; export const x = createServices;"],
    ['electron/cli/commands/serve.ts', "export const load = () => import('../../server/bootstrap');"],
    // A test may drive a whole host (end-to-end through the CLI); the same import in product code is refused above.
    ['electron/services/camera/probe.test.ts', "import { runCli } from '../../cli/main'; export const x = runCli;"],
  ])('%s may do %s', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });
});

describe('import cycles (madge, in npm test)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarix-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tree = (name: string, files: Record<string, string>) => {
    const root = join(dir, name);
    mkdirSync(root, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
    return root;
  };

  it('finds a cycle through static and through dynamic imports', async () => {
    const root = tree('runtime', {
      'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'b.ts': "import { c } from './c';\nexport const b = () => c;\n",
      'c.ts': "export const c = () => import('./a');\n",
    });
    const cycles = await findCycles(['.'], root);
    expect(cycles).toHaveLength(1);
    expect([...cycles[0]].sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
  });

  it('leaves out type-only imports (erased at compile time) and finds nothing in a tree without cycles', async () => {
    const typesOnly = tree('types', {
      'a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
    });
    expect(await findCycles(['.'], typesOnly)).toEqual([]);
    const acyclic = tree('acyclic', { 'a.ts': "import { b } from './b';\nexport const a = b;\n", 'b.ts': 'export const b = 1;\n' });
    expect(await findCycles(['.'], acyclic)).toEqual([]);
  });
});
