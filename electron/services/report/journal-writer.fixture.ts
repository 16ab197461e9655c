/**
 * Test fixture: appends journal entries to a site folder as fast as it can, printing each entry's id once
 * append() resolved (that is, once it was fsynced), until it is killed. Used by the SIGKILL test.
 * Usage: node --import tsx journal-writer.fixture.ts <site dir>
 */
import { SiteJournal } from './site-journal';

const journal = new SiteJournal(process.argv[2]);
// Long entries make it likely that the kill lands in the middle of a write.
const text = 'Kabel prüfen, Señal débil, Łącze: '.repeat(28).slice(0, 1000);
for (;;) {
  const e = await journal.append({ kind: 'note', text, owner: 'technician' }, 'Jürgen');
  process.stdout.write(`${e.id}\n`);
}
