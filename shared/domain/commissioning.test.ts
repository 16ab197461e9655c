import { describe, expect, it } from 'vitest';
import { checkSiteProfile, isTestMessage, likelyTestCauses, plainIp, SiteProfileSchema, STEP_IDS } from './commissioning';

describe('the plan order (docs/camera.md §1)', () => {
  it('credentials → SMTP & NTP → source → handler → sabotage → test → restore → final SMTP', () => {
    expect(STEP_IDS).toEqual(['credentials', 'smtp-ntp', 'source', 'handler', 'sabotage', 'test-run', 'restore-sensitivity', 'final-smtp']);
  });
});

describe('checkSiteProfile', () => {
  const base = SiteProfileSchema.parse({ smtpServer: '192.168.1.10', ntpServer: 'ntp.site.lan', to: 'a@site.lan', from: 'cam@site.lan' });
  it.each([
    [{}, []],
    [{ ntpServer: 'bad host!' }, ['NTP server']],
    [{ ntpServer: '10.0.0.1' }, []],
    [{ to: 'x' }, ['To']],
    [{ from: 'a@b.c, d@e.f' }, ['From']],
    [{ sourceName: 'has space' }, ['Source name']],
    [{ handlerName: 'X' }, ['Handler name']],
    [{ sceneSensitivity: 11 }, ['Scene sensitivity']],
    [{ sceneSensitivity: 3 }, []],
    [{ subject: '' }, ['Subject']],
    [{ subject: 'a\r\nBcc: x@y' }, ['Subject']],
  ])('%j → problems in %j', (patch, fields) => {
    expect(checkSiteProfile({ ...base, ...patch }).map((p) => p.field)).toEqual(fields);
  });
});

describe('isTestMessage', () => {
  const want = { cameraIp: '10.0.0.20', from: 'cam@site.lan', subject: 'Sabotage test' };
  it.each([
    [{ clientIp: '10.0.0.20', from: 'cam@site.lan', subject: 'Sabotage test' }, true],
    [{ clientIp: '::ffff:10.0.0.20', from: 'CAM@site.lan', subject: ' Sabotage test ' }, true],
    [{ clientIp: '10.0.0.20', from: '', headerFrom: 'Camera <cam@site.lan>', subject: 'Sabotage test' }, true],
    [{ clientIp: '10.0.0.21', from: 'cam@site.lan', subject: 'Sabotage test' }, false],
    [{ clientIp: '10.0.0.20', from: 'other@site.lan', subject: 'Sabotage test' }, false],
    [{ clientIp: '10.0.0.20', from: 'xcam@site.lan', subject: 'Sabotage test' }, false],
    [{ clientIp: '10.0.0.20', from: 'cam@site.lan', subject: 'Other' }, false],
  ])('%j → %s', (m, expected) => {
    expect(isTestMessage(m, want)).toBe(expected);
  });
  it('plainIp', () => {
    expect(plainIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainIp('FD00::1')).toBe('fd00::1');
  });
});

describe('likelyTestCauses', () => {
  const base = { cameraIp: '10.0.0.20', relayAddress: '10.0.0.5', relayPort: 25, refusals: [], otherMessages: [] };
  it('nothing arrived: reachability, cover the lens, time filter, clock', () => {
    const c = likelyTestCauses(base);
    expect(c[0]).toMatch(/Nothing reached the relay from 10\.0\.0\.20.*10\.0\.0\.5 on TCP 25/);
    expect(c.join(' ')).toMatch(/Cover the lens/);
    expect(c.join(' ')).toMatch(/time filter/);
  });
  it('a refusal comes first and says to allow the camera', () => {
    const c = likelyTestCauses({ ...base, refusals: ['550 relaying denied'] });
    expect(c).toEqual([expect.stringMatching(/refused 10\.0\.0\.20: 550 relaying denied.*allow-list/)]);
  });
  it('a non-matching mail points at From/Subject', () => {
    expect(likelyTestCauses({ ...base, otherMessages: [{ from: 'x@y', subject: 'z' }] })[0]).toMatch(/did not match/);
  });
  it('an undetected trigger is named', () => {
    expect(likelyTestCauses({ ...base, triggerNotDetected: 'Camera Sabotage is not active' })[0]).toMatch(/did not detect.*not active/);
  });
});
