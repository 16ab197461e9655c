import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules', 'out', 'dist', 'tests/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The firmware-variant suite runs its seeds concurrently: each mostly waits on loopback I/O and the relay.
    maxConcurrency: 10,
    // A host built in a test (core, web host, CLI child) never asks this machine's real DNS server for the site's
    // mail domain; tests that need DNS point SARIX_SITE_DNS at a fixture on loopback.
    // The CLI prints in the terminal's language: tests that assert its English run in the C locale whatever the
    // developer's is (tests of another language set their own).
    env: { SARIX_SITE_DNS: 'off', LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' },
    // Network-namespace tests need root and iproute2; they skip themselves with a reason when unavailable.
  },
});
