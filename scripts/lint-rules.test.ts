import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The per-folder runtime rules of ARCHITECTURE.md §2.1, proven on probe code linted as if it lived there.
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
