import type { ReactNode } from 'react';
import type { Device } from '../../../shared/domain/discovery';
import { AboutPage } from '../features/about/about-page';
import { CamerasPage } from '../features/discovery/cameras-page';
import { HomePage } from '../features/home/home-page';
import { RelayPage } from '../features/relay/relay-page';
import { ReportPage } from '../features/report/report-page';
import { SettingsPage } from '../features/settings/settings-page';
import { SitePage } from '../features/site/site-page';
import { TroubleshootPage } from '../features/troubleshoot/troubleshoot-page';
import { CommissionPage, type CommissionPrefill } from '../features/wizard/commission-page';

/** Navigation helpers a page receives. */
export interface PageProps {
  go: (id: PageId) => void;
  /** Opens the wizard for a discovered camera. */
  commission: (d: Device) => void;
  /** Opens the wizard for one camera by its web address (a camera of the batch, to look at it step by step or roll it back). */
  commissionUrl: (url: string) => void;
  prefill: CommissionPrefill;
  /** The cameras chosen for the whole-site job (Find cameras → Site), in the order the technician will walk. */
  selection: Device[];
  /** Replaces the whole-site selection and opens the Site page. */
  commissionMany: (devices: Device[]) => void;
}

/** Every page id. */
export type PageId = 'home' | 'cameras' | 'site' | 'commission' | 'relay' | 'troubleshoot' | 'report' | 'settings' | 'about';

/**
 * One page of the app. A page renders exactly one h1 (its title; the shell moves the focus there on navigation
 * and the skip link lands on the main region around it). Add a page by adding an entry here.
 */
export interface PageEntry {
  id: PageId;
  /** The catalog key of the navigation label (also the window title). */
  labelKey: string;
  /** The catalog key of one line under the label in the navigation. */
  hintKey?: string;
  render: (p: PageProps) => ReactNode;
}

/** The pages, in navigation order. */
export const pages: PageEntry[] = [
  { id: 'home', labelKey: 'nav.home.label', hintKey: 'nav.home.hint', render: (p) => <HomePage {...p} /> },
  { id: 'cameras', labelKey: 'nav.cameras.label', hintKey: 'nav.cameras.hint', render: (p) => <CamerasPage onCommission={p.commission} onCommissionMany={p.commissionMany} /> },
  { id: 'site', labelKey: 'nav.site.label', hintKey: 'nav.site.hint', render: (p) => <SitePage selection={p.selection} onFindCameras={() => p.go('cameras')} onOpenWizard={p.commissionUrl} /> },
  { id: 'commission', labelKey: 'nav.commission.label', hintKey: 'nav.commission.hint', render: (p) => <CommissionPage prefill={p.prefill} openReport={() => p.go('report')} /> },
  { id: 'relay', labelKey: 'nav.relay.label', hintKey: 'nav.relay.hint', render: () => <RelayPage /> },
  { id: 'troubleshoot', labelKey: 'nav.troubleshoot.label', hintKey: 'nav.troubleshoot.hint', render: () => <TroubleshootPage /> },
  { id: 'report', labelKey: 'nav.report.label', hintKey: 'nav.report.hint', render: () => <ReportPage /> },
  { id: 'settings', labelKey: 'nav.settings.label', render: () => <SettingsPage /> },
  { id: 'about', labelKey: 'nav.about.label', render: () => <AboutPage /> },
];
