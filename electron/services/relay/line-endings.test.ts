import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BareLfRepair } from './line-endings';
import { repairBareLfOn } from './smtp-adaptations';

const fixAll = (chunks: string[]) => {
  const r = new BareLfRepair();
  return { out: Buffer.concat(chunks.map((c) => r.fix(Buffer.from(c, 'latin1')))).toString('latin1'), saw: r.sawBareLf };
};

describe('BareLfRepair', () => {
  it('leaves CRLF text alone and returns the same buffer', () => {
    const r = new BareLfRepair();
    const b = Buffer.from('MAIL FROM:<a@b>\r\nDATA\r\n');
    expect(r.fix(b)).toBe(b);
    expect(r.sawBareLf).toBe(false);
  });

  it('inserts CR before bare LF only, keeping dots and 8-bit bytes', () => {
    expect(fixAll(['a\nb\r\n..x\n\xe9\n.\n'])).toEqual({ out: 'a\r\nb\r\n..x\r\n\xe9\r\n.\r\n', saw: true });
  });

  it('tracks CR across chunk boundaries', () => {
    expect(fixAll(['line\r', '\nnext\n', '\n'])).toEqual({ out: 'line\r\nnext\r\n\r\n', saw: true });
    expect(fixAll(['line\r', '\n'])).toEqual({ out: 'line\r\n', saw: false });
    expect(fixAll(['x', '\n'])).toEqual({ out: 'x\r\n', saw: true });
  });
});

describe('repairBareLfOn', () => {
  it('repairs what pipe delivers to the parser', async () => {
    const socket = new PassThrough();
    const repair = repairBareLfOn(socket);
    const got: Buffer[] = [];
    const parser = new Writable({
      write(chunk: Buffer, _e, cb) {
        got.push(chunk);
        cb();
      },
    });
    socket.pipe(parser);
    socket.write('EHLO cam\n');
    socket.end('DATA\r\nbody\n.\n');
    await new Promise((r) => parser.on('finish', r));
    expect(Buffer.concat(got).toString()).toBe('EHLO cam\r\nDATA\r\nbody\r\n.\r\n');
    expect(repair.sawBareLf).toBe(true);
  });
});
