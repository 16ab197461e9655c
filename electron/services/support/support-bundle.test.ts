import { describe, expect, it } from 'vitest';
import { leaks, unzip } from './bundle-fixtures';
import { redactText, redactTranscript, redactValue, scrubKnownSecrets } from './redact';
import { SupportBundleWriter } from './support-bundle';

describe('redaction rules', () => {
  it.each([
    ['C: AUTH PLAIN AGNhbXVzZXIAQ2FtLVNlY3JldC03Nw==', 'C: AUTH PLAIN [redacted]'],
    ['forward to smtp+starttls://tech:S3cret!@smtp.example.com:587', 'forward to smtp+starttls://tech:[redacted]@smtp.example.com:587'],
    ['open http://127.0.0.1:5173/?token=abcDEF123_-x&x=1', 'open http://127.0.0.1:5173/?token=[redacted]&x=1'],
    ['{"user":"a","password":"hunter22"}', '{"user":"a","password":"[redacted]"}'],
    ["apiKey: 'k-123456'", "apiKey: '[redacted]'"],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
    ['sent 3 messages; 2 passed', 'sent 3 messages; 2 passed'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts by key at any depth, keeping booleans and empty values that say "no password set"', () => {
    expect(redactValue({ forward: { user: 'u', password: 'p4ss', hasPassword: true, token: '' }, list: [{ sealedPassword: 'xyz' }] })).toEqual({
      forward: { user: 'u', password: '[redacted]', hasPassword: true, token: '' },
      list: [{ sealedPassword: '[redacted]' }],
    });
  });

  it('removes AUTH LOGIN continuation lines until the server answers', () => {
    const lines = [
      { dir: 'C', line: 'EHLO cam' },
      { dir: 'C', line: 'AUTH LOGIN' },
      { dir: 'S', line: '334 VXNlcm5hbWU6' },
      { dir: 'C', line: 'Y2FtdXNlcg==' },
      { dir: 'S', line: '334 UGFzc3dvcmQ6' },
      { dir: 'C', line: 'Q2FtLVNlY3JldC03Nw==' },
      { dir: 'S', line: '235 Authentication successful' },
      { dir: 'C', line: 'MAIL FROM:<cam@site>' },
    ];
    expect(redactTranscript(lines).map((l) => l.line)).toEqual(['EHLO cam', 'AUTH LOGIN', '334 VXNlcm5hbWU6', '[redacted]', '334 UGFzc3dvcmQ6', '[redacted]', '235 Authentication successful', 'MAIL FROM:<cam@site>']);
  });

  it('scrubs known secrets from binary data in UTF-8 and UTF-16LE, keeping the length', () => {
    const dump = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('xx Forward-Pa55 yy'), Buffer.from('Forward-Pa55', 'utf16le'), Buffer.from([9])]);
    const r = scrubKnownSecrets(dump, ['Forward-Pa55', 'ab']);
    expect(r.hits).toBe(2);
    expect(r.data.length).toBe(dump.length);
    expect(leaks(new Map([['d', r.data]]), ['Forward-Pa55'])).toEqual([]);
  });
});

describe('support bundle writer', () => {
  it('keeps going when one part fails, and says so in the README', async () => {
    const w = new SupportBundleWriter({
      now: () => new Date('2026-11-01T10:00:00Z'),
      providers: [
        { name: 'good', describe: 'works', collect: () => [{ path: 'a.json', json: { token: 'tok-999999' } }] },
        { name: 'bad', describe: 'fails', collect: () => Promise.reject(new Error('disk gone; password=oops1234')) },
        { name: '../evil', describe: 'tries to escape', collect: () => [{ path: '../../etc/passwd', text: 'x' }] },
      ],
    });
    const b = await w.build();
    expect(b.fileName).toBe('sarix-support-2026-11-01T10-00-00Z.zip');
    const files = await unzip(b.bytes);
    expect([...files.keys()].sort()).toEqual(['.._evil/etc/passwd', 'README.txt', 'good/a.json'].sort());
    const readme = files.get('README.txt')!.toString();
    expect(readme).toMatch(/bad: disk gone; password=\[redacted\]/);
    expect(leaks(files, ['tok-999999', 'oops1234'])).toEqual([]);
  });
});
