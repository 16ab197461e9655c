import type { Command } from 'commander';
import { intOption, untilSignal } from '../util';

/** `sarix serve`: the web host (the app's UI in a browser, on 127.0.0.1 only). */
export function register(program: Command): Command {
  return program
    .command('serve')
    .description('Serve the app UI in a browser on 127.0.0.1 (web host); prints the URL with its one-run token.')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', intOption('--port', 0, 65535), 0)
    .option('--data <dir>', 'user-data folder (settings, relay mail, backups)')
    .option('--renderer <dir>', 'built renderer folder', 'dist-web')
    .option('--no-practice', 'do not start the practice camera and embedded relay')
    .action(async (opts: { port: number; data?: string; renderer: string; practice: boolean }) => {
      const { bootstrapWeb } = await import('../../server/bootstrap');
      const web = await bootstrapWeb({ port: opts.port, userDataPath: opts.data, rendererDir: opts.renderer, practice: opts.practice ? undefined : false });
      process.stdout.write(`Sarix Commissioner is running at ${web.host.url}\nOpen that URL in a browser on this machine. Press Ctrl+C to stop.\n`);
      await untilSignal();
      await web.close();
    });
}
