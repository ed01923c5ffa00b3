// Who is signed in. The session lives in an HttpOnly cookie the API sets at sign-in (this code never sees it);
// GET /api/auth/session says whose it is and hands over its CSRF token, and the role decides which screens the
// shell offers. Any 401 from the API (idle timeout, lifetime, a password reset) brings back the sign-in form.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { CurrentSession, SessionView } from '../../api/auth/schemas';
import { api, ApiError, setCsrfToken, whenSessionEnds } from './api';

export type User = SessionView['user'];
export type Role = User['role'];

interface SessionValue {
  user: User | null;
  /** true until the session the browser may already have has been checked */
  checking: boolean;
  /** set when the last session ended by itself rather than by signing out */
  ended: boolean;
  signIn(userId: string, password: string): Promise<User>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);
  const [ended, setEnded] = useState(false);

  const forget = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    whenSessionEnds(() => {
      forget();
      setEnded(true);
    });
    api<CurrentSession>('/api/auth/session')
      .then((s) => {
        if (s.user === null) return;
        setCsrfToken(s.csrfToken);
        setUser(s.user);
      })
      .catch(() => forget())
      .finally(() => setChecking(false));
    return () => whenSessionEnds(undefined);
  }, [forget]);

  const signIn = useCallback(async (userId: string, password: string) => {
    const s = await api<SessionView>('/api/auth/session', { method: 'POST', body: { userId: userId.trim(), password }, expect401: true });
    setCsrfToken(s.csrfToken);
    setEnded(false);
    setUser(s.user);
    return s.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/api/auth/session', { method: 'DELETE' });
    } finally {
      // signed out here whatever the answer: the cookie is the API's to clear, and it did or the session had ended
      forget();
      setEnded(false);
    }
  }, [forget]);

  return <SessionContext.Provider value={{ user, checking, ended, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for screens rendered behind the sign-in. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new ApiError(401, 'UNAUTHENTICATED', 'not signed in');
  return user;
}

export const isOverseer = (role: Role) => role === 'SUPERVISOR' || role === 'ADMIN';

/** Roles that capture charges: register patients and send claims (the API's ROLES.billing). */
export const isBilling = (role: Role) => role === 'BILLER' || role === 'SUPERVISOR' || role === 'ADMIN';
