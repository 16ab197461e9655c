/**
 * The desktop side of saving a report or a site export: the native Save dialog, parented to the app window, with
 * a filter for the format. The core writes the file where the technician chose (the web host downloads instead).
 */
import { BrowserWindow, dialog } from 'electron';
import type { ReportSaveFormat } from '../../shared/ipc/channels/report';

const FILTERS: Record<ReportSaveFormat | 'site', Electron.FileFilter> = {
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  html: { name: 'Web page', extensions: ['html'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  'vms-csv': { name: 'CSV for the VMS import', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  site: { name: 'Sarix site export', extensions: ['json'] },
};

/** What the chooser needs from Electron (injectable for tests). */
export interface SaveDialogDeps {
  dialog: Pick<typeof dialog, 'showSaveDialog'>;
  focusedWindow: () => BrowserWindow | null | undefined;
}

const electronDeps = (): SaveDialogDeps => ({ dialog, focusedWindow: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] });

/** Returns the chooser the core calls: the Save dialog, the chosen path, or null when cancelled. */
export function reportSavePathChooser(given?: SaveDialogDeps): (suggestedName: string, kind: ReportSaveFormat | 'site') => Promise<string | null> {
  return async (suggestedName, kind) => {
    // Electron's dialog is looked up on first use, not at startup.
    const deps = given ?? electronDeps();
    const o: Electron.SaveDialogOptions = {
      title: kind === 'site' ? 'Export site' : 'Save hand-over report',
      defaultPath: suggestedName,
      filters: [FILTERS[kind]],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    };
    const parent = deps.focusedWindow();
    const r = parent ? await deps.dialog.showSaveDialog(parent, o) : await deps.dialog.showSaveDialog(o);
    return r.canceled || !r.filePath ? null : r.filePath;
  };
}
