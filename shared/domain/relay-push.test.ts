import { describe, expect, it } from 'vitest';
import type { CameraIdentity } from './relay-cameras';
import { checkPushUrl, ntfyText, PushTargetListSchema, PushTargetSchema, pushTargetsFor, pushTargetView, webhookBody, type PushContent } from './relay-push';

const gate: CameraIdentity = { key: 'mac:00:0b:ab:00:00:23', displayName: 'Gate North', ip: '10.0.0.23', mac: '00:0b:ab:00:00:23', model: 'IXE20DN', matchedBy: 'ip' };

describe('push target schema', () => {
  it('fills defaults and keeps the kind', () => {
    const t = PushTargetSchema.parse({ kind: 'ntfy', id: 'phone', label: 'My phone', url: 'http://127.0.0.1:8080/site-alarms' });
    expect(t).toMatchObject({ kind: 'ntfy', isEnabled: true, cameras: [], includeSnapshot: true, priority: 4, maxAgeMs: 86_400_000 });
  });
  it.each([
    ['ftp://x/y', /http:\/\/ or https:\/\//],
    ['not a url', /is not a URL/],
    ['https://user:pass@ntfy.example/x', /Do not put a login in the URL/],
  ])('refuses %s', (url, message) => {
    const r = PushTargetSchema.safeParse({ kind: 'webhook', id: 'hook', label: 'Hook', url });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(message);
    expect(checkPushUrl(url)).toMatch(message);
  });
  it('refuses bad ids and duplicate ids', () => {
    expect(PushTargetSchema.safeParse({ kind: 'webhook', id: 'Bad Id', label: 'x', url: 'http://127.0.0.1/' }).success).toBe(false);
    const dup = PushTargetListSchema.safeParse([
      { kind: 'webhook', id: 'a', label: 'x', url: 'http://127.0.0.1/' },
      { kind: 'ntfy', id: 'a', label: 'y', url: 'http://127.0.0.1/t' },
    ]);
    expect(dup.error?.issues[0].message).toMatch(/share the id "a"/);
  });
  it('the view never carries the token', () => {
    const v = pushTargetView(PushTargetSchema.parse({ kind: 'webhook', id: 'h', label: 'H', url: 'http://127.0.0.1/', token: 'secret' }));
    expect(v).toMatchObject({ hasToken: true });
    expect(JSON.stringify(v)).not.toContain('secret');
  });
});

describe('pushTargetsFor (per-site and per-camera rules)', () => {
  const site = { id: 'site', isEnabled: true, cameras: [] as string[] };
  const off = { id: 'off', isEnabled: false, cameras: [] as string[] };
  const byIp = { id: 'ip', isEnabled: true, cameras: ['10.0.0.23'] };
  const byMac = { id: 'mac', isEnabled: true, cameras: ['00-0B-AB-00-00-23'] };
  const byName = { id: 'name', isEnabled: true, cameras: ['gate north'] };
  const other = { id: 'other', isEnabled: true, cameras: ['10.0.0.99', 'Lobby'] };
  const all = [site, off, byIp, byMac, byName, other];
  it.each([
    [gate, '10.0.0.23', ['site', 'ip', 'mac', 'name']],
    [undefined, '10.0.0.23', ['site', 'ip']],
    [undefined, '10.0.0.99', ['site', 'other']],
    [undefined, '10.0.0.50', ['site']],
  ])('%j from %s → %j', (identity, ip, ids) => expect(pushTargetsFor(all, identity, ip).map((t) => t.id)).toEqual(ids));
});

describe('what is sent', () => {
  const content: PushContent = {
    deliveryId: 'q1',
    messageId: 'm1',
    receivedAt: '2026-11-29T10:42:00.000Z',
    from: 'cam@site',
    to: ['alarms@site'],
    subject: 'Camera Sabotage',
    text: 'Raw event',
    camera: { name: 'Gate North', ip: '10.0.0.23', mac: '00:0b:ab:00:00:23', model: 'IXE20DN' },
    clientIp: '10.0.0.23',
    snapshot: { filename: 'snapshot.jpg', contentType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff]) },
  };
  it('webhook JSON has from, to, subject, camera and the snapshot as base64 (or null)', () => {
    const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
    expect(webhookBody(content, true, b64)).toMatchObject({ version: 1, from: 'cam@site', to: ['alarms@site'], subject: 'Camera Sabotage', camera: { name: 'Gate North' }, snapshot: { base64: '/9j/' } });
    expect(webhookBody(content, false, b64).snapshot).toBeNull();
  });
  it('ntfy text leads with the camera and the subject', () => {
    expect(ntfyText(content).title).toBe('Gate North (10.0.0.23): Camera Sabotage');
    expect(ntfyText({ ...content, camera: null, subject: '' }).title).toBe('10.0.0.23: (no subject)');
    expect(ntfyText(content).message).toContain('From cam@site to alarms@site');
  });
});
