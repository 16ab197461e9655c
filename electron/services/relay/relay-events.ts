/** The relay's in-process events (its own file so the intake and the service share them without importing each other). */
import type { InboxCounts } from '../../../shared/domain/relay-inbox';
import type { QueueItem, RelayState, SessionSummary } from '../../../shared/domain/relay';
import type { ReceivedMessage, SessionOpened, SessionRefused } from '../../../shared/domain/relay-views';

/** In-process events of the relay (the contract adapter forwards them to the UI; commissioning watches them). */
export interface RelayEvents {
  /** A message was stored (after retention ran, so listeners see the store as it stays). */
  'message-received': ReceivedMessage;
  /** A client the allow-list let in connected (the wizard's live "the camera connected" line). */
  'session-opened': SessionOpened;
  /** A client was turned away by the allow-list. */
  'session-refused': SessionRefused;
  'session-closed': SessionSummary;
  'state-changed': RelayState;
  'queue-changed': QueueItem[];
  /** The counts behind the badges changed (mail, read marks, queue, refusals, cameras); at most a few per second. */
  'inbox-changed': InboxCounts;
}
