// Who is signed in. The token lives in sessionStorage (gone when the tab closes); the user behind it
// comes from GET /api/me, and the role decides which screens the shell offers.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, storedToken, storeToken } from './api';

export type Role = 'CODER' | 'BILLER' | 'SUPERVISOR' | 'ADMIN';

export interface User {
  id: string;
  name: string;
  role: Role;
  skills: string[];
  payerGroups: string[];
}

interface SessionValue {
  user: User | null;
  /** true until a stored token has been checked */
  checking: boolean;
  signIn(token: string): Promise<User>;
  signOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => storedToken() !== null);

  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    api<User>('/api/me', { token })
      .then(setUser)
      .catch(() => storeToken(null))
      .finally(() => setChecking(false));
  }, []);

  const signIn = useCallback(async (token: string) => {
    const me = await api<User>('/api/me', { token: token.trim() });
    storeToken(token.trim());
    setUser(me);
    return me;
  }, []);

  const signOut = useCallback(() => {
    storeToken(null);
    setUser(null);
  }, []);

  return <SessionContext.Provider value={{ user, checking, signIn, signOut }}>{children}</SessionContext.Provider>;
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
