import type { Handlers } from '../dispatch';
import type { CommissioningService } from '../../services/commissioning/index';

/** The commissioning channels this factory implements. */
type CommissioningChannel = Extract<keyof Handlers, `commissioning:${string}`>;

/** Handlers of the `commissioning:*` channels over one CommissioningService. */
export function createCommissioningHandlers(svc: CommissioningService): Pick<Handlers, CommissioningChannel> {
  return {
    'commissioning:start': async ({ targets, profile, options }) => ({ operationId: await svc.start(targets, profile, options) }),
    'commissioning:cancel': ({ operationId }) => ({ isCancelled: svc.cancel(operationId) }),
    'commissioning:get-state': () => svc.getState(),
    'commissioning:rollback': ({ target, backupFile }) => svc.rollback(target, backupFile),
  };
}
