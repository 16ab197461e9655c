/**
 * Test support: browses mDNS for `_http._tcp` with bonjour-service from the given local address (run inside a
 * network namespace only) and prints each service found as one JSON line; exits after 5 seconds.
 */
import { Bonjour } from 'bonjour-service';

const local = process.argv[2] ?? '';
const opts = { interface: local, bind: '0.0.0.0' } as unknown as ConstructorParameters<typeof Bonjour>[0];
const b = new Bonjour(opts);
const browser = b.find({ type: 'http' }, (s) => {
  process.stdout.write(JSON.stringify({ name: s.name, port: s.port, addresses: s.addresses, txt: s.txt }) + '\n');
});
setTimeout(() => {
  browser.stop();
  b.destroy();
}, 5000);
