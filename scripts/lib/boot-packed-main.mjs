// Boots the packed main process (out/main/index.js inside an extracted app.asar) in plain Node against the
// stand-in electron module, then checks what a real start would do: sandbox on, app:// registered and serving
// the renderer with the CSP, one hardened window whose preload file exists, the contract on IPC with the sender
// check. Prints {"problems": [...], "channels": n} as JSON and exits. Used by scripts/dist-smoke.mjs.
// Usage: node scripts/lib/boot-packed-main.mjs <extracted-asar-dir>
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
const problems = [];
const expect = (cond, msg) => void (cond || problems.push(msg));
const userData = mkdtempSync(join(tmpdir(), 'sarix-boot-userdata-'));
// Practice mode off: the probe checks wiring; it must not start a practice camera or a relay on a port.
writeFileSync(join(userData, 'settings.json'), JSON.stringify({ settings: { practiceMode: false } }));
process.env.STANDIN_USER_DATA = userData;
let channels = 0;

async function main() {
  await import(pathToFileURL(join(dir, 'out', 'main', 'index.js')).href);
  const rec = globalThis.__standInElectron;
  if (!rec) return void problems.push('the packed main did not load the electron module');
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 20_000).unref());
  const win = await Promise.race([rec.windowLoaded, timeout]);
  if (!win) return void problems.push(`no window was opened within 20 s (exit code ${rec.exitCode ?? 'none'}); see the log in ${userData}/logs`);
  expect(rec.exitCode === undefined, `main called app.exit(${rec.exitCode})`);
  expect(rec.sandbox, 'app.enableSandbox() was not called');
  expect(rec.crashReporter?.uploadToServer === false, `crashReporter was started with ${JSON.stringify(rec.crashReporter)}; dumps must stay local (uploadToServer: false)`);
  expect(JSON.stringify(rec.menu?.template ?? []).includes('Install Update from File'), 'the application menu has no Install Update from File entry');
  expect(rec.trays.length === 1 && typeof rec.trays[0].toolTip === 'string', 'the relay tray icon was not created with a tooltip');
  const scheme = rec.privileged.find((s) => s.scheme === 'app');
  expect(scheme?.privileges?.standard && scheme?.privileges?.secure, 'app:// is not registered as a standard, secure scheme');

  const wp = win.options.webPreferences ?? {};
  for (const [k, v] of Object.entries({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false })) {
    expect(wp[k] === v, `window webPreferences.${k} is ${wp[k]}, expected ${v}`);
  }
  expect(typeof wp.preload === 'string' && existsSync(wp.preload) && wp.preload.startsWith(dir), `the window's preload ${wp.preload} does not exist in the package`);
  expect(win.webContents.url === 'app://sarix/index.html', `the window loaded ${win.webContents.url}`);

  const serve = rec.protocolHandlers.get('app');
  if (!serve) problems.push('no app:// protocol handler');
  else {
    const res = await serve(new Request('app://sarix/index.html'));
    const html = await res.text();
    expect(res.status === 200 && /<div id="root">/.test(html), `app://sarix/index.html answered ${res.status}`);
    expect(/default-src 'none'/.test(res.headers.get('content-security-policy') ?? ''), 'app:// responses carry no strict CSP');
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (!script) problems.push('index.html references no script under assets/');
    else {
      const js = await serve(new Request(`app://sarix/${script}`));
      expect(js.status === 200 && /javascript/.test(js.headers.get('content-type') ?? ''), `app://sarix/${script} answered ${js.status} ${js.headers.get('content-type')}`);
    }
    expect((await serve(new Request('app://sarix/..%2fpackage.json'))).status === 403, 'app:// served a path outside the renderer folder');
  }

  channels = rec.handlers.size;
  expect(!rec.handlers.has('__ELECTRON_LOG__'), "electron-log's raw IPC channel is still open");
  const getInfo = rec.handlers.get('app:get-info');
  if (!getInfo) problems.push('app:get-info is not registered on IPC');
  else {
    const ours = await getInfo({ sender: win.webContents, senderFrame: { url: 'app://sarix/index.html', parent: null } }, {});
    expect(ours?.ok === true && ours.value.hostKind === 'electron', `app:get-info from our window answered ${JSON.stringify(ours)}`);
    const stranger = await getInfo({ sender: { id: 999 }, senderFrame: { url: 'app://sarix/index.html', parent: null } }, {});
    expect(stranger?.error?.code === 'FORBIDDEN_SENDER', `app:get-info from an unknown sender answered ${JSON.stringify(stranger)}`);
  }
  expect(rec.permission.check?.(null, 'media', 'app://sarix') === false, 'permission checks are not denied');

  // Quit the way Electron does: before-quit stops the services, then quits for real.
  const quitEvent = { preventDefault() {} };
  rec.windows.length = 0;
  const { app } = await import(pathToFileURL(join(dir, 'node_modules', 'electron', 'index.js')).href);
  app.emit('before-quit', quitEvent);
  const stopped = await Promise.race([rec.quitted.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
  expect(stopped, 'the app did not quit within 10 s of before-quit (services did not stop)');
}

main()
  .catch((e) => problems.push(`the packed main crashed: ${e?.stack ?? e}`))
  .finally(() => {
    process.stdout.write(JSON.stringify({ problems, channels }) + '\n');
    rmSync(userData, { recursive: true, force: true });
    process.exit(0);
  });
