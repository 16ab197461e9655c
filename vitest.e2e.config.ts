import { defineConfig } from 'vitest/config';

// E2E specs: real Chromium (Debian's) through the web host. Needs `npm run build:renderer` first.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    // The web host runs in the root namespace of the test machine: its discovery must never multicast there,
    // and its mail-server finder must never ask the machine's real DNS server (specs point it at a fixture).
    env: { SARIX_NO_MULTICAST: '1', SARIX_SITE_DNS: 'off' },
  },
});
