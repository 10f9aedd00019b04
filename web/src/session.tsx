import { dayjs } from './format';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError, type Me } from './api';

interface SessionState {
  /** undefined while asking the service, null when nobody is signed in. */
  me: Me | null | undefined;
  /** A failure other than "not signed in" (the network, the service down). */
  error: string | null;
  setMe(me: Me | null): void;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    api<Me>('/api/session', { quiet401: true })
      .then((m) => live && setMe(m))
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 0) setError(e.message);
        else setMe(null); // 401: not signed in (or the session expired)
      });
    return () => {
      live = false;
    };
  }, [attempt]);
  const signOut = useCallback(async () => {
    try {
      await api<void>('/api/session', { method: 'DELETE', quiet401: true });
    } finally {
      setMe(null);
    }
  }, []);
  return <SessionContext.Provider value={{ me, error, setMe, signOut, retry: () => setAttempt((n) => n + 1) }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionProvider missing');
  return s;
}

export const ROLE_LABELS: Record<string, string> = {
  supervisor: '督查室',
  owner: '立项主体',
  leader: '分管领导',
  unit_contact: '承办单位联络员',
  unit_head: '承办单位负责人',
  admin: '管理员',
};

/**
 * This year as the service counts it (Principle 6: the service's clock, not the browser's — a demo's clock may run
 * ahead, and a PC's may be wrong); the browser's only before the session has been read.
 */
export function useServiceYear(): number {
  const { me } = useSession();
  return me?.today ? Number(me.today.slice(0, 4)) : dayjs().tz().year();
}
