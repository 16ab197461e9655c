/** Entry of `npm run start:web`: the same as `sarix serve` with defaults. */
import { runCli } from '../cli/main';

runCli(['serve', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
