/**
 * The moment of truth (docs/camera.md §1, §6): with the camera sending to the embedded relay, trigger Camera
 * Sabotage (the simulator hook in practice, the technician's hand on a real camera) and wait for the camera's
 * e-mail; on a timeout, say what the evidence points to.
 */
import { isTestMessage, likelyTestCauses } from '../../../shared/domain/commissioning';
import { failure, msg } from '../../../shared/i18n/messages';
import type { Applied, RunContext } from './plan-steps';
import type { RelayMessage } from './test-relay';

/** Runs the test (or reports it skipped). */
export async function runTestStep(ctx: RunContext): Promise<Applied> {
  if (!ctx.testing) return { status: 'skipped', detail: 'Skipped (no test run requested).' };
  const { deps, ip, profile, options, signal, result } = ctx;
  const relayAt = ctx.relayAt!;
  const now = deps.now ?? Date.now;
  const t0 = now();
  result.testEventAt = new Date(t0).toISOString();
  const relay = deps.relay!;
  await relay.prepare(ip);
  // A batch tests one camera at a time, in the technician's order (test-gate.ts); the wait for the e-mail starts after.
  const endTurn = deps.testTurn ? await deps.testTurn((detail) => ctx.emit('test-run', { detail }), signal) : () => undefined;
  const release = await relay.lock(ip);
  const watch = relay.watch(ip);
  ctx.emit('test-run', { detail: msg('commissioning.job.triggering', { behaviour: ctx.behaviour, seconds: String(Math.round(options.testTimeoutMs / 1000)), ip }) });
  const waitSignal = AbortSignal.any([AbortSignal.timeout(options.testTimeoutMs), signal]);
  try {
    const arrived = watch.next((m: RelayMessage) => isTestMessage(m, { cameraIp: ip, from: profile.from, subject: profile.subject }), waitSignal);
    arrived.catch(() => undefined);
    const outcome = await deps.triggerTest!({ url: ctx.target.url, ip, label: ctx.target.name, behaviour: ctx.behaviour });
    if (outcome && !outcome.detected) {
      const causes = likelyTestCauses({ cameraIp: ip, relayAddress: relayAt.address, relayPort: relayAt.port, refusals: watch.refusals(), otherMessages: [], triggerNotDetected: outcome.reason ?? 'no detection' });
      throw failure('TIMEOUT', 'errors.TIMEOUT.notDetected', { causes: causes.join(' ') }, { causes });
    }
    let m: RelayMessage;
    try {
      m = await arrived;
    } catch (e) {
      if (signal.aborted) throw failure('CANCELLED', 'errors.CANCELLED.duringTest');
      const causes = likelyTestCauses({
        cameraIp: ip,
        relayAddress: relayAt.address,
        relayPort: relayAt.port,
        refusals: watch.refusals(),
        otherMessages: watch.messages().map((x) => ({ from: x.from, subject: x.subject })),
      });
      throw failure('TIMEOUT', 'errors.TIMEOUT.noTestMail', { ip, seconds: String(Math.round(options.testTimeoutMs / 1000)), causes: causes.join(' ') }, { causes, error: String(e) });
    }
    result.latencyMs = now() - t0;
    result.message = {
      from: m.from,
      to: m.to,
      subject: m.subject,
      attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
      // Where the hand-over report finds the evidence: the stored message, its Message-ID and SMTP session.
      relayId: m.id,
      messageId: m.messageId,
      sessionId: m.sessionId,
      receivedAt: m.receivedAt,
    };
    return { status: 'done', detail: `PASS: e-mail from ${ip} arrived after ${result.latencyMs} ms (Subject "${m.subject}")` };
  } finally {
    watch.stop();
    release();
    endTurn();
  }
}
