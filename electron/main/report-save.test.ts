import { describe, expect, it, vi } from 'vitest';
import { reportSavePathChooser, type SaveDialogDeps } from './report-save';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());

describe('report Save dialog', () => {
  it('asks with the suggested name and the format filter, parented to the window; cancel is null', async () => {
    const win = { id: 1 };
    const showSaveDialog = vi.fn(async (..._a: unknown[]) => ({ canceled: false, filePath: '/home/tech/report.pdf' }));
    const choose = reportSavePathChooser({ dialog: { showSaveDialog } as unknown as SaveDialogDeps['dialog'], focusedWindow: () => win as never });
    expect(await choose('handover-depot-SRX-1.pdf', 'pdf')).toBe('/home/tech/report.pdf');
    expect(showSaveDialog).toHaveBeenCalledWith(win, expect.objectContaining({ defaultPath: 'handover-depot-SRX-1.pdf', filters: [{ name: 'PDF document', extensions: ['pdf'] }] }));
    showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await choose('depot.sarix-site.json', 'site')).toBeNull();
    expect(showSaveDialog.mock.calls[1][1]).toMatchObject({ title: 'Export site' });
  });
});
