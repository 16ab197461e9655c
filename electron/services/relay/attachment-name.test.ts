import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { cleanAttachmentName, MAX_NAME_CHARS } from './attachment-name';
import { RelayService } from './relay-service';
import { summarizeBuffer, summarizeMessage } from './summary';

const LONG = 'x'.repeat(5000) + '.jpg';

describe('cleanAttachmentName', () => {
  it.each([
    ['snapshot.jpg', 'snapshot.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
    ['/absolute/path/x.jpg', 'x.jpg'],
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['a\u2066b\u2069c\u200b.txt', 'abc.txt'],
    ['tab\tand\r\nnewline.txt', 'tabandnewline.txt'],
    ['..', ''],
    ['...hidden', 'hidden'],
    ['trailing. . ', 'trailing'],
    ['CON', '_CON'],
    ['lpt1.txt', '_lpt1.txt'],
    ['what?*<>:"|.jpg', 'what_______.jpg'],
    ['Kamera Süd (1).jpg', 'Kamera Süd (1).jpg'],
    ['', ''],
  ])('%j → %j', (input, expected) => expect(cleanAttachmentName(input)).toBe(expected));

  it('shortens a 5,000-character name, keeping the extension, within 240 UTF-8 bytes', () => {
    const c = cleanAttachmentName(LONG);
    expect(c).toHaveLength(MAX_NAME_CHARS);
    expect(c.endsWith('.jpg')).toBe(true);
    const wide = cleanAttachmentName('ж'.repeat(5000) + '.png');
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(240);
    expect(wide.endsWith('.png')).toBe(true);
  });
});

describe('names the relay produces', () => {
  const names = ['../../etc/passwd', 'photo\u202egpj.exe', LONG];
  const message = async () =>
    (
      await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
        from: 'cam@site.local',
        to: 'a@site.local',
        subject: 'hostile names',
        text: 'x',
        attachments: names.map((filename, i) => ({ filename, content: Buffer.from(`part ${i}`), contentType: 'application/octet-stream' })),
      })
    ).message as Buffer;

  it('are clean in the index summary (both summary paths)', async () => {
    const raw = await message();
    const expected = ['passwd', 'photogpj.exe', cleanAttachmentName(LONG)];
    expect((await summarizeBuffer(raw)).attachments.map((a) => a.filename)).toEqual(expected);
    expect((await summarizeMessage(raw)).attachments.map((a) => a.filename)).toEqual(expected);
  });

  it('are clean in the received event, the message view and the download', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relay-names-'));
    const relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
    try {
      const port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] })).port;
      const got = relay.events.next('message-received');
      await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ envelope: { from: 'cam@site.local', to: ['a@site.local'] }, raw: await message() });
      const ev = await got;
      const expected = ['passwd', 'photogpj.exe', cleanAttachmentName(LONG)];
      expect(ev.attachments.map((a) => a.filename)).toEqual(expected);
      expect((await relay.getMessage(ev.id)).attachments.map((a) => a.filename)).toEqual(expected);
      // The download is named for the folder it lands in (time, what happened, sender), ending with the clean name.
      for (let i = 0; i < names.length; i++) {
        const download = (await relay.getAttachment(ev.id, i)).filename;
        expect(download.endsWith(`_${expected[i]}`), download).toBe(true);
        expect([...download].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c === '\u202e'), download).toBe(false);
      }
    } finally {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
