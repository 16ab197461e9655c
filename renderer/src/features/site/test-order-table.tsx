import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TestQueueEntry } from '../../../../shared/domain/test-queue';
import { isMovable, progressLine, type BatchRow } from './batch-state';
import './test-order-table.css';

// `text` is a catalog key.
const TURN_LABEL: Record<TestQueueEntry['state'], { text: string; color: string }> = {
  configuring: { text: 'site.turn.configuring', color: 'gray' },
  waiting: { text: 'site.turn.waiting', color: 'blue' },
  ready: { text: 'site.turn.ready', color: 'orange' },
  testing: { text: 'site.turn.testing', color: 'violet' },
  tested: { text: 'site.turn.tested', color: 'teal' },
  skipped: { text: 'site.turn.skipped', color: 'gray' },
};

// Badges and buttons in this table keep their full text (miw max-content): a long progress line must not squeeze them to "F…".
function Verdict({ row }: { row: BatchRow }) {
  const { t } = useTranslation();
  if (!row.result) return <Text c="dimmed">—</Text>;
  const v = row.result.verdict;
  return (
    <Badge color={v === 'pass' ? 'green' : v === 'planned' ? 'indigo' : 'red'} size="lg" miw="max-content" data-testid="verdict">
      {v === 'pass' ? t('site.table.pass') : v === 'planned' ? t('site.table.planned') : t('site.table.fail')}
    </Badge>
  );
}

