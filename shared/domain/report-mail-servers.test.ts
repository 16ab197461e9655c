import { describe, expect, it } from 'vitest';
import { buildReport } from './report';
import { cameraUseText, mailServersSection } from './report-mail-servers';
import { JournalEntrySchema, type FoundMailServer, type JournalEntry, type JournalEntryOf } from './site-journal';

const postfix: FoundMailServer = { host: 'mail.site.local', address: '10.0.0.5', port: 25, useHost: 'mail.site.local', software: 'Postfix', isLocal: true, foundBy: ['mx', 'subnet'], status: 'accepts', level: 'good', isUsableByCamera: true, headline: 'Postfix at mail.site.local accepts mail without a login or TLS, to site and outside addresses: use mail.site.local.', fix: '' };
const publicMx: FoundMailServer = { host: '203.0.113.5', address: '203.0.113.5', port: 25, isLocal: false, foundBy: ['mx'], status: 'not-usable', level: 'info', isUsableByCamera: false, headline: '203.0.113.5 is not usable by the camera: it resolves to 203.0.113.5, which is not on the local network. Legacy Sarix cameras can only send e-mail through a LOCAL network SMTP server.', fix: 'Point the camera at a local relay.' };

function search(id: string, at: string, servers: FoundMailServer[], isCancelled = false): JournalEntryOf<'mail-servers'> {
  return JournalEntrySchema.parse({ v: 1, id, at, by: 'Ana', kind: 'mail-servers', operationId: id, startedAt: at, domains: ['site.local'], subnets: [], isCancelled, summary: 's', servers }) as JournalEntryOf<'mail-servers'>;
}

const meta = { reportId: 'SRX-1', generatedAt: '2026-11-29T10:00:00.000Z', timeZone: 'UTC', appVersion: '0' };

describe('the report part for the site mail servers', () => {
  it('says in one sentence which server the camera may use and why the others are not usable', () => {
    const s = mailServersSection(search('op-1234567', '2026-11-29T09:00:00.000Z', [postfix, publicMx]));
    expect(s.text).toBe('Site mail servers found: mail.site.local [10.0.0.5] (Postfix) — accepts mail from the camera; 203.0.113.5 (public MX) — not usable by the camera: it resolves to 203.0.113.5, which is not on the local network.');
    expect(s.servers.map((x) => x.source)).toEqual(['DNS (MX) and subnet probe', 'DNS (MX)']);
    expect(s.searched).toBe('DNS of site.local and no subnet probe');
  });

  it('words every verdict a server can get', () => {
    const bad = (status: FoundMailServer['status']) => cameraUseText({ ...postfix, status, level: 'bad', isUsableByCamera: false });
    expect(bad('needs-auth')).toBe('not usable by the camera: it demands a login, which the camera cannot give');
    expect(bad('needs-tls')).toBe('not usable by the camera: it demands TLS, which the camera cannot do');
    expect(bad('unreachable')).toBe('not usable by the camera: it does not answer on port 25');
    expect(bad('site-only')).toMatch(/^not usable by the camera as it is: it does not relay/);
    expect(cameraUseText({ ...postfix, status: 'site-only' })).toMatch(/^accepts mail from the camera for the site's own mailboxes/);
    expect(cameraUseText({ ...postfix, status: 'not-probed', level: 'info', isUsableByCamera: false })).toMatch(/^not tested/);
  });

  it('the report shows the latest complete search; a cancelled one only when no complete one came before', () => {
    const first = search('op-first-1', '2026-11-29T08:00:00.000Z', [postfix]);
    const cancelled = search('op-cancel-1', '2026-11-29T09:00:00.000Z', [publicMx], true);
    const site = { name: 'S', address: '', customer: '', integrator: '', technician: '' };
    const report = (entries: JournalEntry[]) => buildReport({ entries, site, meta }).mailServers;
    expect(report([first, cancelled])?.operationId).toBe('op-first-1');
    expect(report([cancelled])).toMatchObject({ operationId: 'op-cancel-1', text: expect.stringMatching(/^Site mail servers found \(the search was cancelled; the list may be incomplete\): /) });
    expect(report([first, cancelled, search('op-third-1', '2026-11-29T09:30:00.000Z', [])])).toMatchObject({ operationId: 'op-third-1', text: 'Site mail servers found: none (searched DNS of site.local and no subnet probe).' });
    expect(report([])).toBeNull();
  });
});
