import { Alert, Badge, Box, Button, Checkbox, Code, Group, Kbd, List, Modal, Popover, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { createCoalescer, LIVE_REFRESH } from '../../../../shared/domain/coalesce';
import type { MessageRow } from '../../../../shared/domain/relay-inbox';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { shortTime, tzOffsetMinutes } from './format';
import { MessageView } from './message-view';
import { useStackedReveal } from './stacked-reveal';
import { useTranslation } from 'react-i18next';

/** Rows fetched per request; the list asks only for the windows it shows. */
const PAGE = 100;
const ROW_HEIGHT = 62;

/** The operators (the search syntax itself stays English: shared/domain/relay-search.ts parses it) and their help keys. */
const OPERATORS: Array<[string, string]> = [
  ['from:gate-cam@', 'relay.inbox.ops.from'],
  ['to:alarms@', 'relay.inbox.ops.to'],
  ['subject:"camera sabotage"', 'relay.inbox.ops.subject'],
  ['camera:10.0.0.23', 'relay.inbox.ops.camera'],
  ['has:attachment', 'relay.inbox.ops.hasAttachment'],
  ['is:unread', 'relay.inbox.ops.isUnread'],
  ['after:today', 'relay.inbox.ops.after'],
  ['before:2026-11-29', 'relay.inbox.ops.before'],
  ['-subject:motion', 'relay.inbox.ops.minus'],
];

/**
 * The window of a search the list shows: pages of rows fetched on demand, refreshed in place when mail arrives or
 * marks change (the rows on screen stay until their fresh copies are there, so nothing flickers).
 */
function useInboxWindow(q: string) {
  const pages = useRef(new Map<number, MessageRow[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [, setTick] = useState(0);
  const rerender = useCallback(() => setTick((t) => t + 1), []);

  const fetchPage = useCallback(
    async (p: number, gen: number) => {
      const r = await api.relaySearchMessages({ query: { q, offset: p * PAGE, limit: PAGE, tzOffsetMinutes: tzOffsetMinutes() } });
      if (gen !== generation.current) return undefined;
      if (!r.ok) {
        setError(r.error);
        return undefined;
      }
      setError(null);
      setTotal(r.value.total);
      setProblems(r.value.problems);
      return r.value.items;
    },
    [q],
  );

  const ensure = useCallback(
    (p: number) => {
      if (pages.current.has(p) || inflight.current.has(p)) return;
      inflight.current.add(p);
      const gen = generation.current;
      void fetchPage(p, gen).then((items) => {
        inflight.current.delete(p);
        if (items && gen === generation.current) {
          pages.current.set(p, items);
          rerender();
        }
      });
    },
    [fetchPage, rerender],
  );

  /** Fetches the given pages again and swaps them in together. */
  const refresh = useCallback(
    async (visible: number[]) => {
      const gen = ++generation.current;
      inflight.current.clear();
      const fresh = await Promise.all((visible.length ? visible : [0]).map(async (p) => [p, await fetchPage(p, gen)] as const));
      if (gen !== generation.current) return;
      pages.current = new Map(fresh.filter((x): x is readonly [number, MessageRow[]] => !!x[1]));
      rerender();
    },
    [fetchPage, rerender],
  );

  const row = (i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
  const patch = useCallback(
    (id: string, change: Partial<MessageRow>) => {
      for (const list of pages.current.values()) {
        const i = list.findIndex((m) => m.id === id);
        if (i >= 0) list[i] = { ...list[i], ...change };
      }
      rerender();
    },
    [rerender],
  );
  return { total, problems, error, ensure, refresh, row, patch };
}

/** The inbox: search with operators, a virtualised list that stays smooth at 10,000 messages, and the reader. */
export function InboxTab({ q, setQ }: { q: string; setQ: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(q);
  const [debounced] = useDebouncedValue(text, 200);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (debounced !== q) setQ(debounced);
  }, [debounced, q, setQ]);
  const win = useInboxWindow(q);
  const { ensure, refresh } = win;
  const [selected, setSelected] = useState<MessageRow | null>(null);
  const [bulk, setBulk] = useState<{ matching: number; pinned: number; includePinned: boolean } | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const parent = useRef<HTMLDivElement>(null);
  const total = win.total ?? 0;
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const firstPage = items.length ? Math.floor(items[0].index / PAGE) : 0;
  const lastPage = items.length ? Math.floor(items[items.length - 1].index / PAGE) : 0;
  const visiblePages = useRef<number[]>([0]);
  visiblePages.current = Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage + i);

  // A new search starts at the top.
  useEffect(() => {
    void refresh([0]);
    parent.current?.scrollTo({ top: 0 });
  }, [refresh]);
  // The pages under the visible rows.
  useEffect(() => {
    // The pages on screen, then one on each side, so scrolling on finds its rows already there.
    for (let p = firstPage; p <= lastPage; p++) ensure(p);
    if (firstPage > 0) ensure(firstPage - 1);
    if ((lastPage + 1) * PAGE < total) ensure(lastPage + 1);
  }, [firstPage, lastPage, ensure, total]);
  // Live: new mail, deletions and marks elsewhere refresh what is on screen, once per burst (a camera storm of 100
  // mails is one search, not 100).
  useEffect(() => {
    const live = createCoalescer(() => void refresh(visiblePages.current), LIVE_REFRESH, {
      set: (fn, ms) => window.setTimeout(fn, ms),
      clear: (h) => window.clearTimeout(h as number),
    });
    const offs = [api.onRelayCountsChanged(live.notify), api.onRelayMessageReceived(live.notify)];
    return () => {
      offs.forEach((o) => o());
      live.cancel();
    };
  }, [refresh]);
  const stacked = useStackedReveal(parent);

  const { patch } = win;
  const open = useCallback(
    (m: MessageRow) => {
      setSelected(m);
      if (m.isUnread) {
        patch(m.id, { isUnread: false });
        void api.relayMarkRead({ ids: [m.id], isRead: true });
      }
    },
    [patch],
  );
  const { reveal } = stacked;
  /** Opened from the list (a click): on a narrow window the reader is below the list, so it is scrolled to. */
  const openFromList = useCallback(
    (m: MessageRow) => {
      open(m);
      reveal();
    },
    [open, reveal],
  );
  const onChanged = useCallback(
    (r: MessageRow) => {
      setSelected(r);
      patch(r.id, r);
    },
    [patch],
  );
  const onDeleted = useCallback(() => {
    setSelected(null);
    void refresh(visiblePages.current);
  }, [refresh]);
  const move = (dir: 1 | -1) => {
    const at = selected ? items.find((v) => win.row(v.index)?.id === selected.id)?.index : undefined;
    const next = at === undefined ? 0 : at + dir;
    if (next < 0 || next >= total) return;
    const m = win.row(next);
    if (m) {
      open(m);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };
  const askBulkDelete = async () => {
    const pinned = await api.relaySearchMessages({ query: { q: `${q} is:pinned`, limit: 1, tzOffsetMinutes: tzOffsetMinutes() } });
    setBulk({ matching: total, pinned: pinned.ok ? pinned.value.total : 0, includePinned: false });
  };
  const bulkDelete = async () => {
    if (!bulk) return;
    const scope = q.trim() ? { scope: 'search' as const, q, tzOffsetMinutes: tzOffsetMinutes() } : { scope: 'all' as const };
    const r = await api.relayDeleteMessages({ scope, includePinned: bulk.includePinned });
    setBulk(null);
    if (!r.ok) return setFailure({ title: t('relay.inbox.deleteFailed'), error: r.error });
    setSelected(null);
    void win.refresh([0]);
  };
  const markAllRead = async () => {
    const r = await api.relayMarkAllRead({ q, tzOffsetMinutes: tzOffsetMinutes() });
    if (!r.ok) setFailure({ title: t('relay.inbox.markFailed'), error: r.error });
    void win.refresh(visiblePages.current);
  };
  const isSearching = q.trim() !== '';

  return (
    <div className="split-pane" data-testid="inbox">
      <Stack gap="xs" style={{ minWidth: 0 }}>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            placeholder={t('relay.inbox.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            aria-label={t('relay.inbox.search')}
            data-testid="inbox-search"
            rightSection={
              text ? (
                <UnstyledButton aria-label={t('relay.inbox.clearSearch')} onClick={() => setText('')} px={6}>
                  ×
                </UnstyledButton>
              ) : undefined
            }
          />
          <Popover width={380} position="bottom-end" withArrow shadow="md">
            <Popover.Target>
              <Button variant="default" size="sm" px={10} aria-label={t('relay.inbox.searchHelp')}>
                ?
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Text size="sm" fw={600} mb={4}>
                {t('relay.inbox.operators')}
              </Text>
              <List size="xs" spacing={2}>
                {OPERATORS.map(([op, what]) => (
                  <List.Item key={op}>
                    <UnstyledButton onClick={() => setText((cur) => `${cur.trim()} ${op}`.trim())}>
                      <Code>{op}</Code>
                    </UnstyledButton>{' '}
                    {t(what)}
                  </List.Item>
                ))}
              </List>
              <Text size="xs" c="dimmed" mt={6}>
                {t('relay.inbox.keys')} <Kbd>↑</Kbd> <Kbd>↓</Kbd> {t('relay.inbox.keysMove')}
              </Text>
            </Popover.Dropdown>
          </Popover>
        </Group>
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed" data-testid="inbox-total">
            {win.total === null ? t('relay.inbox.loading') : isSearching ? t('relay.inbox.matching', { n: total }) : t('relay.inbox.total', { n: total })}
          </Text>
          <Group gap={4}>
            <Button size="compact-xs" variant="default" onClick={() => void markAllRead()} disabled={!total}>
              {t('relay.inbox.markAllRead')}
            </Button>
            <Button size="compact-xs" color="red" variant="light" onClick={() => void askBulkDelete()} disabled={!total}>
              {isSearching ? t('relay.inbox.deleteMatching', { n: total }) : t('relay.inbox.deleteAll')}
            </Button>
          </Group>
        </Group>
        {win.problems.map((p) => (
          <Alert key={p} color="yellow" p={6} data-testid="search-problem">
            <Text size="xs">{p}</Text>
          </Alert>
        ))}
        {win.error && <ErrorAlert error={win.error} title={t('relay.inbox.searchFailed')} />}
        {failure && <ErrorAlert error={failure.error} title={failure.title} />}
        {win.total === 0 ? (
          <Box p="md" data-testid="inbox-empty" style={{ border: '1px dashed var(--mantine-color-default-border)', borderRadius: 8 }}>
            {isSearching ? (
              <>
                <Text fw={600}>{t('relay.inbox.noMatch', { q })}</Text>
                <Text size="sm" c="dimmed">
                  {t('relay.inbox.noMatchHint')}
                </Text>
              </>
            ) : (
              <>
                <Text fw={600}>{t('relay.inbox.empty')}</Text>
                <Text size="sm" c="dimmed">
                  {t('relay.inbox.emptyHint')}
                </Text>
              </>
            )}
          </Box>
        ) : (
          <div
            ref={parent}
            role="listbox"
            aria-label={t('relay.inbox.messages')}
            tabIndex={0}
            data-testid="message-list"
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' || e.key === 'j') {
                e.preventDefault();
                move(1);
              } else if (e.key === 'ArrowUp' || e.key === 'k') {
                e.preventDefault();
                move(-1);
              }
            }}
            style={{ height: 'calc(100vh - 330px)', minHeight: 360, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 8, contain: 'strict' }}
          >
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
              {items.map((v) => {
                const m = win.row(v.index);
                return (
                  <div
                    key={v.key}
                    data-index={v.index}
                    style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: v.size, transform: `translateY(${v.start}px)` }}
                  >
                    {m ? <MessageListRow m={m} isSelected={selected?.id === m.id} onOpen={openFromList} /> : <Skeleton h={ROW_HEIGHT - 12} m={6} data-testid="row-placeholder" />}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </Stack>
      <div ref={stacked.reader} className="split-pane-reader" data-open={selected ? 'true' : 'false'} tabIndex={-1} style={{ minWidth: 0 }} aria-label={t('relay.inbox.reader')} role="region">
        {selected ? (
          <>
            <Box className="split-pane-back" mb="xs">
              <Button variant="default" size="compact-sm" onClick={() => stacked.back(parent.current?.querySelector<HTMLElement>('[aria-selected="true"]'))} data-testid="reader-back">
                {t('relay.backToList')}
              </Button>
            </Box>
            <MemoMessageView key={selected.id} row={selected} onChanged={onChanged} onDeleted={onDeleted} />
          </>
        ) : (
          <Text c="dimmed" p="md">
            {t('relay.inbox.select')}
          </Text>
        )}
      </div>
      <Modal opened={!!bulk} onClose={() => setBulk(null)} title={isSearching ? t('relay.inbox.confirmMatching', { n: bulk?.matching ?? 0 }) : t('relay.inbox.confirmAll', { n: bulk?.matching ?? 0 })}>
        {bulk && (
          <Stack>
            <Text size="sm">
              {isSearching ? (
                <>
                  {t('relay.inbox.everyMatching')} <Code>{q}</Code> {t('relay.inbox.everyMatchingEnd')}
                </>
              ) : (
                t('relay.inbox.everyStored')
              )}{' '}
              {t('relay.inbox.noUndo')}
            </Text>
            {bulk.pinned > 0 && (
              <Checkbox
                label={t('relay.inbox.alsoPinned', { n: bulk.pinned })}
                checked={bulk.includePinned}
                onChange={(e) => setBulk({ ...bulk, includePinned: e.currentTarget.checked })}
                color="red"
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setBulk(null)}>
                {t('common.cancel')}
              </Button>
              <Button color="red" onClick={() => void bulkDelete()} data-testid="confirm-bulk-delete">
                {t('relay.inbox.deleteN', { n: bulk.includePinned ? bulk.matching : bulk.matching - bulk.pinned })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </div>
  );
}

/** The reader re-renders only when its message changes, not on every scroll of the list. */
const MemoMessageView = memo(MessageView);

/** One row; memoised, so scrolling renders only the rows that come into view. */
const MessageListRow = memo(function MessageListRow({ m, isSelected, onOpen }: { m: MessageRow; isSelected: boolean; onOpen: (m: MessageRow) => void }) {
  const { t } = useTranslation();
  const who = m.identity?.displayName ?? m.clientIp;
  const hasSnapshot = m.attachments.some((a) => /^image\/p?jpe?g$/i.test(a.contentType));
  return (
    <UnstyledButton
      role="option"
      aria-selected={isSelected}
      onClick={() => onOpen(m)}
      data-testid="message-row"
      data-unread={m.isUnread ? 'true' : 'false'}
      style={{
        display: 'block',
        width: '100%',
        height: '100%',
        padding: '6px 10px',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: isSelected ? 'var(--mantine-color-teal-light)' : undefined,
        borderLeft: m.isUnread ? '3px solid var(--mantine-color-teal-6)' : '3px solid transparent',
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap={6}>
        <Text size="sm" fw={m.isUnread ? 700 : 400} truncate="end" style={{ minWidth: 0 }}>
          {m.subject || t('common.noSubject')}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {shortTime(m.receivedAt)}
        </Text>
      </Group>
      <Group justify="space-between" wrap="nowrap" gap={6}>
        <Text size="xs" c="dimmed" truncate="end" style={{ minWidth: 0 }}>
          <Text span size="xs" fw={600} c={m.identity ? undefined : 'dimmed'}>
            {who}
          </Text>
          {m.identity?.model ? ` · ${m.identity.model}` : ''}
          {m.identity?.mac ? ` · ${m.identity.mac}` : ''}
          {m.identity ? ` · ${m.clientIp}` : ''} · {m.from}
        </Text>
        <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
          {hasSnapshot && (
            <Badge size="xs" variant="light">
              {t('relay.inbox.snapshot')}
            </Badge>
          )}
          {!hasSnapshot && m.attachments.length > 0 && (
            <Badge size="xs" variant="light" color="gray">
              {t('relay.inbox.files', { n: m.attachments.length })}
            </Badge>
          )}
          {m.pinned && (
            <Badge size="xs" color="grape">
              {t('relay.inbox.evidence')}
            </Badge>
          )}
        </Group>
      </Group>
    </UnstyledButton>
  );
});
