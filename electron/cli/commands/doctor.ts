import type { Command } from 'commander';

/** Flags of `sarix doctor` as commander parses them (validated in doctor-run). */
export interface DoctorCliOptions {
  smtpServer?: string;
  ntpServer?: string;
  camera?: string;
  username?: string;
  password?: string;
  to?: string;
  sendTest?: boolean;
  json?: boolean;
  article?: string;
}

/** `sarix doctor`: offline troubleshooting of the camera → SMTP → relay chain, with knowledge-base pointers. */
export function register(program: Command): Command {
  return program
    .command('doctor')
    .description('Troubleshoot offline: check the SMTP server, NTP server, camera and relay; print a verdict and a fix for each (exit 1 when a check fails).')
    .option('--smtp-server <host[:port]>', 'SMTP server or relay to probe like a camera would (port for tests and relays on other ports; cameras always use 25)')
    .option('--ntp-server <host[:port]>', 'NTP server to query (SNTP)')
    .option('--camera <url>', 'camera to check, e.g. 192.168.0.20 or http://192.168.0.20:80 (its SMTP and NTP servers are probed unless given)')
    .option('--username <user>', 'camera user name (with --camera)')
    .option('--password <password>', 'camera password (with --camera; or set SARIX_CAMERA_PASSWORD to keep it out of the process list)')
    .option('--to <address>', 'recipient to try with RCPT TO (default: the camera\'s Send Email handler To)')
    .option('--send-test', 'also send a real test message (DATA) to --to')
    .option('--json', 'print one JSON object with every check instead of the table (progress goes to stderr)')
    .option('--article <id>', 'print one knowledge-base article and exit ("list" lists them)')
    .action(async (opts: DoctorCliOptions) => {
      const { runDoctor } = await import('../doctor-run');
      await runDoctor(opts);
    });
}
