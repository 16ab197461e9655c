/** The Commission page: the step-by-step wizard (the app shell imports this page and its prefill type by name). */
import { WizardPage, type WizardPrefill } from './wizard-page';

/** Prefill for the wizard (from a discovered camera or the practice camera). */
export type CommissionPrefill = WizardPrefill;

/** The guided commissioning of one camera. */
export function CommissionPage({ prefill, openReport }: { prefill?: CommissionPrefill; openReport?: () => void }) {
  return <WizardPage prefill={prefill} openReport={openReport} />;
}
