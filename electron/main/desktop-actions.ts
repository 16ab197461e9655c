/**
 * The desktop flows behind the menu entries, with native dialogs: install an update from a file (verify, then
 * ask before restarting) and save a support bundle (then offer to show it in its folder). The Settings page
 * reaches the same controller and handler through the contract.
 */
import { BrowserWindow, dialog, shell } from 'electron';
import type { SupportBundleResult } from '../../shared/ipc/channels/support';
import type { Logger } from '../services/common/logger';
import { PACKAGE_FILTER, type UpdateController } from './updates';

function parent(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function message(o: Electron.MessageBoxOptions): Promise<number> {
  const p = parent();
  return (p ? await dialog.showMessageBox(p, o) : await dialog.showMessageBox(o)).response;
}

/** Native Open dialog for an update package; null when cancelled. */
export async function chooseUpdateFile(): Promise<string | null> {
  const o: Electron.OpenDialogOptions = { title: 'Install update from file', properties: ['openFile'], filters: [PACKAGE_FILTER] };
  const p = parent();
  const r = p ? await dialog.showOpenDialog(p, o) : await dialog.showOpenDialog(o);
  return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
}

/** Native Save dialog for the support bundle; null when cancelled. */
export async function chooseBundlePath(suggestedName: string): Promise<string | null> {
  const o: Electron.SaveDialogOptions = { title: 'Save support bundle', defaultPath: suggestedName, filters: [{ name: 'Zip archive', extensions: ['zip'] }] };
  const p = parent();
  const r = p ? await dialog.showSaveDialog(p, o) : await dialog.showSaveDialog(o);
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** File > Install Update from File…: verify, then ask before restarting; a refused file is explained. */
export async function runInstallUpdateFromFile(c: UpdateController, log: Logger): Promise<void> {
  try {
    const r = await c.installFromFile();
    if (r.isCancelled) return;
    const answer = await message({
      type: 'info',
      title: 'Update ready',
      message: `Sarix Commissioner ${r.state.version} is verified and ready to install.`,
      detail: 'The update file is signed by the makers of Sarix Commissioner and was not changed. The app closes, installs the update and starts again.',
      buttons: ['Restart and Install', 'Later'],
      defaultId: 0,
      cancelId: 1,
    });
    if (answer === 0) c.restartAndInstall();
  } catch (e) {
    log.warn('install from file failed', e instanceof Error ? e.message : e);
    await message({ type: 'error', title: 'Update not installed', message: 'The update was not installed.', detail: e instanceof Error ? e.message : String(e), buttons: ['OK'] });
  }
}

/** Help > Save Support Bundle…: save, then offer to show the file. */
export async function runSaveSupportBundle(save: () => Promise<SupportBundleResult>, log: Logger): Promise<void> {
  try {
    const r = await save();
    if (r.isCancelled || !r.savedTo) return;
    const answer = await message({
      type: 'info',
      title: 'Support bundle saved',
      message: `The support bundle is saved (${(r.sizeBytes / 1024).toFixed(0)} KiB, ${r.entries.length} files).`,
      detail: `${r.savedTo}\n\nPasswords and tokens were removed. Send it only to your Sarix Commissioner support contact.`,
      buttons: ['Show in Folder', 'OK'],
      defaultId: 1,
      cancelId: 1,
    });
    if (answer === 0) shell.showItemInFolder(r.savedTo);
  } catch (e) {
    log.warn('support bundle failed', e instanceof Error ? e.message : e);
    await message({ type: 'error', title: 'Support bundle not saved', message: 'The support bundle could not be saved.', detail: e instanceof Error ? e.message : String(e), buttons: ['OK'] });
  }
}
