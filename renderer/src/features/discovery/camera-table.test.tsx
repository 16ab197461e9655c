/** @vitest-environment happy-dom */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../../../../shared/domain/discovery';
import { renderWithMantine } from '../../test/render';
import { CameraTable } from './camera-table';

const saved: Array<{ name: string; text: string }> = [];
vi.mock('../../lib/download', () => ({ saveText: (name: string, _type: string, text: string) => saved.push({ name, text }) }));

function device(ip: string, name: string, model: string): Device {
  return { id: `id-${ip}`, ip, mac: `00:0b:ab:00:00:${ip.split('.')[3].padStart(2, '0')}`, uuid: null, manufacturer: 'Pelco', model, name, firmware: '3.30.1', serial: null, webUrl: `http://${ip}`, methods: ['ssdp'], interfaces: [], firstSeen: 0, lastSeen: 0, isOnline: true, isSarix: true, sarixEvidence: ['manufacturer'], firmwareAdvisory: null };
}
const cams = [device('10.0.0.21', 'Lobby', 'IXE20DN'), device('10.0.0.3', 'Dock', 'IMP519'), device('10.0.0.12', 'Gate', 'IXE20DN')];
const names = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[3].textContent);

afterEach(() => {
  cleanup();
  saved.length = 0;
});

describe('CameraTable', () => {
  it('sorts by a column header (and back), with aria-sort telling which way', () => {
    renderWithMantine(<CameraTable devices={cams} />);
    expect(names()).toEqual(['Dock', 'Gate', 'Lobby']); // by address, numerically: .3, .12, .21
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Name' }));
    expect(names()).toEqual(['Dock', 'Gate', 'Lobby']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Name' }));
    expect(names()).toEqual(['Lobby', 'Gate', 'Dock']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('filters, selects all shown, keeps a hidden selection, and commissions the selection in the shown order', () => {
    const onMany = vi.fn();
    renderWithMantine(<CameraTable devices={cams} onCommissionMany={onMany} />);
    const commission = screen.getByTestId('commission-selected');
    expect(commission).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('Filter cameras'), { target: { value: 'ixe' } });
    expect(names()).toEqual(['Gate', 'Lobby']);
    fireEvent.click(screen.getByLabelText('Select all shown cameras'));
    expect(commission.textContent).toBe('Commission selected (2)');
    fireEvent.change(screen.getByLabelText('Filter cameras'), { target: { value: '' } });
    expect(screen.getByLabelText('Select all shown cameras')).toHaveProperty('indeterminate', true);
    fireEvent.click(screen.getByLabelText('Select Dock'));
    fireEvent.click(screen.getByLabelText('Select Gate'));
    fireEvent.click(commission);
    expect(onMany.mock.calls[0][0].map((d: Device) => d.name)).toEqual(['Dock', 'Lobby']);
  });

  it('exports the selected cameras (else all shown) as CSV without a password', () => {
    renderWithMantine(<CameraTable devices={cams} />);
    fireEvent.click(screen.getByTestId('export-csv'));
    expect(saved[0].name).toMatch(/^sarix-cameras-\d{4}-\d\d-\d\d\.csv$/);
    expect(saved[0].text.trim().split('\r\n')).toHaveLength(4);
    fireEvent.click(screen.getByLabelText('Select Gate'));
    expect(screen.getByTestId('export-csv').textContent).toBe('Export CSV (1 selected)');
    fireEvent.click(screen.getByTestId('export-csv'));
    expect(saved[1].text.trim().split('\r\n')).toEqual(['address,url,model,mac,name,firmware,methods', '10.0.0.12,http://10.0.0.12,IXE20DN,00:0b:ab:00:00:12,Gate,3.30.1,ssdp']);
  });
});
