// Sign in with a user id and a password (an administrator sets them: the admin API or `scripts/admin.ts user
// password`; a local `npm start` writes the demo users' passwords to .data/demo-passwords.json). The API answers
// every refusal the same way, so this form cannot say more than "not accepted" either.
import { useState, type FormEvent } from 'react';
import { ApiError } from './api';
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

export function SignIn() {
  const { signIn, ended } = useSession();
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
        <button type="submit" className="primary" disabled={busy}>
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
