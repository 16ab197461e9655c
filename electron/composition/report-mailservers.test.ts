import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailServerReport } from '../../shared/domain/mail-servers';
import { HandOverReportSchema } from '../../shared/domain/report';
import { JournalEntrySchema } from '../../shared/domain/site-journal';
import { startSmtpPeer, type SmtpPeer } from '../services/diagnostics/test-peers';
import { StaticDnsClient } from '../services/mailservers/dns-client';
import { SiteJournal } from '../services/report/index';
import { createTestHost, type TestHost } from './test-host';

// Loopback only: two SMTP peers on 127.0.12.1 (Postfix, accepts) and 127.0.12.2 (Exchange, demands a login); the
// site's DNS is a table (an MX to the Postfix peer and a public Microsoft 365 MX, never connected to).
const zone = {
  mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }, { exchange: 'site-test.mail.protection.outlook.com', priority: 20 }] },
  addresses: { 'mail.site.test': ['127.0.12.1'], 'ex01.site.test': ['127.0.12.2'] },
};
const SITE = 'Depot Nord';

describe('mail-server search → site journal → hand-over report (composed services)', { timeout: 60_000 }, () => {
  let dir: string;
  let host: TestHost;
  let dns: StaticDnsClient;
  const peers: SmtpPeer[] = [];
  let found: MailServerReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarix-report-mailservers-'));
    const postfix = await startSmtpPeer('accept', { host: '127.0.12.1', name: 'mail.site.test', banner: 'Postfix (Debian/GNU)' });
    peers.push(postfix, await startSmtpPeer('require-auth', { host: '127.0.12.2', port: postfix.port, name: 'ex01.site.test', banner: 'Microsoft ESMTP MAIL Service ready', authReply: { code: 530, message: '5.7.1 Client was not authenticated' } }));
    dns = new StaticDnsClient(zone);
    host = await createTestHost(
      { userDataPath: dir },
      { mailServers: { siteDns: async () => ({ domains: ['site.test'], nameservers: [{ address: '127.0.12.53', port: 53 }], from: 'test' }), dnsClient: () => dns, hostsFile: async () => new Map() } },
    );
    host.services.app.updateSettings({ siteName: SITE, technicianName: 'Ana Lima' });
    const res = await host.call('mailservers:find-servers', { subnets: ['127.0.12.0/30'], port: postfix.port, cameraIp: '10.0.0.23' });
    expect(res.ok).toBe(true);
    found = (res as { ok: true; value: MailServerReport }).value;
    await host.services.journal.flush();
  });
  afterAll(async () => {
    await host?.dispose();
    for (const p of peers) await p.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the search durably in the site journal: each server, its verdict, whether the camera may use it, the source, when', async () => {
    expect(found.servers.map((s) => [s.address ?? s.host, s.verdict.status])).toEqual([
      ['127.0.12.1', 'accepts'],
      ['127.0.12.2', 'needs-auth'],
      ['site-test.mail.protection.outlook.com', 'not-usable'],
    ]);
    const { entries, unreadable } = await new SiteJournal(join(dir, 'sites', 'depot-nord')).read();
    expect(unreadable).toBe(0);
    const e = entries.find((x) => x.kind === 'mail-servers');
    expect(e).toMatchObject({
      kind: 'mail-servers',
      at: found.finishedAt,
      by: 'Ana Lima',
      operationId: found.operationId,
      domains: ['site.test'],
      subnets: ['127.0.12.0/30'],
      isCancelled: false,
      recommended: { host: 'mail.site.test', address: '127.0.12.1', software: 'Postfix' },
      servers: [
        { host: 'mail.site.test', address: '127.0.12.1', useHost: 'mail.site.test', software: 'Postfix', isLocal: true, foundBy: ['mx', 'subnet'], status: 'accepts', isUsableByCamera: true },
        { address: '127.0.12.2', software: 'Exchange', isLocal: true, foundBy: ['subnet'], status: 'needs-auth', isUsableByCamera: false, fix: expect.stringMatching(/anonymous relay connector/) },
        { host: 'site-test.mail.protection.outlook.com', isLocal: false, foundBy: ['mx'], status: 'not-usable', isUsableByCamera: false },
      ],
    });
    // The SMTP transcript stays out of the journal.
    expect(JSON.stringify(e)).not.toMatch(/EHLO|MAIL FROM/);
  });

  it('shows the latest search in the relay section of the JSON report', async () => {
    const { files, report } = await host.services.report.render(undefined, ['json', 'html', 'pdf']);
    const json = HandOverReportSchema.parse(JSON.parse(files.find((f) => f.name.endsWith('.json'))!.data.toString('utf8')));
    expect(json.mailServers).toEqual(report.mailServers);
    expect(json.mailServers).toMatchObject({
      searchedAt: found.finishedAt,
      by: 'Ana Lima',
      searched: 'DNS of site.test and a probe of 127.0.12.0/30',
      servers: [
        { host: 'mail.site.test', software: 'Postfix', source: 'DNS (MX) and subnet probe', isUsableByCamera: true, cameraUse: 'accepts mail from the camera' },
        { address: '127.0.12.2', software: 'Exchange', source: 'subnet probe', isUsableByCamera: false, cameraUse: 'not usable by the camera: it demands a login, which the camera cannot give' },
        { host: 'site-test.mail.protection.outlook.com', isLocal: false, isUsableByCamera: false, cameraUse: expect.stringMatching(/^not usable by the camera: it is a public mail service/) },
      ],
    });
    expect(json.mailServers!.text).toMatch(
      /^Site mail servers found: mail\.site\.test \[127\.0\.12\.1\] \(Postfix\) — accepts mail from the camera; .*127\.0\.12\.2\] \(Exchange\) — not usable by the camera: it demands a login.*; site-test\.mail\.protection\.outlook\.com \(public MX\) — not usable by the camera: it is a public mail service/,
    );
    expect(json.activity).toContainEqual(expect.objectContaining({ what: 'Mail-server search', outcome: '3 found, 1 usable by the camera' }));
  });

  it('shows it in the HTML and the PDF (pdftotext) relay section', async () => {
    const { files } = await host.services.report.render(undefined, ['html', 'pdf']);
    const html = files.find((f) => f.name.endsWith('.html'))!.data.toString('utf8');
    const relay = html.slice(html.indexOf('<h2>Relay</h2>'), html.indexOf('<h2>Deviations and open items</h2>'));
    expect(relay).toContain('<h3>Site mail servers</h3>');
    expect(relay).toContain('Site mail servers found: mail.site.test [127.0.12.1] (Postfix) — accepts mail from the camera;');
    expect(relay).toMatch(/\(public MX\) — not usable by the camera: it is a public mail service/);
    expect(relay).toMatch(/<td>mail\.site\.test \(127\.0\.12\.1\)<\/td><td>Postfix<\/td><td>DNS \(MX\) and subnet probe<\/td><td>Yes<\/td>/);
    expect(relay).toMatch(/Fix: ask IT to add the camera range \(127\.0\.12\.0\/30\) to an anonymous relay connector/);

    const pdfPath = join(dir, 'report.pdf');
    await writeFile(pdfPath, files.find((f) => f.name.endsWith('.pdf'))!.data);
    execFileSync('qpdf', ['--check', pdfPath], { stdio: 'pipe' });
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const section = text.slice(text.indexOf('Relay'), text.indexOf('Deviations and open items'));
    expect(section).toContain('Site mail servers found: mail.site.test [127.0.12.1] (Postfix) — accepts mail from the camera;');
    expect(section).toMatch(/\(Exchange\) — not usable by the camera: it demands a login/);
    expect(section).toContain('(public MX) — not usable by the camera');
  });

  it('a report of a site without a search says so; a journal from before this entry kind still reads', async () => {
    const old = JournalEntrySchema.parse({ v: 1, id: 'old-entry-1', at: '2026-01-01T00:00:00.000Z', by: 'x', kind: 'relay', relay: { status: 'listening', allow: [], queueLength: 0 } });
    const j = new SiteJournal(join(dir, 'sites', 'old-site'));
    await j.appendEntries([old]);
    const { files, report } = await host.services.report.render('old-site', ['html']);
    expect(report.mailServers).toBeNull();
    expect(files[0].data.toString('utf8')).toContain('No mail-server search on record for this site');
  });
});
