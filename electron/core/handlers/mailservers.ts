import { randomUUID } from 'node:crypto';
import type { Handlers } from '../dispatch';
import type { EventSink } from '../event-hub';
import type { MailServerFinder } from '../../services/mailservers/mail-server-finder';

/** What the mail-server finder handlers need. */
export interface MailServerHandlerDeps {
  finder: MailServerFinder;
  events: EventSink;
}

/** Handlers of the `mailservers:*` channels: a thin mapping onto the finder's find/cancel. */
export function createMailServerHandlers(d: MailServerHandlerDeps): Pick<Handlers, 'mailservers:find-servers' | 'mailservers:cancel-search'> {
  return {
    'mailservers:find-servers': (req) => {
      // The id is fixed before the search starts so every progress event carries it.
      const operationId = req.operationId ?? randomUUID();
      return d.finder.find({ ...req, operationId }, { onProgress: (progress) => d.events.emit('mailservers:search-progressed', { operationId, progress }) });
    },
    'mailservers:cancel-search': ({ operationId }) => ({ cancelled: d.finder.cancel(operationId) }),
  };
}
