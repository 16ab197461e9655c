/**
 * The wizard's session on the machine side: opened by the camera step, kept current by the
 * commissioning:session-changed event, and found again after a reload (its id is kept in sessionStorage; the
 * machine side keeps the camera login, so no password is stored in the page).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionView } from '../../../../shared/domain/commissioning-session';
import type { AppError, Result } from '../../../../shared/ipc/result';
import { api } from '../../api';

const KEY = 'sarix.wizard.session';

/** A failed action: which one, and the machine side's answer. */
export interface ActionFailure {
  title: string;
  error: AppError;
}

/** The session and the actions on it. */
export interface SessionHandle {
  session: SessionView | null;
  /** True once a stored session id was looked up (found or not). */
  isResolved: boolean;
  /** The action running from this page, by title. */
  pending: string | null;
  failure: ActionFailure | null;
  clearFailure(): void;
  /** Runs a call that answers a session view; keeps the failure under `title`. Returns the answer or null. */
  run<T>(title: string, call: () => Promise<Result<T>>): Promise<T | null>;
  /** Adopts a session view (open answers with it). */
  adopt(s: SessionView | null): void;
}

/** Keeps the wizard's session. */
export function useSession(): SessionHandle {
  const [session, setSession] = useState<SessionView | null>(null);
  const [isResolved, setResolved] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const idRef = useRef<string | null>(null);

  const adopt = useCallback((s: SessionView | null) => {
    idRef.current = s?.id ?? null;
    if (s) sessionStorage.setItem(KEY, s.id);
    else sessionStorage.removeItem(KEY);
    setSession(s);
  }, []);

  useEffect(() => {
    const off = api.onCommissioningSessionChanged(({ session: s }) => {
      if (s.id === idRef.current) setSession(s);
    });
    const stored = sessionStorage.getItem(KEY);
    if (stored) {
      void api.commissioningGetSession({ sessionId: stored }).then((r) => {
        if (r.ok) adopt(r.value);
        else sessionStorage.removeItem(KEY);
        setResolved(true);
      });
    } else setResolved(true);
    return off;
  }, [adopt]);

  const run = useCallback(async <T,>(title: string, call: () => Promise<Result<T>>): Promise<T | null> => {
    setPending(title);
    setFailure(null);
    try {
      const r = await call();
      if (!r.ok) {
        setFailure({ title, error: r.error });
        return null;
      }
      const v = r.value as unknown as SessionView;
      if (v && typeof v === 'object' && 'steps' in v && 'phase' in v && v.id === idRef.current) setSession(v);
      return r.value;
    } finally {
      setPending(null);
    }
  }, []);

  return { session, isResolved, pending, failure, clearFailure: () => setFailure(null), run, adopt };
}
