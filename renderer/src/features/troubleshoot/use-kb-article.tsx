/** Opening a knowledge-base article (shipped with the app, offline) in a dialog, in the UI language: the part every KB link shares. */
import { Modal } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Article, ArticleId } from '../../../../shared/domain/diagnostics';
import { api } from '../../api';
import { useUiLanguage } from '../../i18n/use-ui-language';
import { ArticleBody } from './troubleshoot-page';

/** `open` fetches the article; `dialog` shows it; `error` says why it could not be read. */
export function useKbArticle(id: ArticleId): { open: () => Promise<void>; error: string | null; dialog: ReactNode } {
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const language = useUiLanguage();
  const open = async () => {
    const r = await api.kbGetArticle({ id, language });
    if (r.ok) setArticle(r.value);
    else setError(r.error.message);
  };
  const dialog = (
    <Modal opened={!!article} onClose={() => setArticle(null)} title={article?.title} size="lg">
      {article && <ArticleBody markdown={article.markdown} />}
    </Modal>
  );
  return { open, error, dialog };
}
