import { defineConfig } from 'vitest/config';

// E2E specs: real Chromium (Debian's) through the web host. Needs `npm run build:renderer` first.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    // The web host runs in the root namespace of the test machine: its discovery must never multicast there.
    env: { SARIX_NO_MULTICAST: '1' },
  },
});
