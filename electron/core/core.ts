/**
 * The host-neutral part of every composition root: builds the services and the full handler map from the
 * contract. Each host's bootstrap.ts calls createCore, then exposes `handlers` and `hub` its own way
 * (Electron IPC, WebSocket, CLI). Node only; never imports electron.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import type { HostKind } from '../../shared/ipc/channels/app';
import type { Handlers } from './dispatch';
import { EventHub } from './event-hub';
import { createAppHandlers } from './handlers/app';
import { createCommissioningHandlers } from './handlers/commissioning';
import { createCommissioningService } from '../services/commissioning/index';
import { createDoctorHandlers } from './handlers/doctor';
import { createDoctorService } from '../services/diagnostics/index';
import { createRelayHandlers } from './handlers/relay';
import { RelayService } from '../services/relay/index';
import { createDiscoveryHandlers } from './handlers/discovery';
import { createReportHandlers, type ReportHandlerDeps } from './handlers/report';
import { JournalRecorder, ReportService, relaySetupOf } from '../services/report/index';
import { DiscoveryService } from '../services/discovery/index';
import type { Logger } from './logger';
import { startPractice, type Practice } from './practice';
import { RelayProfileStore } from './relay-profile';
import type { SecretBox } from './secret-box';
import type { SettingsStore } from './settings-store';
import { appVersion } from './version';

/** What a host provides to the core. */
export interface CoreOptions {
  hostKind: z.infer<typeof HostKind>;
  userDataPath: string;
  settings: SettingsStore;
  versions?: { electron?: string; chrome?: string };
  log: Logger;
  /** Start the practice camera (simulator) and the embedded relay on loopback (default: settings.practiceMode). */
  practice?: boolean;
  /** Encrypts saved credentials (Electron: safeStorage); without one, services must not persist passwords. */
  secrets?: SecretBox;
  /** Desktop: the Save dialog for reports and site exports (absent: the page downloads the bytes). */
  chooseReportPath?: ReportHandlerDeps['chooseSavePath'];
}

/** The composed services of one host. */
export interface Core {
  handlers: Handlers;
  hub: EventHub;
  /** The embedded SMTP relay (the commissioning test run and the demo start it and wait on its events). */
  relay: RelayService;
  /** The site journal and the hand-over report. */
  report: ReportService;
  /** Records service events into the site journal (flush before reading it back). */
  journal: JournalRecorder;
  /** Stops every service (relay, scans, timers); safe to call twice. */
  dispose(): Promise<void>;
}

/** True when two camera URLs name the same host and port (trailing slashes and paths ignored). */
function sameCamera(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(/^https?:\/\//i.test(b) ? b : `http://${b}`);
    return x.hostname === y.hostname && (x.port || '80') === (y.port || '80');
  } catch {
    return false;
  }
}