/** One camera row: its place (drag handle, up, down), name, progress, test turn and verdict. */
function OrderRow({ row, index, count, canMoveUp, canMoveDown, isRunning, onMove, onRemove, onStartTest, onOpenWizard }: {
  row: BatchRow;
  index: number;
  count: number;
  canMoveUp: boolean;
  canMoveDown: boolean;
  isRunning: boolean;
  onMove: (index: number, delta: -1 | 1) => void;
  onRemove: (url: string) => void;
  onStartTest: (url: string) => void;
  onOpenWizard?: (url: string) => void;
}) {
  const { t, i18n } = useTranslation();
  // Before a run (and after one) every camera moves; during a run only those whose test has not started.
  const isDraggable = !isRunning || isMovable(row);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: row.url, disabled: !isDraggable });
  const turn = row.turn ? TURN_LABEL[row.turn.state] : undefined;
  return (
    <Table.Tr role="row" ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }} data-testid="batch-row" data-url={row.url}>
      <Table.Td role="cell" data-col="order" style={{ whiteSpace: 'nowrap' }}>
        <Group gap={4} wrap="nowrap">
          <Text fw={700} w={24} ta="right" aria-hidden>
            {index + 1}
          </Text>
          <ActionIcon
            ref={setActivatorNodeRef}
            variant="subtle"
            color="gray"
            disabled={!isDraggable}
            aria-label={t('site.table.drag', { name: row.label })}
            style={{ cursor: isDraggable ? 'grab' : undefined, touchAction: 'none' }}
            {...attributes}
            {...listeners}
          >
            ⠿
          </ActionIcon>
          <ActionIcon variant="default" disabled={!canMoveUp} onClick={() => onMove(index, -1)} aria-label={t('site.table.up', { name: row.label })}>
            ↑
          </ActionIcon>
          <ActionIcon variant="default" disabled={!canMoveDown} onClick={() => onMove(index, 1)} aria-label={t('site.table.down', { name: row.label })}>
            ↓
          </ActionIcon>
        </Group>
      </Table.Td>
      <Table.Td role="cell" data-col="camera">
        <Text fw={600} size="sm">
          {row.label}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {row.address}
          {row.model ? ` · ${row.model}` : ''}
        </Text>
      </Table.Td>
      <Table.Td role="cell" data-col="progress">
        <Text size="sm" data-testid="progress">
          {progressLine(row, i18n)}
        </Text>
      </Table.Td>
      <Table.Td role="cell" data-col="turn" style={{ whiteSpace: 'nowrap' }}>
        {turn ? (
          <Group gap={6} wrap="nowrap">
            <Badge color={turn.color} variant="light" miw="max-content" data-testid="turn">
              {row.turn?.testedAs ? t('site.table.testedAs', { turn: t(turn.text), n: row.turn.testedAs }) : t(turn.text)}
            </Badge>
            {row.turn?.state === 'ready' && row.turn.needsTechnician && (
              <Button size="xs" miw="max-content" onClick={() => onStartTest(row.url)}>
                {t('site.table.atCamera')}
              </Button>
            )}
          </Group>
        ) : (
          <Text c="dimmed" size="sm">
            {isRunning ? '…' : t('site.table.place', { place: index + 1, count })}
          </Text>
        )}
      </Table.Td>
      <Table.Td role="cell" data-col="verdict">
        {isRunning || row.result ? (
          <Group gap={6} wrap="nowrap" justify="flex-end">
            <Verdict row={row} />
            {/* A failed camera is looked at one step at a time in the wizard (its Roll back is there). */}
            {row.result?.verdict === 'fail' && onOpenWizard && (
              <Button size="xs" variant="default" miw="max-content" onClick={() => onOpenWizard(row.url)} aria-label={t('site.table.openWizardAria', { name: row.label })}>
                {t('site.table.openWizard')}
              </Button>
            )}
          </Group>
        ) : (
          <Button size="xs" variant="subtle" color="gray" onClick={() => onRemove(row.url)} aria-label={t('site.table.removeAria', { name: row.label })}>
            {t('site.table.remove')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The cameras of the batch in test order, which is the order the technician walks in: drag a row by its handle
 * (mouse, touch, or keyboard: Space to lift, arrows to move, Space to drop) or use the up/down buttons. During the
 * run it is the live table: each camera's progress, its test turn and its verdict.
 */
export function TestOrderTable({ rows, isRunning, onMove, onReorder, onRemove, onStartTest, onOpenWizard }: {
  rows: BatchRow[];
  isRunning: boolean;
  onMove: (index: number, delta: -1 | 1) => void;
  onReorder: (order: string[]) => void;
  onRemove: (url: string) => void;
  onStartTest: (url: string) => void;
  onOpenWizard?: (url: string) => void;
}) {
  const { t } = useTranslation();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = rows.map((r) => r.url);
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = ids.indexOf(String(e.active.id));
    const to = ids.indexOf(String(e.over.id));
    // A camera whose test started keeps its place: nothing is dropped above it.
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    if (isRunning && rows.slice(lo, hi + 1).some((r) => !isMovable(r))) return;
    const next = [...ids];
    next.splice(to, 0, ...next.splice(from, 1));
    onReorder(next);
  };
  const hasMoved = useRef(false);
  const labelOf = (id: string | number) => rows.find((r) => r.url === id)?.label ?? String(id);
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        screenReaderInstructions: { draggable: t('site.dnd.instructions') },
        announcements: {
          onDragStart: ({ active }) => {
            hasMoved.current = false;
            return t('site.dnd.pickedUp', { name: labelOf(active.id) });
          },
          // The first "over" is the row itself, right after the pick-up: saying its place then would cut off the instructions.
          onDragOver: ({ active, over }) => {
            if (!over || (over.id === active.id && !hasMoved.current)) return undefined;
            hasMoved.current = true;
            return t('site.dnd.over', { name: labelOf(active.id), place: ids.indexOf(String(over.id)) + 1, count: ids.length });
          },
          onDragEnd: ({ active, over }) => (over ? t('site.dnd.dropped', { name: labelOf(active.id), place: ids.indexOf(String(over.id)) + 1, count: ids.length }) : t('site.dnd.droppedNowhere', { name: labelOf(active.id) })),
          onDragCancel: ({ active }) => t('site.dnd.cancelled', { name: labelOf(active.id) }),
        },
      }}
    >
      <div className="batch-table-box">
        {/* Explicit roles: the narrow layout (test-order-table.css) changes the display of the table's parts. */}
        <Table verticalSpacing="sm" data-testid="batch-table" className="batch-table" role="table">
          <Table.Caption>{t('site.table.caption')}</Table.Caption>
          <Table.Thead role="rowgroup">
            <Table.Tr role="row">
              <Table.Th role="columnheader" w={150}>
                {t('site.table.order')}
              </Table.Th>
              <Table.Th role="columnheader">{t('site.table.camera')}</Table.Th>
              <Table.Th role="columnheader">{t('site.table.progress')}</Table.Th>
              <Table.Th role="columnheader">{t('site.table.test')}</Table.Th>
              <Table.Th role="columnheader">{t('site.table.verdict')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <SortableContext items={ids} strategy={verticalListSortingStrategy}>
            <Table.Tbody role="rowgroup">
              {rows.map((r, i) => (
                <OrderRow
                  key={r.url}
                  row={r}
                  index={i}
                  count={rows.length}
                  canMoveUp={i > 0 && (!isRunning || (isMovable(r) && isMovable(rows[i - 1])))}
                  canMoveDown={i < rows.length - 1 && (!isRunning || (isMovable(r) && isMovable(rows[i + 1])))}
                  isRunning={isRunning}
                  onMove={onMove}
                  onRemove={onRemove}
                  onStartTest={onStartTest}
                  onOpenWizard={onOpenWizard}
                />
              ))}
            </Table.Tbody>
          </SortableContext>
        </Table>
      </div>
    </DndContext>
  );
}
