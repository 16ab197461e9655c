import { Badge, Group, Tooltip } from '@mantine/core';
import { useRelayCounts } from './use-relay-counts';
import { useTranslation } from 'react-i18next';

/** The relay's badges in the navigation, kept narrow: unread camera mail, and refused addresses in red; live. */
export function RelayNavBadge() {
  const { t } = useTranslation();
  const c = useRelayCounts();
  if (!c || (c.unread === 0 && c.refusedSessions === 0)) return null;
  return (
    <Group gap={3} wrap="nowrap" data-testid="relay-nav-badge">
      {c.unread > 0 && (
        <Tooltip label={t('relay.nav.unread', { n: c.unread })}>
          <Badge size="sm" color="teal" px={6} aria-label={t('relay.nav.unread', { n: c.unread })}>
            {c.unread > 999 ? '999+' : c.unread}
          </Badge>
        </Tooltip>
      )}
      {c.refusedSessions > 0 && (
        <Tooltip label={t('relay.nav.refused', { n: c.refusedSessions })}>
          <Badge size="sm" color="red" px={6} aria-label={t('relay.nav.refusedShort', { n: c.refusedSessions })}>
            {c.refusedSessions}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
