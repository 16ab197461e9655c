/**
 * The one composition function (docs/architecture.md §3.16). Every host calls `createServices(env)`: the Electron
 * app (electron/main/bootstrap.ts), the web host (electron/server/bootstrap.ts) and each CLI command
 * (electron/cli/**). It builds every service once from the small interfaces the services own (logger, settings,
 * secret box, clock, user-data path, resolver), wires the services to each other in process (commissioning watches
 * `relay.events`, the doctor reads the relay's state) and starts practice mode or the saved relay as the host asks.
 * Hosts with a UI then put the contract on top (contract-handlers.ts, contract-events.ts). Node only.
 */
// Long on purpose: createServices is the one wiring list every host calls (docs/architecture.md §3.16); read top to bottom it shows which service gets what, which a split into helpers would hide.
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import type { HostKind } from '../../shared/domain/app';
import { AppService } from '../services/app/app-service';
import { CaptureService } from '../services/camera/capture';
import type { FirmwareProfile } from '../services/camera/firmware-profile';
import { BackupStore, CommissioningService, CommissioningSessions, EmbeddedTestRelay, relayAddressFor, systemResolveHost, type CommissioningEvents, type TriggerTest } from '../services/commissioning/index';
import { createSarixWebDriver } from '../services/camera/driver';
import type { Clock } from '../services/common/clock';
import { Emitter } from '../services/common/events';
import type { Logger } from '../services/common/logger';
import { ensurePrivateDir, makeTreePrivate } from '../services/common/private-files';
import type { SecretBox } from '../services/common/secret-box';
import type { SettingsStore } from '../services/common/settings-store';
import { DoctorService, KnowledgeBase, SystemResolver, type NameResolver } from '../services/diagnostics/index';
import { DiscoveryService } from '../services/discovery/index';
import { createMailServerFinder, type MailServerFinder, type MailServerFinderDeps } from '../services/mailservers/index';
import { RelayService, RelaySetupStore } from '../services/relay/index';
import { JournalRecorder, relaySetupOf, ReportService, type ReportServiceDeps } from '../services/report/index';
import { appVersion } from '../services/app/version';
import { createSupportBundleWriter, type SupportBundleWriter } from '../services/support/index';
import { startFleet, type SimFleet, type SimFleetOptions } from '../simulator/index';
import { wireCameraIdentity } from './camera-identity';
import { practiceOff, sameCamera, startPractice, type Practice, type PracticeOptions } from './practice';

/** The small interfaces a host provides; services own these types (electron/services/common). */
export interface ServiceEnv {
  hostKind: HostKind;
  /** Settings, backups, relay mail and the relay setup live here. */
  userDataPath: string;
  logger: Logger;
  settings: SettingsStore;
  /** Seals saved passwords (Electron: safeStorage); without one, no password is ever written to disk. */
  secrets?: SecretBox;
  /** Wall clock for services that stamp times (default Date.now). */
  clock?: Clock;
  /** Name lookup for camera hosts, SMTP server names and discovery hosts (default: the system resolver). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** Extra runtime versions for `app:get-info` (the Electron host fills electron/chrome). */
  versions?: { electron?: string; chrome?: string };
  /** Desktop: the native Save dialog for reports and site exports (absent: the bytes go back for a download). */
  chooseSavePath?: ReportServiceDeps['chooseSavePath'];
  /** What only this host adds to the support bundle (Electron: electron-log's files and the crash-dump folder). */
  support?: { logFiles?: () => string[]; crashDumpsDir?: string };
}

/** Choices a host or CLI command makes about what runs (none of them are interfaces). */
export interface ServiceOptions {
  /** Practice cameras + relay on loopback (default: the app hosts follow settings.practiceMode; the CLI never). */
  practice?: boolean | PracticeOptions;
  /** Bring the relay back as the technician left it (default: the app hosts, when practice is off). */
  resumeRelay?: boolean;
  /** The relay's mail folder (default `<userData>/relay`). */
  relayDataDir?: string;
  /** False reports the multicast discovery methods as switched off (default: on unless SARIX_NO_MULTICAST=1). */
  isMulticastAllowed?: boolean;
  /** Discovery UDP ports (simulator knobs; real cameras use 1900 and 3702). */
  discoveryPorts?: { ssdp?: number; wsd?: number };
  /** Per-request timeout of camera calls (default 8 s). */
  cameraTimeoutMs?: number;
  /**
   * Where commissioning's test relay listens (default: this computer's address toward the camera, port 25), and
   * whether commissioning may start a stopped relay there (`mayStart`, default false: the app hosts never start or
   * replace a relay unasked; only the CLI's commission command, which has no other relay, sets it).
   */
  testRelay?: { listenAddress?: string; port?: number; mayStart?: boolean };
  /** Fires the test event on cameras that are not practice cameras (the CLI asks the technician to cover the lens). */
  triggerTest?: TriggerTest;
  /** Firmware assumptions (the default profile plus a --profile file's label wordings and page paths). */
  cameraProfile?: FirmwareProfile;
  /** The mail-server finder's view of the site's DNS (tests: a DNS table and fixed settings; default: this OS, or SARIX_SITE_DNS). */
  mailServers?: Pick<MailServerFinderDeps, 'siteDns' | 'dnsClient' | 'hostsFile'>;
}

