import type { Command } from 'commander';
import { localized } from '../i18n';
import { intOption, untilSignal } from '../util';

/** `sarix serve`: the web host (the app's UI in a browser, on 127.0.0.1 only). */
export function register(program: Command): Command {
  return program
    .command('serve')
    .description(localized('cli.help.serve.description'))
    .option('--port <port>', localized('cli.help.serve.port'), intOption('--port', 0, 65535), 0)
    .option('--data <dir>', localized('cli.help.serve.data'))
    .option('--renderer <dir>', localized('cli.help.serve.renderer'), 'dist-web')
    .option('--no-practice', localized('cli.help.serve.noPractice'))
    .action(async (opts: { port: number; data?: string; renderer: string; practice: boolean }) => {
      const { bootstrapWeb } = await import('../../server/bootstrap');
      const web = await bootstrapWeb({ port: opts.port, userDataPath: opts.data, rendererDir: opts.renderer, practice: opts.practice ? undefined : false });
      process.stdout.write(`${localized('cli.serve.running', { url: web.host.url })}\n${localized('cli.serve.open')}\n`);
      await untilSignal();
      await web.close();
    });
}
