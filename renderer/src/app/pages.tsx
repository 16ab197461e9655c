import type { ReactNode } from 'react';
import type { Device } from '../../../shared/domain/discovery';
import { AboutPage } from '../features/about/about-page';
import { CamerasPage } from '../features/discovery/cameras-page';
import { HomePage } from '../features/home/home-page';
import { RelayPage } from '../features/relay/relay-page';
import { ReportPage } from '../features/report/report-page';
import { SettingsPage } from '../features/settings/settings-page';
import { TroubleshootPage } from '../features/troubleshoot/troubleshoot-page';
import { CommissionPage, type CommissionPrefill } from '../features/wizard/commission-page';

/** Navigation helpers a page receives. */
export interface PageProps {
  go: (id: PageId) => void;
  /** Opens the wizard for a discovered camera. */
  commission: (d: Device) => void;
  prefill: CommissionPrefill;
}

/** Every page id. */
export type PageId = 'home' | 'cameras' | 'commission' | 'relay' | 'troubleshoot' | 'report' | 'settings' | 'about';

/** The pages, in navigation order. */
export const pages: Array<{ id: PageId; label: string; hint?: string; render: (p: PageProps) => ReactNode }> = [
  { id: 'home', label: 'Start', hint: 'What to do, in order', render: (p) => <HomePage {...p} /> },
  { id: 'cameras', label: 'Find cameras', hint: 'SSDP, ONVIF, mDNS, sweep', render: (p) => <CamerasPage onCommission={p.commission} /> },
  { id: 'commission', label: 'Commission', hint: 'SMTP, NTP, source, handler, test', render: (p) => <CommissionPage prefill={p.prefill} openReport={() => p.go('report')} /> },
  { id: 'relay', label: 'Relay inbox', hint: 'Camera mail received here', render: () => <RelayPage /> },
  { id: 'troubleshoot', label: 'Troubleshoot', hint: 'Why mail does not arrive', render: () => <TroubleshootPage /> },
  { id: 'report', label: 'Report', hint: 'Hand-over, signed off', render: () => <ReportPage /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsPage /> },
  { id: 'about', label: 'About', render: () => <AboutPage /> },
];
