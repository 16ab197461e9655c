import { useCallback, useEffect, useState } from 'react';
import type { AppError, Result } from '../../../shared/ipc/result';

/** State of one contract call made by a component. */
export interface CallState<T> {
  data: T | null;
  error: AppError | null;
  isLoading: boolean;
  reload: () => void;
}

/** Runs a contract call on mount (and on reload) and keeps its Result as state. */
export function useCall<T>(call: () => Promise<Result<T>>, deps: unknown[] = []): CallState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [isLoading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setLoading(true);
    call().then(
      (r) => {
        if (!alive) return;
        if (r.ok) {
          setData(r.value);
          setError(null);
        } else setError(r.error);
        setLoading(false);
      },
      (e: unknown) => {
        if (!alive) return;
        setError({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, isLoading, reload };
}
