import type { Command } from 'commander';
import { intOption, secondsOption } from '../util';

/** Flags of `sarix commission`. */
export interface CommissionFlags {
  camera?: string;
  cameras?: string;
  username: string;
  password?: string;
  smtpServer?: string;
  ntpServer?: string;
  to?: string;
  from?: string;
  subject?: string;
  message?: string;
  sceneSensitivity?: number;
  sourceName?: string;
  handlerName?: string;
  concurrency: number;
  dryRun?: boolean;
  test: boolean;
  testTimeout: number;
  relayListen?: string;
  data?: string;
  timeout: number;
  json?: boolean;
  profile?: string;
}

/** `sarix commission`: the guided plan on one camera or a CSV batch. */
export function register(program: Command): Command {
  return program
    .command('commission')
    .description('Set up e-mail on Sarix cameras (SMTP, NTP, source, Send Email handler, Camera Sabotage), test it through the embedded relay, restore the sensitivity; rolls back on failure.')
    .option('--camera <url>', 'camera web address, e.g. http://192.168.0.20')
    .option('--cameras <file.csv>', 'batch: CSV lines url,username,password[,name]')
    .option('--username <user>', 'camera admin user (with --camera)', 'admin')
    .option('--password <password>', 'camera password (with --camera; or set SARIX_CAMERA_PASSWORD)')
    .option('--smtp-server <host>', 'the LOCAL mail server or relay the camera keeps (IP or name; public hosts are refused)')
    .option('--ntp-server <host>', 'NTP server for the camera')
    .option('--to <address>', 'recipient of the notification')
    .option('--from <address>', 'sender address of the notification')
    .option('--subject <text>', 'subject of the notification (the test recognises the mail by it)')
    .option('--message <text>', 'body of the notification')
    .option('--scene-sensitivity <n>', 'Camera Sabotage sensitivity after the test (default: the value found before)', intOption('--scene-sensitivity', 1, 10))
    .option('--source-name <name>', 'name of the analytics source (2-23 letters/digits)')
    .option('--handler-name <name>', 'name of the Send Email handler (2-23 letters/digits)')
    .option('--concurrency <n>', 'cameras commissioned at once in a batch', intOption('--concurrency', 1, 64), 4)
    .option('--dry-run', 'read the cameras and print the exact changes; change nothing')
    .option('--no-test', 'skip the test e-mail (set the final SMTP server directly)')
    .option('--test-timeout <seconds>', 'how long the test waits for the e-mail', secondsOption('--test-timeout', 1800), 120)
    .option('--relay-listen <host:port>', "the test STARTS its own relay in this command's process, listening here (default: this computer's address toward each camera, port 25); stop any other relay on that address first")
    .option('--data <dir>', 'app data folder (backups, relay mail)')
    .option('--timeout <seconds>', 'per-request camera timeout', secondsOption('--timeout', 120), 8)
    .option('--profile <file.json>', 'a firmware profile file with extra label wordings and page paths (see sarix capture)')
    .option('--json', 'print one JSON object with every result at the end')
    .action(async (flags: CommissionFlags) => {
      const { runCommission } = await import('./commission-run');
      await runCommission(flags);
    });
}
