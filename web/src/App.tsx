// The shell: sign-in, the navigation a role may use, and the route table. Screens live in their own folders.
import { useEffect } from 'react';
import { useSession, isBilling, isOverseer, type Role } from './session';
import { Link, match, navigate, queryParam, usePath } from './router';
import { SearchBox } from './SearchBox';
import { SignIn } from './SignIn';
import { QueueScreen } from './queue/QueueScreen';
import { TaskScreen } from './tasks/TaskScreen';
import { ClaimPage } from './claims/ClaimPage';
import { SupervisorDashboard } from './supervisor/Dashboard';
import { RegisterPatient } from './intake/RegisterPatient';
import { ChargeEntry } from './intake/ChargeEntry';
import { ImportCharges } from './intake/ImportCharges';

/** Where a role starts: its own queue, or the dashboard for those who oversee. */
const home = (role: Role) => (isOverseer(role) ? '/supervisor' : '/queue');

export function App() {
  const { user, checking, signOut } = useSession();
  const path = usePath();

  useEffect(() => {
    if (user && path === '/') navigate(home(user.role));
  }, [user, path]);

  if (checking) return <p className="muted page-pad">Checking your session…</p>;
  if (!user) return <SignIn />;
  const bare = path.split('?')[0];
  const active = (prefix: string) => (bare === prefix || bare.startsWith(`${prefix}/`) ? 'active' : undefined);
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">claimflow</strong>
        <nav aria-label="Screens">
          <Link to="/queue" className={active('/queue')}>
            My queue
          </Link>
          {isBilling(user.role) && (
            <>
              <Link to="/patients/new" className={active('/patients/new')}>
                Register patient
              </Link>
              <Link to="/claims/new" className={active('/claims/new')}>
                New claim
              </Link>
              <Link to="/imports/charges" className={active('/imports/charges')}>
                Import charges
              </Link>
            </>
          )}
          {isOverseer(user.role) && (
            <Link to="/supervisor" className={active('/supervisor')}>
              Supervisor
            </Link>
          )}
        </nav>
        <SearchBox />
        <span className="who">
          {user.name} · {user.role.toLowerCase()}
        </span>
        <button onClick={() => void signOut()}>Sign out</button>
      </header>
      <main>{route(path, user.role) ?? <NotFound />}</main>
    </div>
  );
}

function route(path: string, role: Role) {
  if (path === '/') return null;
  if (match('/queue', path)) return <QueueScreen />;
  let m = match('/tasks/:id', path);
  if (m) return <TaskScreen key={m.id} taskId={m.id} />;
  // before /claims/:id, which "new" would match too
  if (match('/patients/new', path) || match('/claims/new', path) || match('/imports/charges', path)) {
    if (!isBilling(role))
      return <p className="card">Registering patients and entering charges is for billers, supervisors and administrators.</p>;
    if (match('/patients/new', path)) return <RegisterPatient />;
    if (match('/imports/charges', path)) return <ImportCharges />;
    const patientId = queryParam(path, 'patient');
    return <ChargeEntry key={patientId ?? ''} patientId={patientId} />;
  }
  m = match('/claims/:id', path);
  if (m) return <ClaimPage key={m.id} claimId={m.id} />;
  if (match('/supervisor', path)) {
    if (!isOverseer(role)) return <p className="card">The supervisor dashboard is for supervisors and administrators.</p>;
    return <SupervisorDashboard />;
  }
  return undefined;
}

function NotFound() {
  return (
    <div className="card">
      <h2>Nothing here</h2>
      <p>
        This address is not a screen of the workspace. <Link to="/queue">Go to your queue</Link>.
      </p>
    </div>
  );
}
