// Sign in with a user id and a password (an administrator sets them: the admin API or `scripts/admin.ts user
// password`; a local `npm start` writes the demo users' passwords to .data/demo-passwords.json). The API answers
// every refusal the same way, so this form cannot say more than "not accepted" either. When the office has an
// identity provider (single sign-on, GET /api/auth/methods), a link above the form signs in there instead: a whole-
// page navigation to the API, which comes back to the screen the browser was on.
import { useEffect, useState, type FormEvent } from 'react';
import type { SignInMethods } from '../../api/auth/schemas';
import { api, ApiError } from './api';
import { useSession } from './session';

function refusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401)
      return 'Not accepted: the user id or password is wrong, or the account is locked after too many attempts. An administrator can reset your password.';
    if (err.status === 429) return 'Too many attempts from here: wait a minute and try again.';
    return err.message;
  }
  return 'Signing in failed; try again.';
}

/** The start of single sign-on, coming back to the screen the browser is on (a path of this site: the API checks). */
function ssoHref(startPath: string): string {
  const hash = window.location.hash && window.location.hash !== '#' ? window.location.hash : '';
  return `${startPath}?returnTo=${encodeURIComponent(`/${hash}`)}`;
}

export function SignIn() {
  const { signIn, ended } = useSession();
  const [sso, setSso] = useState<SignInMethods['sso']>(null);
  useEffect(() => {
    // Without an answer the password form is all there is, as before single sign-on.
    api<SignInMethods>('/api/auth/methods')
      .then((m) => setSso(m.sso))
      .catch(() => setSso(null));
  }, []);
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!userId.trim() || !password) {
      setError('Enter your user id and password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(userId, password);
      if (!window.location.hash || window.location.hash === '#/' || window.location.hash === '#') window.location.hash = '/';
    } catch (err) {
      setError(refusal(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const described = error ? 'signin-error' : undefined;
  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit} aria-label="Sign in">
        <h1>claimflow</h1>
        <p className="muted">The work queues for coders, billers and supervisors.</p>
        {ended && !error && (
          <p className="muted" role="status">
            Your session ended (idle too long, or signed out elsewhere). Sign in again to go on.
          </p>
        )}
        {sso && (
          <>
            <a className="button primary sso" href={ssoHref(sso.startPath)}>
              Sign in with {sso.name}
            </a>
            <p className="muted small or">or with a claimflow user id and password</p>
          </>
        )}
        <label htmlFor="userId">User id</label>
        <input
          id="userId"
          name="username"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
        />
        {error && (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className={sso ? undefined : 'primary'} disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          Forgot your password, or locked out? An administrator resets it. On a local <code>npm start</code> the demo users&rsquo; passwords
          are in <code>.data/demo-passwords.json</code>. Scripts and machines use API tokens instead.
        </p>
      </form>
    </div>
  );
}
