import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type Me } from './api/client.ts';

interface SessionState {
  me: Me | null;
  loading: boolean;
  /** True when /api/me could not be reached (offline): pages may still show cached content. */
  offline: boolean;
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
const CACHE_KEY = 'overens.me';

function cachedMe(): Me | null {
  try {
    const raw = localStorage.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

/**
 * The session check is sent when the app's code starts, not after its first render (every page waits
 * for it); the provider's first refresh adopts it.
 */
let firstCheck: Promise<Me> | null = api.me();
firstCheck.catch(() => {
  /* handled by the first refresh */
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [offline, setOffline] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const call = firstCheck ?? api.me();
      firstCheck = null;
      const m = await call;
      setMe(m);
      setOffline(false);
      localStorage.setItem(CACHE_KEY, JSON.stringify(m));
      return m;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setMe(null);
        localStorage.removeItem(CACHE_KEY);
        return null;
      }
      // Server unreachable: keep working with the last known user so cached documents still open.
      const c = cachedMe();
      setMe(c);
      setOffline(true);
      return c;
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      localStorage.removeItem(CACHE_KEY);
      setMe(null);
      void clearOfflineCaches();
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ me, loading, offline, refresh, signOut }), [me, loading, offline, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/**
 * Offline copies (agreement descriptions in localStorage, documents in IndexedDB) belong to the user who
 * signed in: remove them on sign-out so the next person on this browser cannot open them offline.
 */
async function clearOfflineCaches(): Promise<void> {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (key?.startsWith('overens.agreement.')) localStorage.removeItem(key);
    }
    const dbs = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
    for (const db of dbs) if (db.name?.startsWith('overens-agreement-')) indexedDB.deleteDatabase(db.name);
  } catch {
    /* best effort */
  }
}
