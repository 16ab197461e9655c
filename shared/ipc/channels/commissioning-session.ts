import { z } from 'zod';
import { channel } from '../define';
import { CameraTargetSchema } from '../../domain/commissioning';
import { PreflightReportSchema, SessionProfilePatchSchema, SessionProfileSchema, SessionStepIdSchema, SessionViewSchema } from '../../domain/commissioning-session';

const sessionArg = z.object({ sessionId: z.string().min(1).max(64) }).strict();
const viewAnswer = SessionViewSchema;

/**
 * Step-by-step commissioning sessions (the wizard): open (reads only), pre-flight, one step at a time, the test,
 * the safe end, roll back. Every change is also pushed as commissioning:session-changed; a reloaded UI pulls the
 * session by id. The one-shot job (commissioning:start) stays for the CLI and batches.
 */
export const commissioningSessionRequests = {
  'commissioning:open-session': channel(
    z.object({ target: CameraTargetSchema, profile: SessionProfileSchema, testTimeoutMs: z.number().int().min(5_000).max(30 * 60_000).optional() }).strict(),
    viewAnswer,
    "Logs in to one camera and reads everything the plan touches; changes nothing. A failure says that nothing was changed.",
  ),
  'commissioning:get-session': channel(sessionArg, viewAnswer, 'One session: current camera values, planned changes, test and outcome.'),
  'commissioning:list-sessions': channel(z.object({}).strict(), z.object({ sessions: z.array(SessionViewSchema) }), 'Open and recent sessions, newest first (a reloaded UI finds its own).'),
  'commissioning:update-session': channel(
    z.object({ sessionId: z.string().min(1).max(64), patch: SessionProfilePatchSchema }).strict(),
    viewAnswer,
    'Changes profile fields (names, addresses, behaviour) of steps not applied yet.',
  ),
  'commissioning:run-preflight': channel(sessionArg, PreflightReportSchema, 'Checks the relay, its reach and allow-list, the camera and the NTP server before any change; each problem comes with its fix.'),
  'commissioning:apply-step': channel(z.object({ sessionId: z.string().min(1).max(64), step: SessionStepIdSchema }).strict(), viewAnswer, 'Applies one step (in order) and verifies it; the backup is written before the first change.'),
  'commissioning:apply-all': channel(sessionArg, viewAnswer, 'The express path: applies every remaining step, then starts the test.'),
  'commissioning:start-test': channel(
    z.object({ sessionId: z.string().min(1).max(64), timeoutMs: z.number().int().min(5_000).max(30 * 60_000).optional() }).strict(),
    viewAnswer,
    'Starts (or starts again) the test: the app fires a practice camera itself; a real camera needs a hand over the lens.',
  ),
  'commissioning:extend-test': channel(z.object({ sessionId: z.string().min(1).max(64), seconds: z.number().int().min(1).max(1800) }).strict(), viewAnswer, 'Waits longer for the test e-mail.'),
  'commissioning:stop-test': channel(sessionArg, viewAnswer, 'Stops waiting for the test e-mail.'),
  'commissioning:finish-session': channel(
    // Any number is carried: the service refuses what is not a whole number 1–10 with a message (never clamped).
    z.object({ sessionId: z.string().min(1).max(64), sceneSensitivity: z.number(), confirmTestSensitivity: z.boolean().default(false) }).strict(),
    viewAnswer,
    'Sets the scene sensitivity (1–10; 10 only when confirmed, recorded as a warning) and the final SMTP server.',
  ),
  'commissioning:roll-back-session': channel(sessionArg, viewAnswer, 'Restores the camera exactly from the backup and reads it back (or says nothing was changed).'),
  'commissioning:close-session': channel(sessionArg, z.object({ isClosed: z.boolean() }), 'Forgets a session; the camera stays as it is.'),
} as const;

/** Session pushed events. */
export const commissioningSessionEvents = {
  'commissioning:session-changed': z.object({ session: SessionViewSchema }),
} as const;
