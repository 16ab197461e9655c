import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { localizeError } from '../../../shared/i18n/messages';
import type { AppFailure } from '../../../shared/ipc/result';
import { RelayService } from './relay-service';

// Messages that the MIME parser behind the inbox refuses (mailsplit: at most 1000 parts, 1 MiB of header per part)
// must not get a 250: the camera's log should show the refusal, not the technician an unopenable message.

let dir: string;
let relay: RelayService;
let port: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-mime-'));
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
  port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] })).port;
});

afterEach(async () => {
  await relay.stop();
  await rm(dir, { recursive: true, force: true });
});

function deep(levels: number): Buffer {
  let open = '';
  let close = 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
  for (let i = 0; i < levels; i++) open += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
  for (let i = levels - 1; i >= 0; i--) close += `--b${i}--\r\n`;
  return Buffer.from(`From: cam@site.local\r\nSubject: deep\r\nMIME-Version: 1.0\r\n${open}${close}`);
}

function manyParts(n: number): Buffer {
  let s = 'From: cam@site.local\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n';
  for (let i = 0; i < n; i++) s += `--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="p${i}.bin"\r\n\r\np${i}\r\n`;
  return Buffer.from(s + '--x--\r\n');
}

function longHeaderLine(bytes: number): Buffer {
  return Buffer.from(`From: cam@site.local\r\nSubject: long\r\nX-Long: ${'a'.repeat(bytes)}\r\n\r\nbody\r\n`);
}

const send = (raw: Buffer) => nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ envelope: { from: 'cam@site.local', to: ['alarms@site.local'] }, raw });

describe('MIME limits at intake', () => {
  it.each([
    ['a 5000-deep multipart', () => deep(5000), /more than 1000 MIME parts/],
    ['a 50,000-part message', () => manyParts(50_000), /more than 1000 MIME parts/],
    ['a 20 MB header line', () => longHeaderLine(20 * 1024 * 1024), /header block over 1 MiB/],
  ])('refuses %s with a 5xx that says why, and stores nothing', async (_name, make, why) => {
    const e = (await send(make()).catch((x: unknown) => x)) as { responseCode?: number; response?: string };
    expect(e.responseCode).toBe(554);
    expect(e.response).toMatch(why);
    expect((await relay.listMessages()).total).toBe(0);
    expect(await readdir(join(dir, 'maildir', 'new'))).toEqual([]);
  });

  it('accepts a message just inside the limits, and it opens', async () => {
    const info = await send(manyParts(998));
    const id = /stored as (\S+)/.exec(info.response)![1];
    const m = await relay.getMessage(id);
    expect(m.attachments).toHaveLength(998);
  });
});

describe('a stored message over the limits (kept by an older version)', () => {
  it('is listed, says MESSAGE_TOO_COMPLEX when opened, and can still be downloaded raw and deleted', async () => {
    await relay.stop();
    const id = '1795000000000.P1Q1Rdeadbeef';
    const raw = manyParts(1500);
    await writeFile(join(dir, 'maildir', 'new', id), raw);
    const again = new RelayService({ dataDir: dir, logger: silentLogger });
    expect((await again.listMessages()).items.map((m) => m.id)).toEqual([id]);
    await expect(again.getMessage(id)).rejects.toMatchObject({ code: 'MESSAGE_TOO_COMPLEX', message: expect.stringMatching(/more than 1000 MIME parts.*Download it raw/) });
    await expect(again.getAttachment(id, 0)).rejects.toMatchObject({ code: 'MESSAGE_TOO_COMPLEX' });
    // The same failure in German, from its key: the limit inside it is a keyed sub-message too.
    const e = await again.getMessage(id).then(() => undefined, (x: unknown) => x as AppFailure);
    expect(localizeError('de', e!.toAppError())).toBe(`Nachricht ${id} kann nicht angezeigt werden: Sie enthält mehr als 1000 MIME-Teile (oder so tief verschachtelte Teile). Laden Sie sie im Rohformat (.eml) herunter, um sie anderswo anzusehen, oder löschen Sie sie.`);
    await expect(again.getMessage('nope')).rejects.toSatisfy((x: AppFailure) => localizeError('de', x.toAppError()).startsWith('Es gibt keine gespeicherte Nachricht nope; vielleicht wurde sie durch die Aufbewahrungsregeln gelöscht.'));
    expect((await again.getRaw(id)).data.equals(raw)).toBe(true);
    expect(await again.deleteMessage(id)).toBe(true);
    expect((await again.listMessages()).total).toBe(0);
    relay = again;
  });
});
