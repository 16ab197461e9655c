/** A knowledge-base link: opens the shipped article in a dialog (offline, like the Troubleshoot page). */
import { Anchor, Modal } from '@mantine/core';
import { useState } from 'react';
import type { Article, ArticleId } from '../../../../shared/domain/diagnostics';
import { api } from '../../api';
import { ArticleBody } from '../troubleshoot/troubleshoot-page';

/** "Read: <title>" that opens the article. */
export function KbLink({ id, label }: { id: ArticleId; label?: string }) {
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    const r = await api.kbGetArticle({ id });
    if (r.ok) setArticle(r.value);
    else setError(r.error.message);
  };
  return (
    <>
      <Anchor component="button" type="button" size="sm" ta="left" style={{ alignSelf: 'flex-start' }} onClick={open} data-testid={`kb-${id}`}>
        {label ?? 'Read the knowledge-base article'}
        {error ? ` (could not open it: ${error})` : ''}
      </Anchor>
      <Modal opened={!!article} onClose={() => setArticle(null)} title={article?.title} size="lg">
        {article && <ArticleBody markdown={article.markdown} />}
      </Modal>
    </>
  );
}
