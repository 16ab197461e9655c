import { Badge, Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { prepareEmailHtml } from './safe-html';
import { useTranslation } from 'react-i18next';

/**
 * The HTML body of a mail in a sandboxed frame: srcdoc (no URL to load), `sandbox` with no permission at all (no
 * scripts, no same origin, no forms, no popups, no top navigation), a CSP meta of default-src 'none' with data:
 * images only, and the markup cleaned by prepareEmailHtml. Remote images are blocked and counted.
 */
export function HtmlFrame({ html }: { html: string }) {
  const { t } = useTranslation();
  const prepared = useMemo(() => prepareEmailHtml(html), [html]);
  return (
    <div>
      <Group gap="xs" mb={6}>
        {prepared.remoteBlocked > 0 ? (
          <Badge color="orange" variant="light" data-testid="remote-blocked">
            {t('relay.message.remoteBlocked', { count: prepared.remoteBlocked })}
          </Badge>
        ) : (
          <Badge color="gray" variant="light" data-testid="remote-blocked">
            {t('relay.message.noRemote')}
          </Badge>
        )}
        {prepared.activeRemoved > 0 && (
          <Badge color="red" variant="light" data-testid="active-removed">
            {t('relay.message.activeRemoved', { count: prepared.activeRemoved })}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          {t('relay.message.htmlNote')}
        </Text>
      </Group>
      <iframe
        title={t('relay.message.htmlTitle')}
        data-testid="html-frame"
        sandbox=""
        srcDoc={prepared.html}
        referrerPolicy="no-referrer"
        style={{ width: '100%', height: 460, border: '1px solid var(--mantine-color-default-border)', borderRadius: 6, background: '#fff' }}
      />
    </div>
  );
}
