import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ArticleId } from '../../../../shared/domain/diagnostics';
import { useKbArticle } from '../troubleshoot/use-kb-article';

/** A link that opens a knowledge-base article (shipped with the app, offline) in a dialog. */
export function KbLink({ id, label }: { id: ArticleId; label?: string }) {
  const { t } = useTranslation();
  const { open, error, dialog } = useKbArticle(id);
  return (
    <>
      <Anchor size="xs" component="button" type="button" onClick={() => void open()} data-testid={`kb-${id}`}>
        {label ?? t('troubleshoot.readGuide')}
      </Anchor>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      {dialog}
    </>
  );
}
