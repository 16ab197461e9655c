/** A knowledge-base link: opens the shipped article in a dialog (offline, like the Troubleshoot page). */
import { Anchor, Modal } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Article, ArticleId } from '../../../../shared/domain/diagnostics';
import { api } from '../../api';
import { useUiLanguage } from '../../i18n/use-ui-language';
import { ArticleBody } from '../troubleshoot/troubleshoot-page';

/** "Read: <title>" that opens the article. */
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
      <Anchor component="button" type="button" size="sm" ta="left" style={{ alignSelf: 'flex-start' }} onClick={open} data-testid={`kb-${id}`}>
        {label ?? t('wizard.kb.read')}
        {error ? t('wizard.kb.openFailed', { error }) : ''}
      </Anchor>
      <Modal opened={!!article} onClose={() => setArticle(null)} title={article?.title} size="lg">
        {article && <ArticleBody markdown={article.markdown} />}
      </Modal>
    </>
  );
}
