import { useEffect, useState } from 'react';
import type { InboxCounts } from '../../../../shared/domain/relay-inbox';
import { api } from '../../api';

/** The relay's live counts (messages, unread, queued, refused sessions, silent cameras) for badges. */
export function useRelayCounts(): InboxCounts | null {
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  useEffect(() => {
    let alive = true;
    void api.relayGetCounts({}).then((r) => alive && r.ok && setCounts(r.value));
    const off = api.onRelayCountsChanged((c) => setCounts(c));
    return () => {
      alive = false;
      off();
    };
  }, []);
  return counts;
}
