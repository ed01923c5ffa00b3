// The shell: sign-in, the navigation a role may use, and the route table. Screens live in their own folders.
import { useSession, isOverseer } from './session';
import { Link, match, usePath } from './router';
import { SupervisorDashboard } from './supervisor/Dashboard';

export function App() {
  const { user, checking, signOut } = useSession();
  const path = usePath();
  if (checking) return <p className="muted">Checking your session…</p>;
  if (!user) return <p>Sign in (to be built)</p>;
  return (
    <div className="shell">
      <header className="topbar">
        <strong>claimflow</strong>
        <nav>
          {user.role !== 'SUPERVISOR' && <Link to="/queue">My queue</Link>}
          {isOverseer(user.role) && <Link to="/supervisor">Supervisor</Link>}
        </nav>
        <span className="who">
          {user.name} · {user.role}
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>{route(path) ?? <p>Not found</p>}</main>
    </div>
  );
}

function route(path: string) {
  if (match('/supervisor', path)) return <SupervisorDashboard />;
  return null;
}
