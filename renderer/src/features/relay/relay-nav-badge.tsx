import { Badge, Group, Tooltip } from '@mantine/core';
import { useRelayCounts } from './use-relay-counts';

/** The relay's badges in the navigation, kept narrow: unread camera mail, and refused addresses in red; live. */
export function RelayNavBadge() {
  const c = useRelayCounts();
  if (!c || (c.unread === 0 && c.refusedSessions === 0)) return null;
  return (
    <Group gap={3} wrap="nowrap" data-testid="relay-nav-badge">
      {c.unread > 0 && (
        <Tooltip label={`${c.unread} unread camera mail`}>
          <Badge size="sm" color="teal" px={6} aria-label={`${c.unread} unread camera mail`}>
            {c.unread > 999 ? '999+' : c.unread}
          </Badge>
        </Tooltip>
      )}
      {c.refusedSessions > 0 && (
        <Tooltip label={`${c.refusedSessions} refused address${c.refusedSessions === 1 ? '' : 'es'} not on the allow-list yet`}>
          <Badge size="sm" color="red" px={6} aria-label={`${c.refusedSessions} refused`}>
            {c.refusedSessions}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
