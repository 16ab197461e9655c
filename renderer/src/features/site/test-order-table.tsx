import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useRef } from 'react';
import type { TestQueueEntry } from '../../../../shared/domain/test-queue';
import { isMovable, progressLine, type BatchRow } from './batch-state';
import './test-order-table.css';

const TURN_LABEL: Record<TestQueueEntry['state'], { text: string; color: string }> = {
  configuring: { text: 'configuring', color: 'gray' },
  waiting: { text: 'waiting', color: 'blue' },
  ready: { text: 'your turn', color: 'orange' },
  testing: { text: 'testing', color: 'violet' },
  tested: { text: 'tested', color: 'teal' },
  skipped: { text: 'no test', color: 'gray' },
};

// Badges and buttons in this table keep their full text (miw max-content): a long progress line must not squeeze them to "F…".
function Verdict({ row }: { row: BatchRow }) {
  if (!row.result) return <Text c="dimmed">—</Text>;
  const v = row.result.verdict;
  return (
    <Badge color={v === 'pass' ? 'green' : v === 'planned' ? 'indigo' : 'red'} size="lg" miw="max-content" data-testid="verdict">
      {v === 'pass' ? 'PASS' : v === 'planned' ? 'PLANNED' : 'FAIL'}
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
            aria-label={`Drag ${row.label} to another place in the test order`}
            style={{ cursor: isDraggable ? 'grab' : undefined, touchAction: 'none' }}
            {...attributes}
            {...listeners}
          >
            ⠿
          </ActionIcon>
          <ActionIcon variant="default" disabled={!canMoveUp} onClick={() => onMove(index, -1)} aria-label={`Move ${row.label} up (test earlier)`}>
            ↑
          </ActionIcon>
          <ActionIcon variant="default" disabled={!canMoveDown} onClick={() => onMove(index, 1)} aria-label={`Move ${row.label} down (test later)`}>
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
          {progressLine(row)}
        </Text>
      </Table.Td>
      <Table.Td role="cell" data-col="turn" style={{ whiteSpace: 'nowrap' }}>
        {turn ? (
          <Group gap={6} wrap="nowrap">
            <Badge color={turn.color} variant="light" miw="max-content" data-testid="turn">
              {turn.text}
              {row.turn?.testedAs ? ` #${row.turn.testedAs}` : ''}
            </Badge>
            {row.turn?.state === 'ready' && row.turn.needsTechnician && (
              <Button size="xs" miw="max-content" onClick={() => onStartTest(row.url)}>
                I&apos;m at this camera — start test
              </Button>
            )}
          </Group>
        ) : (
          <Text c="dimmed" size="sm">
            {isRunning ? '…' : `${index + 1} of ${count}`}
          </Text>
        )}
      </Table.Td>
      <Table.Td role="cell" data-col="verdict">
        {isRunning || row.result ? (
          <Group gap={6} wrap="nowrap" justify="flex-end">
            <Verdict row={row} />
            {/* A failed camera is looked at one step at a time in the wizard (its Roll back is there). */}
            {row.result?.verdict === 'fail' && onOpenWizard && (
              <Button size="xs" variant="default" miw="max-content" onClick={() => onOpenWizard(row.url)} aria-label={`Open ${row.label} in the wizard`}>
                Open in wizard
              </Button>
            )}
          </Group>
        ) : (
          <Button size="xs" variant="subtle" color="gray" onClick={() => onRemove(row.url)} aria-label={`Remove ${row.label} from the batch`}>
            Remove
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
        announcements: {
          onDragStart: ({ active }) => {
            hasMoved.current = false;
            return `Picked up ${labelOf(active.id)}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`;
          },
          // The first "over" is the row itself, right after the pick-up: saying its place then would cut off the instructions.
          onDragOver: ({ active, over }) => {
            if (!over || (over.id === active.id && !hasMoved.current)) return undefined;
            hasMoved.current = true;
            return `${labelOf(active.id)} is now at place ${ids.indexOf(String(over.id)) + 1} of ${ids.length}.`;
          },
          onDragEnd: ({ active, over }) => (over ? `${labelOf(active.id)} dropped at place ${ids.indexOf(String(over.id)) + 1} of ${ids.length}.` : `${labelOf(active.id)} dropped.`),
          onDragCancel: ({ active }) => `Moving ${labelOf(active.id)} was cancelled.`,
        },
      }}
    >
      <div className="batch-table-box">
        {/* Explicit roles: the narrow layout (test-order-table.css) changes the display of the table's parts. */}
        <Table verticalSpacing="sm" data-testid="batch-table" className="batch-table" role="table">
          <Table.Caption>Tests run one camera at a time, from the top: the order you walk in.</Table.Caption>
          <Table.Thead role="rowgroup">
            <Table.Tr role="row">
              <Table.Th role="columnheader" w={150}>Test order</Table.Th>
              <Table.Th role="columnheader">Camera</Table.Th>
              <Table.Th role="columnheader">Progress</Table.Th>
              <Table.Th role="columnheader">Test</Table.Th>
              <Table.Th role="columnheader">Verdict</Table.Th>
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
