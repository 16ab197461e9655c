import { randomUUID } from 'node:crypto';
import type { Handlers } from '../dispatch';
import type { EventSink } from '../event-hub';
import type { DoctorService } from '../../services/diagnostics/doctor-service';
import type { KnowledgeBase } from '../../services/diagnostics/knowledge-base';

/** What the doctor handlers need. */
export interface DoctorHandlerDeps {
  doctor: DoctorService;
  kb: KnowledgeBase;
  events: EventSink;
}

/** Handlers of the `doctor:*` and `kb:*` channels. */
export function createDoctorHandlers(d: DoctorHandlerDeps): Pick<Handlers, 'doctor:run' | 'doctor:cancel-run' | 'kb:list-articles' | 'kb:get-article'> {
  return {
    'doctor:run': (req) => {
      // The id is fixed before the run starts so every progress event carries it.
      const operationId = req.operationId ?? randomUUID();
      return d.doctor.run(
        { ...req, operationId },
        { onCheck: (check, index, total) => d.events.emit('doctor:check-finished', { operationId, check, index, total }) },
      );
    },
    'doctor:cancel-run': ({ operationId }) => ({ cancelled: d.doctor.cancel(operationId) }),
    'kb:list-articles': () => d.kb.list(),
    'kb:get-article': ({ id }) => d.kb.get(id),
  };
}
