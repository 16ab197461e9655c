import { Badge, Button, Checkbox, Group, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../shared/domain/discovery';
import { saveText } from '../../lib/download';
import { addressOf, devicesToCsv, displayName, filterDevices, sortDevices, type SortDir, type SortKey } from './camera-list';

// `label` is a catalog key.
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'address', label: 'discovery.table.address' },
  { key: 'model', label: 'discovery.table.model' },
  { key: 'name', label: 'discovery.table.name' },
  { key: 'mac', label: 'discovery.table.mac' },
  { key: 'firmware', label: 'discovery.table.firmware' },
  { key: 'methods', label: 'discovery.table.methods' },
];

/** A column header that sorts the list: a real button, with aria-sort on the header cell. */
function SortHeader({ label, isActive, dir, onSort }: { label: string; isActive: boolean; dir: SortDir; onSort: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.Th aria-sort={isActive ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={onSort} fw={600} fz="sm" aria-label={t('discovery.table.sortBy', { column: label })}>
        {label} {isActive ? (dir === 'asc' ? '▲' : '▼') : <Text span c="dimmed">↕</Text>}
      </UnstyledButton>
    </Table.Th>
  );
}

/** Today's date for file names (the technician's local day). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The Sarix cameras found: filter, sort by any column, select in bulk (select all shown), commission the selected
 * cameras as one site job, or export the list as CSV (address, model, MAC, name, firmware, methods; no password).
 */
export function CameraTable({ devices, onCommission, onCommissionMany }: { devices: Device[]; onCommission?: (d: Device) => void; onCommissionMany?: (d: Device[]) => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'address', dir: 'asc' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const shown = useMemo(() => sortDevices(filterDevices(devices, filter), sort.key, sort.dir), [devices, filter, sort]);
  // Selected cameras stay selected while the filter hides them; the ones that left the list do not count.
  const chosen = useMemo(() => sortDevices(devices, sort.key, sort.dir).filter((d) => selected.has(d.id)), [devices, selected, sort]);
  const shownSelected = shown.filter((d) => selected.has(d.id)).length;
  const setOne = (id: string, isOn: boolean) =>
    setSelected((cur) => {
      const next = new Set(cur);
      if (isOn) next.add(id);
      else next.delete(id);
      return next;
    });
  const setShown = (isOn: boolean) =>
    setSelected((cur) => {
      const next = new Set(cur);
      for (const d of shown) {
        if (isOn) next.add(d.id);
        else next.delete(d.id);
      }
      return next;
    });
  const onSort = (key: SortKey) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' }));
  const exported = chosen.length > 0 ? chosen : shown;
  const exportCsv = () => saveText(`sarix-cameras-${today()}.csv`, 'text/csv', devicesToCsv(exported));

  return (
    <>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('discovery.table.filter')}
          description={t('discovery.table.filterHint')}
          placeholder={t('discovery.table.filterPlaceholder')}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
          data-testid="camera-filter"
        />
        <Button onClick={() => onCommissionMany?.(chosen)} disabled={chosen.length === 0 || !onCommissionMany} data-testid="commission-selected">
          {t('discovery.table.commissionSelected', { count: chosen.length })}
        </Button>
        <Button variant="default" onClick={exportCsv} disabled={exported.length === 0} data-testid="export-csv">
          {chosen.length > 0 ? t('discovery.table.exportSelected', { count: chosen.length }) : t('discovery.table.exportShown', { count: shown.length })}
        </Button>
      </Group>
      {devices.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="camera-table">
          {t('discovery.table.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover data-testid="camera-table">
            <Table.Caption>
              {t('discovery.table.caption', { shown: shown.length, count: devices.length, selected: chosen.length })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('discovery.table.selectAll')}
                    checked={shown.length > 0 && shownSelected === shown.length}
                    indeterminate={shownSelected > 0 && shownSelected < shown.length}
                    onChange={(e) => setShown(e.currentTarget.checked)}
                  />
                </Table.Th>
                {COLUMNS.map((c) => (
                  <SortHeader key={c.key} label={t(c.label)} isActive={sort.key === c.key} dir={sort.dir} onSort={() => onSort(c.key)} />
                ))}
                <Table.Th>
                  <Text span fz="sm" fw={600}>
                    {t('discovery.table.action')}
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((d) => (
                <Table.Tr key={d.id} data-selected={selected.has(d.id) || undefined}>
                  <Table.Td>
                    <Checkbox aria-label={t('discovery.table.select', { name: displayName(d) })} checked={selected.has(d.id)} onChange={(e) => setOne(d.id, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {addressOf(d)}
                    </Text>
                    {!d.isOnline && (
                      <Badge color="gray" ml="xs" size="xs">
                        {t('discovery.table.offline')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{d.model ?? '—'}</Table.Td>
                  <Table.Td>{d.name ?? '—'}</Table.Td>
                  <Table.Td ff="monospace">{d.mac ?? '—'}</Table.Td>
                  <Table.Td>
                    {d.firmware ?? '—'}
                    {d.firmwareAdvisory?.isVulnerable && (
                      <Tooltip label={d.firmwareAdvisory.message} multiline w={320}>
                        <Badge color="red" ml="xs" size="xs">
                          {t('discovery.table.updateFirmware')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {d.methods.map((m) => (
                        <Badge key={m} variant="light" size="xs">
                          {m}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {onCommission && (
                      <Button size="xs" variant="light" onClick={() => onCommission(d)} aria-label={t('discovery.table.commissionOne', { name: displayName(d) })}>
                        {t('discovery.table.commission')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