/** Starts the relay as the technician last left it running; a failure is logged, never fatal to the app. */
async function restartSavedRelay(relay: RelayService, profiles: RelayProfileStore, log: Logger): Promise<void> {
  const saved = profiles.load();
  if (!saved?.autoStart) return;
  if (saved.warning) log.warn(saved.warning);
  try {
    await relay.start(saved.options);
  } catch (e) {
    log.warn(`the relay did not come back as last started (${saved.options.listenAddress}:${saved.options.port ?? 25}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Builds the core services and handlers. */
export async function createCore(o: CoreOptions): Promise<Core> {
  const hub = new EventHub((name, issues) => o.log.error(`dropped invalid event ${name}`, issues));
  const disposers: Array<() => Promise<void> | void> = [];
  // SARIX_NO_MULTICAST=1 keeps test hosts (E2E through the web host) from multicasting out of a real uplink.
  const discovery = new DiscoveryService({ events: hub, logger: o.log, isMulticastAllowed: process.env.SARIX_NO_MULTICAST !== '1' });
  disposers.push(() => discovery.dispose());
  const relay = new RelayService({ dataDir: join(o.userDataPath, 'relay'), events: hub, logger: o.log });
  disposers.push(() => relay.stop());
  const doctor = createDoctorService({ log: o.log, relay });
  const relayProfile = new RelayProfileStore(o.userDataPath, o.secrets, o.log);
  // Practice mode (the embedded default of the app hosts): a simulated camera + the relay on loopback.
  let practice: Practice | undefined;
  if (o.practice ?? (o.hostKind !== 'cli' && o.settings.get().practiceMode)) {
    practice = await startPractice({ relay, log: o.log });
    disposers.push(() => practice?.stop());
  } else if (o.hostKind !== 'cli') {
    await restartSavedRelay(relay, relayProfile, o.log);
  }
  const commissioning = createCommissioningService({
    userDataPath: o.userDataPath,
    events: hub,
    logger: o.log,
    relay,
    relaySettings: () => o.settings.get().relay,
    // The app can fire Camera Sabotage itself only on the practice camera (simulator hook); a real camera waits
    // for the technician to cover the lens.
    triggerTest: async ({ url }) => {
      const cam = practice?.camera();
      if (cam && sameCamera(cam.url, url)) return cam.trigger('camera-sabotage', { strength: 'full' });
    },
  });
  disposers.push(() => commissioning.dispose());
  // The site journal records what the services do; the report is drawn from it.
  const report = new ReportService({
    userDataPath: o.userDataPath,
    logger: o.log,
    appVersion: appVersion(),
    currentSite: () => {
      const s = o.settings.get();
      return { name: s.siteName, address: s.siteAddress, customer: s.customer, integrator: s.integrator, technician: s.technicianName };
    },
    relaySetup: async () => (relay.getState().status === 'stopped' ? undefined : relaySetupOf(relay.getState(), await relay.getQueue())),
  });
  const journal = new JournalRecorder({ report, relay, logger: o.log });
  const detachJournal = journal.attach(hub);
  disposers.unshift(async () => {
    detachJournal();
    await journal.flush();
  });
  const doctorHandlers = createDoctorHandlers({ ...doctor, events: hub });
  const commissioningHandlers = createCommissioningHandlers(commissioning);
  const relayHandlers = createRelayHandlers(relay);
  const handlers: Handlers = {
    ...createAppHandlers({ hostKind: o.hostKind, version: appVersion(), userDataPath: o.userDataPath, settings: o.settings, events: hub, versions: o.versions }),
    ...createDiscoveryHandlers({ discovery }),
    ...relayHandlers,
    // Remember a successful start (and a deliberate stop) so the relay comes back after a restart.
    'relay:start': async (arg, ctx) => {
      const options = relayProfile.withSavedPassword(arg.options);
      const state = await relayHandlers['relay:start']({ options }, ctx);
      relayProfile.save(options);
      return state;
    },
    'relay:get-saved-setup': () => ({ setup: relayProfile.view() }),
    'relay:stop': async (arg, ctx) => {
      const state = await relayHandlers['relay:stop'](arg, ctx);
      relayProfile.disableAutoStart();
      return state;
    },
    ...doctorHandlers,
    ...commissioningHandlers,
    // Doctor runs and rollbacks have no service event: their handlers record them in the site journal.
    'doctor:run': async (arg, ctx) => {
      const r = await doctorHandlers['doctor:run'](arg, ctx);
      await journal.doctorFinished(arg, r).catch((e: unknown) => o.log.warn('site journal: doctor run not recorded', String(e)));
      return r;
    },
    'commissioning:rollback': async (arg, ctx) => {
      try {
        const r = await commissioningHandlers['commissioning:rollback'](arg, ctx);
        await journal.rollbackFinished(arg.target.url, r).catch((e: unknown) => o.log.warn('site journal: rollback not recorded', String(e)));
        return r;
      } catch (e) {
        const f = e as { code?: string; message?: string };
        await journal.rollbackFinished(arg.target.url, { error: { code: f.code ?? 'INTERNAL', message: f.message ?? String(e) } }).catch(() => undefined);
        throw e;
      }
    },
    ...createReportHandlers({ report, chooseSavePath: o.chooseReportPath }),
    'practice:get-state': () => practice?.state() ?? { status: 'off' },
  };
  let disposed = false;
  return {
    handlers,
    hub,
    relay,
    report,
    journal,
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const d of disposers.reverse()) await d();
    },
  };
}
