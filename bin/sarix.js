#!/usr/bin/env node
// The `sarix` command. Runs the TypeScript CLI through tsx's loader so `npx sarix` works right after `npm ci`
// on a fresh clone, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