/** Every service of one host, composed. */
export interface Services {
  app: AppService;
  discovery: DiscoveryService;
  relay: RelayService;
  commissioning: CommissioningService;
  /** Step-by-step commissioning sessions (the wizard). */
  sessions: CommissioningSessions;
  doctor: DoctorService;
  kb: KnowledgeBase;
  /** Finds the site's own mail servers and judges each for the camera. */
  mailServers: MailServerFinder;
  practice: Practice;
  /** The site journal and the hand-over report. */
  report: ReportService;
  /** Records the other services' events into the site journal (`flush()` before reading it back). */
  journal: JournalRecorder;
  /** The support bundle (logs, transcripts, settings, last results, crash dumps, versions; secrets removed). */
  support: SupportBundleWriter;
  /** Captures of camera web UIs for support (`<userData>/captures`). */
  capture: CaptureService;
  /** Simulated camera fleets (`sarix sim`), logging like the services. */
  simulator: { startFleet(o: SimFleetOptions): Promise<SimFleet> };
  /** Stops everything (practice, relay, scans, jobs); safe to call twice. */
  dispose(): Promise<void>;
}

/** This computer's interface addresses, for choosing the test relay's address toward a camera. */
function localAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((x) => x !== undefined);
}

/** The doctor's resolver over a plain lookup function (a host that injects one, e.g. the demo's loopback-only one). */
function nameResolverOf(resolveHost: (h: string) => Promise<string[]>): NameResolver {
  return {
    async lookup(name) {
      try {
        return { name, addresses: await resolveHost(name), source: 'system' };
      } catch (e) {
        return { name, addresses: [], source: 'none', error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** What the hosts store in the user-data folder (the entries older versions may have left readable to others). */
const USER_DATA_ENTRIES = ['settings.json', 'relay-profile.json', 'window-state.json', 'backups', 'relay', 'logs'];

/**
 * Owner-only user data: the folder is 0700 at once, and what an older version wrote 0644/0755 is tightened in the
 * background (a large mailbox takes a moment). The app hosts own the folder; a CLI command only makes private what
 * it writes itself (its stores create their files 0600, `sarix demo --data` its folder), so `sarix discover`
 * creates no user-data folder.
 */
function makeUserDataPrivate(userDataPath: string, log: Logger): void {
  ensurePrivateDir(userDataPath);
  void makeTreePrivate(userDataPath, USER_DATA_ENTRIES).then(
    (changed) => changed.length > 0 && log.info(`made ${changed.length} stored files and folders private (owner only)`),
    (e: unknown) => log.warn(`could not make every stored file private: ${e instanceof Error ? e.message : String(e)}`),
  );
}

/** Builds every service for one host. */
export async function createServices(env: ServiceEnv, options: ServiceOptions = {}): Promise<Services> {
  const log = env.logger;
  const isAppHost = env.hostKind !== 'cli';
  if (isAppHost) makeUserDataPrivate(env.userDataPath, log);
  const app = new AppService({ hostKind: env.hostKind, userDataPath: env.userDataPath, settings: env.settings, versions: env.versions });
  const relaySetup = new RelaySetupStore(env.userDataPath, env.secrets, log);
  const relay = new RelayService({
    dataDir: options.relayDataDir ?? join(env.userDataPath, 'relay'),
    logger: log,
    clock: env.clock,
    setup: relaySetup,
    secrets: env.secrets,
  });
  let practice: Practice = practiceOff;
  const practiceChoice = options.practice ?? (isAppHost && env.settings.get().practiceMode);
  if (practiceChoice) {
    // Settings > Practice mode says how many practice cameras the app starts with.
    practice = await startPractice({ relay, log, options: practiceChoice === true ? { count: env.settings.get().practiceCameraCount } : practiceChoice });
  } else if (options.resumeRelay ?? isAppHost) {
    await relay.resumeSetup();
  }

  const discovery = new DiscoveryService({
    logger: log,
    now: env.clock,
    resolve: env.resolveHost,
    // Practice cameras that answer SSDP do so on a free port (a simulator knob): this host's M-SEARCH goes there.
    ports: { ssdp: options.discoveryPorts?.ssdp ?? practice.ssdpPort(), wsd: options.discoveryPorts?.wsd },
    // SARIX_NO_MULTICAST=1 keeps test hosts (E2E through the web host) from multicasting out of a real uplink.
    isMulticastAllowed: options.isMulticastAllowed ?? process.env.SARIX_NO_MULTICAST !== '1',
  });
  const doctor = new DoctorService({
    log,
    // The app hosts run the relay in this process, so the doctor reads its state; a CLI run never does (`sarix relay`
    // is another process), so there the doctor checks the relay from outside, through the SMTP probe.
    relay: isAppHost ? relay : undefined,
    resolver: env.resolveHost ? nameResolverOf(env.resolveHost) : new SystemResolver(),
    wallClock: env.clock,
  });
  const kb = new KnowledgeBase();
  // The site's DNS settings come from this OS; SARIX_SITE_DNS / SARIX_SITE_DOMAIN switch them in test hosts, and a
  // composition test injects its own.
  const mailServers = createMailServerFinder({ log, ...options.mailServers });

  // The test run learns that the mail arrived from the relay's own events, in process.
  const testRelay = new EmbeddedTestRelay(relay, {
    listenAddress: (cameraIp) => options.testRelay?.listenAddress ?? relayAddressFor(cameraIp, localAddresses(), relay.getSavedSetup()?.listenAddress),
    port: options.testRelay?.port,
    mayStart: options.testRelay?.mayStart ?? false,
  });
  // A practice camera is triggered in process; any other camera waits for the technician (or the host's prompt).
  const triggerTest: TriggerTest = async (camera) => (await practice.trigger(camera.url, camera.behaviour)) ?? options.triggerTest?.(camera);
  const commissioning = new CommissioningService({
    logger: log,
    backupDir: join(env.userDataPath, 'backups'),
    relay: testRelay,
    triggerTest,
    resolveHost: env.resolveHost,
    now: env.clock,
    cameraTimeoutMs: options.cameraTimeoutMs,
    cameraProfile: options.cameraProfile,
    triggersItself: (url) => practice.isPracticeCamera(url),
  });

  const sessions = new CommissioningSessions({
    driverFactory: (t) => createSarixWebDriver({ url: t.url, username: t.username, password: t.password, timeoutMs: options.cameraTimeoutMs, logger: log, now: env.clock, profile: options.cameraProfile }),
    backups: new BackupStore(join(env.userDataPath, 'backups')),
    resolveHost: env.resolveHost ?? systemResolveHost,
    relay: testRelay,
    preflight: { relayState: () => relay.getState(), savedRelay: () => relay.getSavedSetup(), practiceRelay: () => practice.state().relay, localAddresses },
    triggerTest,
    isPracticeCamera: (url) => practice.cameras().some((c) => sameCamera(c.url, url)),
    logger: log,
    now: env.clock,
  });

  // A wizard's camera ends with the same result as a one-shot job's: the registry and the journal record both alike.
  const outcomes = new Emitter<CommissioningEvents>();
  const forwardOutcomes = [
    commissioning.events.on('camera-finished', (p) => outcomes.emit('camera-finished', p)),
    commissioning.events.on('rolled-back', (p) => outcomes.emit('rolled-back', p)),
    sessions.events.on('camera-finished', (p) => outcomes.emit('camera-finished', p)),
  ];
  const recorded = { events: outcomes };

  // Which camera wrote: discovery, commissioning (results and backups) and practice feed the relay's registry.
  const unwireIdentity = wireCameraIdentity({ registry: relay.cameras, discovery, commissioning: recorded, practice, backupDir: join(env.userDataPath, 'backups'), log, now: env.clock });
  // The site journal records what the services do, for the hand-over report.
  const report = new ReportService({
    userDataPath: env.userDataPath,
    logger: log,
    appVersion: appVersion(),
    now: env.clock,
    currentSite: () => {
      const s = env.settings.get();
      return { name: s.siteName, address: s.siteAddress, customer: s.customer, integrator: s.integrator, technician: s.technicianName };
    },
    // The queue at hand-over: the relay as this process runs it (a CLI run shows the journal's last record).
    relaySetup: async () => (relay.getState().status === 'stopped' ? undefined : relaySetupOf(relay.getState(), await relay.getQueue())),
    chooseSavePath: env.chooseSavePath,
  });
  const journal = new JournalRecorder({ report, relay, logger: log });
  const stopJournal = journal.attach({ app, relay, discovery, commissioning: recorded, sessions, doctor, mailServers });
  const support = createSupportBundleWriter({
    appInfo: () => app.getInfo(),
    settings: () => app.getSettings(),
    relaySetup: () => relay.getSavedSetup(),
    relay,
    discovery: () => discovery.getState(),
    commissioning: () => commissioning.getState(),
    logFiles: env.support?.logFiles,
    crashDumpsDir: env.support?.crashDumpsDir,
    // The saved forwarding password is scrubbed wherever it might appear (the bundle never includes it).
    knownSecrets: () => [relaySetup.load()?.options.forward?.password],
  });

  let disposed = false;
  return {
    app,
    support,
    discovery,
    relay,
    commissioning,
    sessions,
    doctor,
    kb,
    mailServers,
    practice,
    report,
    journal,
    capture: new CaptureService({ dir: join(env.userDataPath, 'captures'), timeoutMs: options.cameraTimeoutMs, profile: options.cameraProfile, now: env.clock }),
    simulator: { startFleet: (o) => startFleet({ logger: log, ...o }) },
    async dispose() {
      if (disposed) return;
      disposed = true;
      sessions.dispose();
      unwireIdentity();
      forwardOutcomes.forEach((off) => off());
      mailServers.dispose();
      await commissioning.dispose();
      await doctor.dispose();
      await discovery.dispose();
      await practice.stop();
      await relay.stop();
      stopJournal();
      await journal.flush();
    },
  };
}
