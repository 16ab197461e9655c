import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxCounts } from '../../../shared/domain/relay-inbox';
import { snapshotJpeg, SNAPSHOT_SIZE } from '../../simulator/jpeg';
import { silentLogger } from '../common/logger';
import { RelayInbox } from './relay-inbox';
import { RelayService } from './relay-service';

let dir: string;
let relay: RelayService;
let port: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-inbox-'));
  relay = new RelayService({ dataDir: dir, logger: silentLogger });
  port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] })).port;
});
afterEach(async () => {
  await relay.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Sends n messages over one connection (subjects numbered), optionally with the simulator's snapshot. */
async function sendMany(n: number, o: { subject?: (i: number) => string; snapshot?: boolean; localAddress?: string; bigAttachment?: number } = {}): Promise<string[]> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, localAddress: o.localAddress, logger: false });
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const info = await t.sendMail({
        from: 'cam@site.local',
        to: 'alarms@site.local',
        subject: o.subject?.(i) ?? `Event ${i}`,
        text: `body ${i}`,
        attachments: o.snapshot
          ? [{ filename: 'snapshot.jpg', content: snapshotJpeg(), contentType: 'image/jpeg' }]
          : o.bigAttachment
            ? [{ filename: 'raw.bin', content: randomBytes(o.bigAttachment), contentType: 'application/octet-stream' }]
            : undefined,
      });
      ids.push(/stored as (\S+)/.exec(info.response)![1]);
    }
  } finally {
    t.close();
  }
  return ids;
}

