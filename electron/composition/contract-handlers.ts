/**
 * The contract's request side: one line per channel, from the channel to a service method (docs/architecture.md
 * §3.17). No logic lives here beyond shaping an answer for the wire (wrapping a value in an object, base64 for
 * files); what a channel does is the service method's job. dispatch.ts validates arguments and answers.
 */
import type { Services } from './create-services';
import type { Handlers } from './dispatch';
import { hostOnlyDefaults } from './host-only-handlers';
import { supportHandlers } from './support-handlers';

/** A file for the wire: base64, so it crosses IPC and WebSocket alike. */
function download(d: { filename: string; contentType: string; data: Buffer }): { filename: string; contentType: string; base64: string } {
  return { filename: d.filename, contentType: d.contentType, base64: d.data.toString('base64') };
}

/** Every request channel mapped to the composed services. */
export function contractHandlers(s: Services): Handlers {
  const { app, discovery, relay, commissioning, sessions, doctor, kb, mailServers, practice, report, support, capture } = s;
  return {
    'app:get-info': () => app.getInfo(),
    'app:get-settings': () => app.getSettings(),
    'app:set-settings': ({ patch }) => app.updateSettings(patch),

    'discovery:list-interfaces': () => ({ interfaces: discovery.listInterfaces() }),
    'discovery:start': (options) => ({ operationId: discovery.start(options) }),
    'discovery:cancel': ({ operationId }) => ({ isCancelled: discovery.cancel(operationId) }),
    'discovery:get-state': () => discovery.getState(),
    'discovery:add-manual': async ({ host, httpPort }) => ({ device: await discovery.addManual(host, httpPort) }),

    'relay:start': ({ options }) => relay.startSetup(options),
    'relay:stop': () => relay.stopSetup(),
    'relay:get-state': () => relay.currentState(),
    'relay:get-saved-setup': () => ({ setup: relay.getSavedSetup() }),
    'relay:allow-client': ({ entry }) => relay.allow(entry),
    'relay:set-allow-list': ({ allow }) => relay.setAllowList(allow),
    'relay:list-messages': ({ query }) => relay.listMessages(query),
    'relay:get-message': ({ id }) => relay.getMessage(id),
    'relay:get-raw': async ({ id }) => download(await relay.getRaw(id)),
    'relay:get-attachment': async ({ id, index }) => download(await relay.getAttachment(id, index)),
    'relay:pin-message': ({ id, pinned }) => relay.pin(id, pinned),
    'relay:delete-message': async ({ id }) => ({ deleted: await relay.deleteMessage(id) }),
    'relay:get-queue': () => relay.getQueue(),
    'relay:retry-queued': ({ id }) => relay.retryNow(id),
    'relay:delete-queued': ({ id }) => relay.deleteQueued(id),
    'relay:get-sessions': ({ limit }) => relay.getSessions(limit),
    'relay:get-transcript': ({ id }) => relay.getTranscript(id),
    'relay:get-forward-presets': () => relay.forwardPresets(),
    'relay:search-messages': ({ query }) => relay.searchMessages(query),
    'relay:get-counts': () => relay.getCounts(),
    'relay:mark-read': ({ ids, isRead }) => relay.markRead(ids, isRead),
    'relay:mark-all-read': ({ q, tzOffsetMinutes }) => relay.markAllRead(q, tzOffsetMinutes),
    'relay:delete-messages': ({ scope, includePinned }) => relay.deleteMessages(scope, includePinned),
    'relay:get-cameras': () => relay.getCameras(),
    'relay:name-camera': ({ ref, label }) => relay.nameCamera(ref, label),
    'relay:list-sessions': ({ limit }) => relay.listSessions(limit),
    'relay:get-session': ({ id }) => relay.getSession(id),
    'relay:get-queue-advice': () => relay.getQueueAdvice(),
    'relay:get-source': ({ id }) => relay.getSource(id),
    'relay:get-snapshot': ({ id, index }) => relay.getSnapshot(id, index),
    'relay:get-disk-usage': () => relay.getDiskUsage(),
    'relay:set-retention': ({ retention }) => relay.setRetention(retention),
    'relay:get-push-targets': () => relay.getPushTargets(),
    'relay:set-push-targets': ({ targets }) => relay.setPushTargets(targets),
    'relay:test-push-target': ({ id }) => relay.testPushTarget(id),

    'commissioning:start': async ({ targets, profile, options }) => ({ operationId: await commissioning.start(targets, profile, options) }),
    'commissioning:cancel': ({ operationId }) => ({ isCancelled: commissioning.cancel(operationId) }),
    'commissioning:get-state': () => commissioning.getState(),
    'commissioning:rollback': ({ target, backupFile }) => commissioning.rollback(target, backupFile),
    'commissioning:set-test-order': ({ operationId, urls }) => ({ entries: commissioning.setTestOrder(operationId, urls) }),
    'commissioning:start-camera-test': ({ operationId, url }) => ({ entries: commissioning.startTest(operationId, url) }),
    'commissioning:open-session': ({ target, profile, testTimeoutMs }) => sessions.open(target, profile, { testTimeoutMs }),
    'commissioning:get-session': ({ sessionId }) => sessions.view(sessionId),
    'commissioning:list-sessions': () => ({ sessions: sessions.list() }),
    'commissioning:update-session': ({ sessionId, patch }) => sessions.update(sessionId, patch),
    'commissioning:run-preflight': ({ sessionId }) => sessions.preflight(sessionId),
    'commissioning:apply-step': ({ sessionId, step }) => sessions.applyStep(sessionId, step),
    'commissioning:apply-all': ({ sessionId }) => sessions.applyAll(sessionId),
    'commissioning:start-test': ({ sessionId, timeoutMs }) => sessions.startTest(sessionId, timeoutMs),
    'commissioning:extend-test': ({ sessionId, seconds }) => sessions.extendTest(sessionId, seconds),
    'commissioning:stop-test': ({ sessionId }) => sessions.stopTest(sessionId),
    'commissioning:finish-session': ({ sessionId, sceneSensitivity, confirmTestSensitivity }) => sessions.finish(sessionId, sceneSensitivity, confirmTestSensitivity),
    'commissioning:roll-back-session': ({ sessionId }) => sessions.rollBack(sessionId),
    'commissioning:close-session': ({ sessionId }) => ({ isClosed: sessions.close(sessionId) }),
    'camera:capture-pages': ({ target }) => capture.capturePages(target),

    'doctor:start': (request) => ({ operationId: doctor.start(request) }),
    'doctor:cancel': ({ operationId }) => ({ isCancelled: doctor.cancel(operationId) }),
    'kb:list-articles': ({ language }) => kb.list(language),
    'kb:get-article': ({ id, language }) => kb.get(id, language),

    'mailservers:find-servers': (request) => mailServers.find(request),
    'mailservers:cancel-search': ({ operationId }) => ({ isCancelled: mailServers.cancel(operationId) }),

    'practice:get-state': () => practice.state(),
    'practice:add-cameras': ({ count }) => practice.addCameras(count),

    'report:list-sites': () => report.listSites(),
    'report:get-preview': ({ site }) => report.preview(site),
    'report:save': ({ site, format }) => report.save(site, format),
    'report:export-site': ({ site }) => report.exportFile(site),
    'report:import-site': ({ base64, asName, merge }) => report.importSite(Buffer.from(base64, 'base64'), { asName, merge }),
    'report:add-note': async ({ text, owner, cameraMac }) => ({ id: (await report.record({ kind: 'note', text, owner, ...(cameraMac ? { cameraMac } : {}) })).id }),

    // Without a Save dialog (web host) the zip goes back as base64 and the browser downloads it.
    ...supportHandlers(support),
    // Updates and the OS theme: the Electron host replaces these (electron/main/bootstrap.ts).
    ...hostOnlyDefaults(() => app.getInfo()),
  };
}
