import { describe, expect, it } from 'vitest';
import { localizeError } from '../../../shared/i18n/messages';
import { listenFailure } from './listen-errors';

const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
const denied = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
const platforms: NodeJS.Platform[] = ['linux', 'darwin', 'win32'];

describe('listenFailure: a busy port', () => {
  it.each(platforms)('on port 25 (%s) names the mail servers that use it, and says the cameras only send there', (platform) => {
    const f = listenFailure(inUse, '192.168.0.5', 25, platform);
    expect(f.code).toBe('PORT_IN_USE');
    expect(f.message).toMatch(/mail server/i);
    expect(f.message).toMatch(/cameras (only|always) send to port 25/);
    expect(f.message).not.toMatch(/choose another port/);
  });

  it('on port 25 names the usual servers of each system and how to find them', () => {
    expect(listenFailure(inUse, '192.168.0.5', 25, 'linux').message).toMatch(/postfix, exim, sendmail.*ss -ltnp/);
    expect(listenFailure(inUse, '192.168.0.5', 25, 'darwin').message).toMatch(/postfix/);
    expect(listenFailure(inUse, '192.168.0.5', 25, 'win32').message).toMatch(/IIS SMTP/);
  });

  it.each(platforms.flatMap((p) => [2525, 8025, 40123].map((port) => [p, port] as const)))('on %s port %i never blames a mail server, and says how to find the program', (platform, port) => {
    const m = listenFailure(inUse, '127.0.0.1', port, platform).message;
    expect(m).not.toMatch(/postfix|exim|sendmail|IIS|hMailServer|mail server/i);
    expect(m).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(m).toMatch(/choose another port/);
    expect(m).toContain(String(port));
    if (platform === 'linux') expect(m).toContain(`ss -ltnp 'sport = :${port}'`);
    if (platform === 'darwin') expect(m).toContain(`lsof -nP -iTCP:${port} -sTCP:LISTEN`);
    if (platform === 'win32') expect(m).toMatch(new RegExp(`netstat -ano \\| findstr :${port}`));
  });

  it('on the practice port 2525 says that another copy of the relay is the likely owner', () => {
    expect(listenFailure(inUse, '127.0.0.1', 2525, 'linux').message).toMatch(/another copy of Sarix Commissioner.*sarix (serve|relay)/);
  });
});

describe('listenFailure: a refused port', () => {
  it('below 1024 explains the privilege on each system', () => {
    expect(listenFailure(denied, '192.168.0.5', 25, 'linux').message).toMatch(/setcap cap_net_bind_service.*ip_unprivileged_port_start/);
    expect(listenFailure(denied, '192.168.0.5', 25, 'darwin').message).toMatch(/Mojave/);
    expect(listenFailure(denied, '192.168.0.5', 25, 'win32').code).toBe('PORT_PERMISSION');
  });

  it.each(['linux', 'darwin'] as const)('from 1024 up (%s) does not blame the low-port privilege', (platform) => {
    const m = listenFailure(denied, '127.0.0.1', 2525, platform).message;
    expect(m).not.toMatch(/below 1024|Mojave|setcap/);
    expect(m).toMatch(/security policy|firewall/);
  });
});

describe('sub-messages', () => {
  it('a keyed parameter is translated with its message (advice per OS inside a port error)', () => {
    const f = listenFailure(Object.assign(new Error('busy'), { code: 'EADDRINUSE' }), '192.168.0.5', 25, 'linux');
    expect(f.message).toContain(`see which program with "sudo ss -ltnp 'sport = :25'" and stop it`);
    const de = localizeError('de', f.toAppError());
    expect(de).toMatch(/^Port 25 auf 192\.168\.0\.5 ist schon belegt\./);
    expect(de).toContain(`sehen Sie mit "sudo ss -ltnp 'sport = :25'" nach`);
    const win = localizeError('de', listenFailure(Object.assign(new Error('busy'), { code: 'EADDRINUSE' }), '10.0.0.2', 2525, 'win32').toAppError());
    expect(win).toContain('suchen Sie sie im Task-Manager unter Details');
  });
});
