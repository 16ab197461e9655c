import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { summarizeBuffer, summarizeMessage } from './summary';

async function build(mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]): Promise<Buffer> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return (await t.sendMail(mail)).message as Buffer;
}

const jpeg = Buffer.alloc(12_345, 0x5a);
const cases: Array<[string, () => Promise<Buffer>]> = [
  ['plain text', () => build({ from: 'a@b.local', to: 'c@d.local', subject: 'Hello', text: 'x' })],
  ['JPEG snapshot', () => build({ from: 'Lobby <a@b.local>', to: 'c@d.local', subject: 'Camera Sabotage', text: 'x', attachments: [{ filename: 'snapshot.jpg', content: jpeg, contentType: 'image/jpeg' }] })],
  [
    'html + text + two attachments, non-ASCII names',
    () =>
      build({
        from: 'a@b.local',
        to: 'c@d.local',
        subject: 'Sabotage ✓ Kamera Süd',
        text: 'text',
        html: '<p>html</p>',
        attachments: [
          { filename: 'snäpshot.jpg', content: jpeg, contentType: 'image/jpeg' },
          { filename: 'event.txt', content: 'Source: Alarm1\r\n', contentType: 'text/plain' },
        ],
      }),
  ],
  ['inline image (related)', () => build({ from: 'a@b.local', to: 'c@d.local', subject: 'r', html: '<img src="cid:snap">', attachments: [{ filename: 'a.jpg', content: jpeg, cid: 'snap' }] })],
  ['bare LF camera mail', async () => Buffer.from('From: cam@site.local\nSubject: Motion\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XYZ\n\n--XYZ\nContent-Type: text/plain\n\nhi\n--XYZ\nContent-Type: image/jpeg; name=s.jpg\nContent-Transfer-Encoding: base64\n\nQUJD\nREVG\n--XYZ--\n')],
  ['multipart without boundary (falls back)', async () => Buffer.from('Subject: broken\r\nContent-Type: multipart/mixed\r\n\r\nstuff\r\n')],
  [
    'base64 with irregular line lengths (position check falls back to counting)',
    async () => Buffer.from('Subject: odd\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: image/jpeg; name=o.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJDREVG\r\nQUJD\r\nQUJDREVGR0hJ\r\nQUI=\r\n--B--\r\n'),
  ],
  ['garbage', async () => Buffer.from('\x00\x01 not a message at all')],
];

describe('summarizeBuffer (native search) agrees with the MIME splitter', () => {
  it.each(cases)('%s', async (_name, make) => {
    const raw = await make();
    const fast = await summarizeBuffer(raw);
    const full = await summarizeMessage(raw);
    expect(fast).toEqual(full);
  });

  it('reports decoded attachment sizes and decoded names', async () => {
    const raw = await build({ from: 'a@b.local', to: 'c@d.local', subject: '=?', text: 'x', attachments: [{ filename: 'snäpshot.jpg', content: jpeg, contentType: 'image/jpeg' }] });
    const s = await summarizeBuffer(raw);
    expect(s.attachments).toEqual([{ filename: 'snäpshot.jpg', contentType: 'image/jpeg', size: jpeg.length }]);
    const odd = await summarizeBuffer(await cases[6][1]());
    expect(odd.attachments).toEqual([{ filename: 'o.jpg', contentType: 'image/jpeg', size: 6 + 3 + 9 + 2 }]);
    const lf = await summarizeBuffer(await cases[4][1]());
    expect(lf).toMatchObject({ subject: 'Motion', headerFrom: 'cam@site.local', attachments: [{ filename: 's.jpg', contentType: 'image/jpeg', size: 6 }] });
  });
});
