#!/usr/bin/env node
// Security lint (`npm run security`, part of `npm test`): runs electronegativity over electron/ and exits 1 on any
// HIGH or MEDIUM finding not justified in electronegativity-allowlist.json, or on a file the scanner could not
// parse. Electronegativity itself always exits 0, hence this gate. The checks assume the installed Electron
// version (electron/ has no package.json the tool could read it from; unknown, it assumes 0.1.0).
// Usage: node scripts/electronegativity.mjs [--input electron] [--allowlist file.json] [--csv out.csv] [--electron VERSION]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAllowListPath, evaluate, installedElectronVersion, parseAllowList, scan, summarize, toCsv } from './lib/electronegativity-gate.mjs';

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        input: { type: 'string', default: 'electron' },
        allowlist: { type: 'string', default: defaultAllowListPath() },
        csv: { type: 'string', default: '.tmp/electronegativity.csv' },
        electron: { type: 'string' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`${e.message}\nUsage: node scripts/electronegativity.mjs [--input DIR] [--allowlist FILE] [--csv FILE] [--electron VERSION]\n`);
    return 2;
  }
  let entries;
  try {
    entries = parseAllowList(readFileSync(args.allowlist, 'utf8'), args.allowlist);
  } catch (e) {
    process.stderr.write(`security lint: ${e.code === 'ENOENT' ? `${args.allowlist} is missing; create it with {"entries": []}` : e.message}\n`);
    return 1;
  }
  let electronVersion = args.electron;
  let versionSource = 'from --electron';
  if (!electronVersion) {
    try {
      electronVersion = installedElectronVersion();
      versionSource = 'the installed electron package';
    } catch (e) {
      process.stderr.write(`security lint: ${e.message}\n`);
      return 1;
    }
  }
  const started = Date.now();
  const { findings, parseErrors, checks } = await scan(args.input, { electronVersion });
  mkdirSync(dirname(args.csv), { recursive: true });
  writeFileSync(args.csv, toCsv(findings));
  const r = evaluate(findings, entries, parseErrors);
  process.stdout.write(`${summarize(r, checks)} for Electron ${electronVersion} (${versionSource}) (${((Date.now() - started) / 1000).toFixed(1)} s; CSV: ${args.csv})\n`);
  return r.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`security lint crashed: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
