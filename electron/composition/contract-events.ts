/**
 * The contract's event side: each service event becomes one contract event, in this one adapter at the edge
 * (docs/architecture.md §3.17). Services never see contract event names, so renaming a UI event changes only this
 * file. The hub checks every payload against the contract before a host forwards it.
 */
import type { AppService } from '../services/app/app-service';
import type { CommissioningService } from '../services/commissioning/index';
import type { Unsubscribe } from '../services/common/events';
import type { DoctorService } from '../services/diagnostics/index';
import type { DiscoveryService } from '../services/discovery/index';
import type { MailServerFinder } from '../services/mailservers/index';
import type { RelayService } from '../services/relay/index';
import type { ReportService } from '../services/report/index';
import type { Services } from './create-services';
import type { EventSink } from './event-hub';

/** app:* events. */
export function bindAppEvents(app: Pick<AppService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [app.events.on('settings-changed', (settings) => sink.emit('app:settings-changed', { settings }))];
}

/** discovery:* events. */
export function bindDiscoveryEvents(discovery: Pick<DiscoveryService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [
    discovery.events.on('device-found', (p) => sink.emit('discovery:camera-found', p)),
    discovery.events.on('device-updated', (p) => sink.emit('discovery:camera-updated', p)),
    discovery.events.on('progress', (p) => sink.emit('discovery:progress', p)),
    discovery.events.on('finished', (p) => sink.emit('discovery:finished', p)),
  ];
}

/** relay:* events. */
export function bindRelayEvents(relay: Pick<RelayService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [
    relay.events.on('state-changed', (state) => sink.emit('relay:state-changed', { state })),
    relay.events.on('message-received', (m) => sink.emit('relay:message-received', m)),
    relay.events.on('queue-changed', (items) => sink.emit('relay:queue-changed', { items })),
    relay.events.on('session-refused', (r) => sink.emit('relay:session-refused', r)),
    relay.events.on('session-closed', (session) => sink.emit('relay:session-closed', { session })),
    relay.events.on('inbox-changed', (counts) => sink.emit('relay:counts-changed', counts)),
  ];
}

/** commissioning:* events. */
export function bindCommissioningEvents(commissioning: Pick<CommissioningService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [
    commissioning.events.on('started', (p) => sink.emit('commissioning:started', p)),
    commissioning.events.on('step-changed', (p) => sink.emit('commissioning:step-changed', p)),
    commissioning.events.on('camera-finished', (p) => sink.emit('commissioning:camera-finished', p)),
    commissioning.events.on('finished', (p) => sink.emit('commissioning:finished', p)),
    commissioning.events.on('test-queue-changed', (p) => sink.emit('commissioning:test-queue-changed', p)),
  ];
}

/** doctor:* events. */
export function bindDoctorEvents(doctor: Pick<DoctorService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [doctor.events.on('check-finished', (p) => sink.emit('doctor:check-finished', p)), doctor.events.on('finished', (p) => sink.emit('doctor:finished', p))];
}

/** mailservers:* events. */
export function bindMailServerEvents(finder: Pick<MailServerFinder, 'events'>, sink: EventSink): Unsubscribe[] {
  return [finder.events.on('search-progressed', (p) => sink.emit('mailservers:search-progressed', p))];
}

/** report:* events. */
export function bindReportEvents(report: Pick<ReportService, 'events'>, sink: EventSink): Unsubscribe[] {
  return [report.events.on('journal-changed', (p) => sink.emit('report:journal-changed', p))];
}

/** Forwards every service event to the contract sink; returns the function that stops forwarding. */
export function bindContractEvents(s: Services, sink: EventSink): Unsubscribe {
  const offs = [
    ...bindAppEvents(s.app, sink),
    ...bindDiscoveryEvents(s.discovery, sink),
    ...bindRelayEvents(s.relay, sink),
    ...bindCommissioningEvents(s.commissioning, sink),
    ...bindDoctorEvents(s.doctor, sink),
    ...bindMailServerEvents(s.mailServers, sink),
    ...bindReportEvents(s.report, sink),
  ];
  return () => offs.forEach((off) => off());
}
