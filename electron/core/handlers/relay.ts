import type { Handlers } from '../dispatch';
import type { RelayService } from '../../services/relay';

/** The relay channels this factory implements (the saved setup is the core's: it lives beside the SecretBox). */
type RelayChannel = Exclude<Extract<keyof Handlers, `relay:${string}`>, 'relay:get-saved-setup'>;

/** Handlers of the `relay:*` channels over one RelayService. */
export function createRelayHandlers(relay: RelayService): Pick<Handlers, RelayChannel> {
  return {
    'relay:start': async ({ options }) => {
      await relay.start(options);
      return relay.getState();
    },
    'relay:stop': async () => {
      await relay.stop();
      return relay.getState();
    },
    'relay:get-state': async () => {
      await relay.open();
      return relay.getState();
    },
    'relay:allow-client': ({ entry }) => relay.allow(entry),
    'relay:set-allow-list': ({ allow }) => relay.setAllowList(allow),
    'relay:list-messages': ({ query }) => relay.listMessages(query),
    'relay:get-message': ({ id }) => relay.getMessage(id),
    'relay:get-raw': async ({ id }) => {
      const d = await relay.getRaw(id);
      return { filename: d.filename, contentType: d.contentType, base64: d.data.toString('base64') };
    },
    'relay:get-attachment': async ({ id, index }) => {
      const d = await relay.getAttachment(id, index);
      return { filename: d.filename, contentType: d.contentType, base64: d.data.toString('base64') };
    },
    'relay:pin-message': ({ id, pinned }) => relay.pin(id, pinned),
    'relay:delete-message': async ({ id }) => ({ deleted: await relay.deleteMessage(id) }),
    'relay:get-queue': () => relay.getQueue(),
    'relay:retry-queued': ({ id }) => relay.retryNow(id),
    'relay:delete-queued': ({ id }) => relay.deleteQueued(id),
    'relay:get-sessions': ({ limit }) => relay.getSessions(limit),
    'relay:get-transcript': ({ id }) => relay.getTranscript(id),
    'relay:get-forward-presets': () => relay.forwardPresets(),
  };
}
