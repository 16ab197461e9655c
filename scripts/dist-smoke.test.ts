import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../shared/i18n/languages';
import { checkAsarEntries, checkFuses, runtimePackages, externalImports, FUSE_ORDER, kbLanguageCoverage, loadBuilderConfig, probeImports, readFuseWire, runPreloadInSandbox, writeStandInElectronDist } from './lib/dist-smoke-lib.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'dist-smoke-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const good = ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/renderer/assets/index-abc.js', '/kb/port-25.md', '/node_modules/zod/package.json', '/node_modules/zod/index.js', '/node_modules/smtp-server/package.json', '/node_modules/@scope/pkg/package.json'];
const deps = { dependencies: ['zod', 'smtp-server', '@scope/pkg'], devDependencies: ['vitest', 'typescript'], requiredFiles: ['/kb/port-25.md'] };

describe('checkAsarEntries', () => {
  it('accepts an asar with the app, the kb and every runtime dependency', () => {
    expect(checkAsarEntries(good, deps)).toEqual([]);
  });

  it.each([
    ['/tests/e2e/app.spec.ts', /source, test or tooling folder/],
    ['/bench/relay.bench.ts', /source, test or tooling folder/],
    ['/electron/main/window.ts', /source, test or tooling folder/],
    ['/out/main/index.test.js', /test file/],
    ['/node_modules/zod/foo.test.js', /test file/],
    ['/out/main/index.js.map', /source map/],
    ['/node_modules/vitest/package.json', /dev tooling packed: \/node_modules\/vitest/],
    ['/node_modules/typescript/package.json', /dev tooling packed/],
    ['/node_modules/playwright-core/package.json', /dev tooling packed/],
    ['/node_modules/electron-builder/package.json', /dev tooling packed/],
  ])('flags %s', (entry, msg) => {
    const problems = checkAsarEntries([...good, entry], deps);
    expect(problems.join('\n')).toMatch(msg);
  });

  it('flags missing runtime dependencies, built files and kb articles', () => {
    const problems = checkAsarEntries(
      good.filter((e) => !e.startsWith('/node_modules/smtp-server') && e !== '/out/preload/index.cjs' && e !== '/kb/port-25.md'),
      deps,
    );
    expect(problems).toEqual(expect.arrayContaining(['missing /out/preload/index.cjs', 'missing /kb/port-25.md', expect.stringMatching(/runtime dependency smtp-server is missing/)]));
  });

  it('does not mistake electron-log for electron', () => {
    expect(checkAsarEntries([...good, '/node_modules/electron-log/package.json'], deps)).toEqual([]);
  });
});

