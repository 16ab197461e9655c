/** A knowledge-base link: opens the shipped article in a dialog (offline, like the Troubleshoot page). */
import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ArticleId } from '../../../../shared/domain/diagnostics';
import { useKbArticle } from '../troubleshoot/use-kb-article';

/** "Read: <title>" that opens the article. */
export function KbLink({ id, label }: { id: ArticleId; label?: string }) {
  const { t } = useTranslation();
  const { open, error, dialog } = useKbArticle(id);
  return (
    <>
      <Anchor component="button" type="button" size="sm" ta="left" style={{ alignSelf: 'flex-start' }} onClick={open} data-testid={`kb-${id}`}>
        {label ?? t('wizard.kb.read')}
        {error ? t('wizard.kb.openFailed', { error }) : ''}
      </Anchor>
      {dialog}
    </>
  );
}