describe('relay inbox', () => {
  it('pages a search newest first, with totals and plain-word problems', async () => {
    await sendMany(30, { subject: (i) => (i % 3 === 0 ? `Camera Sabotage ${i}` : `Motion ${i}`) });
    const first = await relay.searchMessages({ q: '', offset: 0, limit: 10, tzOffsetMinutes: 0 });
    expect(first.total).toBe(30);
    expect(first.items.map((m) => m.subject)).toEqual(Array.from({ length: 10 }, (_, i) => 29 - i).map((i) => (i % 3 === 0 ? `Camera Sabotage ${i}` : `Motion ${i}`)));
    const last = await relay.searchMessages({ q: '', offset: 25, limit: 10, tzOffsetMinutes: 0 });
    expect(last.items).toHaveLength(5);
    const sab = await relay.searchMessages({ q: 'subject:sabotage before:soon', offset: 0, limit: 100, tzOffsetMinutes: 0 });
    expect(sab.total).toBe(10);
    expect(sab.problems).toEqual([expect.stringMatching(/^before:soon is not a date/)]);
    expect((await relay.searchMessages({ q: 'subject:nothing-like-this', offset: 0, limit: 10, tzOffsetMinutes: 0 })).total).toBe(0);
  });

  it('keeps unread marks across a restart and counts them for the badges (live, throttled)', async () => {
    const ids = await sendMany(5);
    const changed: InboxCounts[] = [];
    relay.events.on('inbox-changed', (c) => changed.push(c));
    expect(await relay.getCounts()).toMatchObject({ total: 5, unread: 5, isListening: true });
    await relay.markRead(ids.slice(0, 2), true);
    expect((await relay.searchMessages({ q: 'is:unread', offset: 0, limit: 10, tzOffsetMinutes: 0 })).total).toBe(3);
    await expect.poll(() => changed.at(-1)?.unread).toBe(3);
    await relay.markAllRead('', 0);
    expect((await relay.getCounts()).unread).toBe(0);
    await relay.markRead([ids[4]], false);
    await relay.stop();
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] })).port;
    const rows = (await relay.searchMessages({ q: '', offset: 0, limit: 10, tzOffsetMinutes: 0 })).items;
    expect(rows.map((r) => r.isUnread)).toEqual([true, false, false, false, false]);
  });

  it('refreshes the badges once per burst of mail, without building the Cameras tab for them; silent cameras are still counted', async () => {
    relay.cameras.noteCommissioning({ ip: '127.0.0.31', mac: '00:0b:ab:00:00:31', model: 'IME229', name: 'YardCam' }, { at: new Date().toISOString(), verdict: 'pass', isTestPassed: null });
    relay.cameras.noteCommissioning({ ip: '127.0.0.32', mac: '00:0b:ab:00:00:32', model: 'IME229', name: 'DockCam' }, { at: new Date().toISOString(), verdict: 'pass', isTestPassed: null });
    expect((await relay.getCounts()).silentCameras).toBe(2);
    const changed: InboxCounts[] = [];
    relay.events.on('inbox-changed', (c) => changed.push(c));
    const overview = vi.spyOn(RelayInbox.prototype, 'cameraOverview');
    try {
      await sendMany(20, { localAddress: '127.0.0.31' });
      await expect.poll(() => changed.at(-1)?.total).toBe(20);
      // The Cameras tab (every stored message grouped per camera) is not built for a badge.
      expect(overview).not.toHaveBeenCalled();
      expect(changed.length).toBeLessThan(20);
      expect(changed.at(-1)).toMatchObject({ total: 20, unread: 20, silentCameras: 1 });
      expect((await relay.getCameras()).filter((c) => c.isSilent).map((c) => c.displayName)).toEqual(['DockCam']);
    } finally {
      overview.mockRestore();
    }
  });

  it('deletes by id, by search and all; pinned evidence only when asked; thumbnails and marks go too', async () => {
    const ids = await sendMany(6, { snapshot: true, subject: (i) => (i < 3 ? `Sabotage ${i}` : `Motion ${i}`) });
    await relay.pin(ids[0], true);
    await relay.pin(ids[4], true);
    await relay.getMessage(ids[1]); // makes a thumbnail
    expect(readdirSync(join(dir, 'thumbs')).some((f) => f.startsWith(ids[1]))).toBe(true);
    expect(await relay.deleteMessages({ scope: 'ids', ids: [ids[1]] }, false)).toEqual({ deleted: 1, keptPinned: 0 });
    expect(readdirSync(join(dir, 'thumbs')).some((f) => f.startsWith(ids[1]))).toBe(false);
    expect(await relay.deleteMessages({ scope: 'search', q: 'subject:sabotage', tzOffsetMinutes: 0 }, false)).toEqual({ deleted: 1, keptPinned: 1 });
    expect(await relay.deleteMessages({ scope: 'all' }, false)).toEqual({ deleted: 2, keptPinned: 2 });
    expect((await relay.searchMessages({ q: '', offset: 0, limit: 10, tzOffsetMinutes: 0 })).items.map((m) => m.id).sort()).toEqual([ids[0], ids[4]].sort());
    expect(await relay.deleteMessages({ scope: 'all' }, true)).toEqual({ deleted: 2, keptPinned: 0 });
    expect(relay.getState().messageCount).toBe(0);
  });

  it('applies retention by size at once, keeps pinned evidence, and shows the disk use', async () => {
    // Four messages of about 0.41 MiB each (300 kB attachment, base64): 1.6 MiB in all.
    const ids = await sendMany(4, { bigAttachment: 300_000 });
    await relay.pin(ids[0], true);
    const before = await relay.getDiskUsage();
    expect(before).toMatchObject({ messageCount: 4, dataDir: dir, retention: { maxCount: 10_000, maxAgeDays: 90, maxTotalMb: 4096 } });
    expect(before.messagesBytes).toBeGreaterThan(4 * 400_000);
    expect(before.totalBytes).toBeGreaterThanOrEqual(before.messagesBytes);
    expect(before.freeBytes).toBeGreaterThan(0);
    // 1 MiB: the oldest unpinned go first until the rest (pinned evidence included) fits.
    const r = await relay.setRetention({ maxTotalMb: 1 });
    expect(r).toMatchObject({ removed: 2, retention: { maxCount: 10_000, maxTotalMb: 1 } });
    const kept = (await relay.searchMessages({ q: '', offset: 0, limit: 10, tzOffsetMinutes: 0 })).items.map((m) => m.id);
    expect(kept.sort()).toEqual([ids[0], ids[3]].sort());
    expect((await relay.getDiskUsage()).messagesBytes).toBeLessThan(before.messagesBytes / 1.5);
    // The new limit holds for new mail too: one more pushes the oldest unpinned out.
    const [newest] = await sendMany(1, { bigAttachment: 300_000 });
    await expect.poll(async () => (await relay.searchMessages({ q: '', offset: 0, limit: 10, tzOffsetMinutes: 0 })).items.map((m) => m.id).sort()).toEqual([ids[0], newest].sort());
    await expect(relay.setRetention({ maxTotalMb: 0 })).rejects.toThrow();
  });

  it('serves the raw source for reading and the snapshot at full size, re-encoded', async () => {
    const [id] = await sendMany(1, { snapshot: true, subject: () => 'Sarix camera alert: Camera Sabotage' });
    const src = await relay.getSource(id);
    expect(src.text).toMatch(/^Return-Path: <cam@site\.local>/);
    expect(src.text).toContain('Subject: Sarix camera alert: Camera Sabotage');
    expect(src).toMatchObject({ isTruncated: false, filename: expect.stringMatching(/_Camera-Sabotage_127\.0\.0\.1\.eml$/) });
    const snap = await relay.getSnapshot(id, 0);
    expect(snap).toMatchObject({ width: SNAPSHOT_SIZE.width, height: SNAPSHOT_SIZE.height, filename: expect.stringMatching(/_Camera-Sabotage_127\.0\.0\.1_snapshot\.jpg$/) });
    const decoded = jpeg.decode(Buffer.from(snap.dataUrl.split(',')[1], 'base64'));
    expect([decoded.width, decoded.height]).toEqual([SNAPSHOT_SIZE.width, SNAPSHOT_SIZE.height]);
    await expect(relay.getSnapshot(id, 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the camera list and read marks in the data folder', async () => {
    const [id] = await sendMany(1);
    relay.cameras.setLabel('127.0.0.1', 'Bench');
    await relay.markRead([id], true);
    await relay.stop();
    expect(existsSync(join(dir, 'cameras.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'read.json'), 'utf8'))).toEqual(expect.arrayContaining([id]));
  });
});
