/**
 * The desktop flows behind the menu entries, with native dialogs: install an update from a file (verify, then
 * ask before restarting) and save a support bundle (then offer to show it in its folder). The Settings page
 * reaches the same controller and handler through the contract.
 */
import { BrowserWindow, dialog, shell } from 'electron';
import { translate } from '../../shared/i18n/i18n';
import type { Language } from '../../shared/i18n/languages';
import { localizeError } from '../../shared/i18n/messages';
import type { SupportBundleResult } from '../../shared/ipc/channels/support';
import { isAppFailure } from '../../shared/ipc/result';
import type { Logger } from '../services/common/logger';
import { PACKAGE_FILTER, type UpdateController } from './updates';

function parent(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/** A failure's text in the dialog's language (keyed failures), else as thrown. */
function reason(language: Language, e: unknown): string {
  if (isAppFailure(e)) return localizeError(language, e.toAppError());
  return e instanceof Error ? e.message : String(e);
}

async function message(o: Electron.MessageBoxOptions): Promise<number> {
  const p = parent();
  return (p ? await dialog.showMessageBox(p, o) : await dialog.showMessageBox(o)).response;
}

/** Native Open dialog for an update package; null when cancelled. */
export async function chooseUpdateFile(language: Language = 'en'): Promise<string | null> {
  const o: Electron.OpenDialogOptions = { title: translate(language, 'desktop.dialog.chooseUpdate'), properties: ['openFile'], filters: [PACKAGE_FILTER] };
  const p = parent();
  const r = p ? await dialog.showOpenDialog(p, o) : await dialog.showOpenDialog(o);
  return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
}

/** Native Save dialog for the support bundle; null when cancelled. */
export async function chooseBundlePath(suggestedName: string, language: Language = 'en'): Promise<string | null> {
  const o: Electron.SaveDialogOptions = { title: translate(language, 'desktop.dialog.saveBundle'), defaultPath: suggestedName, filters: [{ name: translate(language, 'desktop.dialog.zipArchive'), extensions: ['zip'] }] };
  const p = parent();
  const r = p ? await dialog.showSaveDialog(p, o) : await dialog.showSaveDialog(o);
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** File > Install Update from File…: verify, then ask before restarting; a refused file is explained. */
export async function runInstallUpdateFromFile(c: UpdateController, log: Logger, language: Language = 'en'): Promise<void> {
  const t = (key: string, params?: Record<string, string>) => translate(language, key, params);
  try {
    const r = await c.installFromFile();
    if (r.isCancelled) return;
    const answer = await message({
      type: 'info',
      title: t('desktop.dialog.updateReady'),
      message: t('desktop.dialog.updateReadyMessage', { version: String(r.state.version) }),
      detail: t('desktop.dialog.updateReadyDetail'),
      buttons: [t('desktop.dialog.restartInstall'), t('desktop.dialog.later')],
      defaultId: 0,
      cancelId: 1,
    });
    if (answer === 0) c.restartAndInstall();
  } catch (e) {
    log.warn('install from file failed', e instanceof Error ? e.message : e);
    await message({ type: 'error', title: t('desktop.dialog.updateFailed'), message: t('desktop.dialog.updateFailedMessage'), detail: reason(language, e), buttons: [t('desktop.dialog.ok')] });
  }
}

/** Help > Save Support Bundle…: save, then offer to show the file. */
export async function runSaveSupportBundle(save: () => Promise<SupportBundleResult>, log: Logger, language: Language = 'en'): Promise<void> {
  const t = (key: string, params?: Record<string, string>) => translate(language, key, params);
  try {
    const r = await save();
    if (r.isCancelled || !r.savedTo) return;
    const answer = await message({
      type: 'info',
      title: t('desktop.dialog.bundleSaved'),
      message: t('desktop.dialog.bundleSavedMessage', { kib: (r.sizeBytes / 1024).toFixed(0), files: String(r.entries.length) }),
      detail: `${r.savedTo}\n\n${t('desktop.dialog.bundleSavedDetail')}`,
      buttons: [t('desktop.dialog.showInFolder'), t('desktop.dialog.ok')],
      defaultId: 1,
      cancelId: 1,
    });
    if (answer === 0) shell.showItemInFolder(r.savedTo);
  } catch (e) {
    log.warn('support bundle failed', e instanceof Error ? e.message : e);
    await message({ type: 'error', title: t('desktop.dialog.bundleFailed'), message: t('desktop.dialog.bundleFailedMessage'), detail: reason(language, e), buttons: [t('desktop.dialog.ok')] });
  }
}