describe('kbLanguageCoverage', () => {
  it('counts articles per language and names each English article a shipped language lacks', () => {
    const files = ['/kb/port-25.md', '/kb/local-relay.md', '/kb/de/port-25.md'];
    expect(kbLanguageCoverage(files, ['en', 'de'])).toEqual({ counts: { en: 2, de: 1 }, problems: ['kb/local-relay.md has no translation kb/de/local-relay.md'] });
    expect(kbLanguageCoverage([...files, '/kb/de/local-relay.md'], ['en', 'de'])).toEqual({ counts: { en: 2, de: 2 }, problems: [] });
  });

  it('passes on the repository: every English article has a German one', () => {
    const root = join(import.meta.dirname, '..');
    const list = (dir: string, prefix: string): string[] => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`]));
    const r = kbLanguageCoverage(list('kb', '/kb'), [...LANGUAGES]);
    expect(r.problems).toEqual([]);
    expect(r.counts.de).toBe(r.counts.en);
  });
});

describe('package.json', () => {
  it('names no package both as a runtime and as a dev dependency (electron-builder would leave it out of the app)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => d in pkg.devDependencies)).toEqual([]);
  });

  it('depends on one zip library (yazl writes, yauzl reads: electron/services/common/zip.ts), not a second one beside it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const zipLibraries = ['yazl', 'yauzl', 'fflate', 'jszip', 'adm-zip', 'archiver', 'unzipper', 'zip-lib', 'node-stream-zip'];
    const ours = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => zipLibraries.includes(d));
    expect(ours.sort()).toEqual(['yauzl', 'yazl']);
  });
});

describe('runtimePackages', () => {
  it('takes the runtime packages from the lock file: a dev dependency a runtime package needs is in it', () => {
    // This project: dns-packet is a dev dependency (the test DNS server) and bonjour-service needs it via multicast-dns.
    const needed = runtimePackages('.');
    expect([...needed]).toEqual(expect.arrayContaining(['bonjour-service', 'multicast-dns', 'dns-packet']));
    expect(needed.has('vitest')).toBe(false);
  });
});

describe('stand-in Electron and fuses', () => {
  it('carries a fuse wire that the real @electron/fuses can flip, and checkFuses reads it back', async () => {
    const exe = writeStandInElectronDist(join(tmp, 'dist'), '45.4.1');
    expect(readFileSync(join(tmp, 'dist', 'version'), 'utf8')).toBe('45.4.1');
    const config = loadBuilderConfig('.').electronFuses!;
    expect(Object.keys(config).sort()).toEqual([...FUSE_ORDER].sort());
    // Before flipping: Electron's defaults differ from ours, so the check must fail.
    expect(checkFuses(readFuseWire(readFileSync(exe)), config).length).toBeGreaterThan(0);
    await flipFuses(exe, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: config.runAsNode,
      [FuseV1Options.EnableCookieEncryption]: config.enableCookieEncryption,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: config.enableNodeOptionsEnvironmentVariable,
      [FuseV1Options.EnableNodeCliInspectArguments]: config.enableNodeCliInspectArguments,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: config.enableEmbeddedAsarIntegrityValidation,
      [FuseV1Options.OnlyLoadAppFromAsar]: config.onlyLoadAppFromAsar,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: config.loadBrowserProcessSpecificV8Snapshot,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: config.grantFileProtocolExtraPrivileges,
    });
    const wire = readFuseWire(readFileSync(exe));
    expect(checkFuses(wire, config)).toEqual([]);
    expect(wire).toMatchObject({ runAsNode: '0', enableCookieEncryption: '1', onlyLoadAppFromAsar: '1', grantFileProtocolExtraPrivileges: '0' });
  });

  it('reports a fuse that the config leaves unset', () => {
    expect(checkFuses({ runAsNode: '0' }, { runAsNode: false })).toEqual(expect.arrayContaining([expect.stringMatching(/does not set enableCookieEncryption/)]));
  });
});

describe('externalImports and probeImports', () => {
  it('lists bare imports of bundler output, not strings that only look like them', () => {
    const code = 'import { z } from "zod";\nimport log from "electron-log/main";\nimport { app } from "electron";\nimport { join } from "node:path";\nimport "./chunk.js";\nconst x = h.get("from"), y = await import("conf");\nconst m = require("ws");\nout.s = f(h.getFirst("from" ));\n';
    expect(externalImports(code)).toEqual(['conf', 'electron-log/main', 'ws', 'zod']);
  });

  it('loads present packages and names the missing ones', () => {
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'out', 'main'), { recursive: true });
    mkdirSync(join(app, 'node_modules', 'present-pkg'), { recursive: true });
    writeFileSync(join(app, 'node_modules', 'present-pkg', 'package.json'), JSON.stringify({ name: 'present-pkg', main: 'index.js' }));
    writeFileSync(join(app, 'node_modules', 'present-pkg', 'index.js'), 'module.exports = 1;');
    mkdirSync(join(app, 'node_modules', 'broken-pkg'), { recursive: true });
    writeFileSync(join(app, 'node_modules', 'broken-pkg', 'package.json'), JSON.stringify({ name: 'broken-pkg', main: 'index.js' }));
    writeFileSync(join(app, 'node_modules', 'broken-pkg', 'index.js'), "require('dropped-transitive-dep');");
    const problems = probeImports(app, ['present-pkg', 'missing-pkg', 'broken-pkg']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/missing-pkg/);
    expect(problems[1]).toMatch(/broken-pkg: .*dropped-transitive-dep/);
  });
});

describe('runPreloadInSandbox', () => {
  it('runs a self-contained CommonJS preload and captures what it exposes', async () => {
    const code = 'const { contextBridge, ipcRenderer } = require("electron");\ncontextBridge.exposeInMainWorld("api", Object.freeze({ appGetInfo: (a) => ipcRenderer.invoke("app:get-info", a) }));';
    const { exposed, invoked } = await runPreloadInSandbox(code);
    expect(exposed.map((e) => e.name)).toEqual(['api']);
    await (exposed[0].value.appGetInfo as (a: unknown) => Promise<unknown>)({});
    expect(invoked).toEqual([['app:get-info', {}]]);
  });

  it('fails a preload that still requires an npm package or uses ESM', async () => {
    await expect(runPreloadInSandbox('const { z } = require("zod");')).rejects.toThrow(/cannot require "zod"/);
    await expect(runPreloadInSandbox('import { z } from "zod";')).rejects.toThrow(/import statement|Unexpected/);
  });
});
