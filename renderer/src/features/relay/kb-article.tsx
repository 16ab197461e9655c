import { Anchor, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import type { Article, ArticleId } from '../../../../shared/domain/diagnostics';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useUiLanguage } from '../../i18n/use-ui-language';
import { ArticleBody } from '../troubleshoot/troubleshoot-page';

/** A link that opens a knowledge-base article (shipped with the app, offline) in a dialog. */
export function KbLink({ id, label }: { id: ArticleId; label?: string }) {
  const { t } = useTranslation();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const language = useUiLanguage();
  const open = async () => {
    const r = await api.kbGetArticle({ id, language });
    if (r.ok) setArticle(r.value);
    else setError(r.error.message);
  };
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
      <Modal opened={!!article} onClose={() => setArticle(null)} title={article?.title} size="lg">
        {article && <ArticleBody markdown={article.markdown} />}
      </Modal>
    </>
  );
}
