// Sign in by pasting an API token (from an administrator, `scripts/admin.ts token create`, or the demo
// tokens `npm start` writes). The token is checked against GET /api/me before it is kept.
import { useState, type FormEvent } from 'react';
import { ApiError } from './api';
import { useSession } from './session';

function refusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'That token was not accepted: it is unknown, revoked or expired. Ask an administrator for a new one.';
    if (err.status === 429) return 'Too many attempts: wait a minute and try again.';
    return err.message;
  }
  return 'Signing in failed; try again.';
}

export function SignIn() {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Paste your token first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
      if (!window.location.hash || window.location.hash === '#/' || window.location.hash === '#') window.location.hash = '/';
    } catch (err) {
      setError(refusal(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit} aria-label="Sign in">
        <h1>claimflow</h1>
        <p className="muted">The work queues for coders, billers and supervisors.</p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          autoFocus
          placeholder="paste your token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'signin-error' : undefined}
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
          No token? An administrator issues one (<code>npx tsx scripts/admin.ts token create</code>); on a local <code>npm start</code> the
          demo users&rsquo; tokens are in <code>.data/demo-tokens.json</code>. The token stays in this tab only.
        </p>
      </form>
    </div>
  );
}
