// Placeholder replaced by the supervisor dashboard.
export function SupervisorDashboard() {
  return <p>Supervisor dashboard</p>;
}
