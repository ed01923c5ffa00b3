// GET /api/users: the list a supervisor picks an assignee from. Real PostgreSQL with the seeded users; the
// role matrix (api/roles.test.ts) covers who may call it, this covers what it answers.
import { describe, expect, it } from 'vitest';
import { USER_IDS } from '../../app/seed';
import { userListResponse } from './users';
import { useApiFixture } from '../testSupport';

const f = useApiFixture();
const asSupervisor = { user: USER_IDS.supervisor };

describe('GET /api/users', () => {
  it('lists every seeded user with id, name, role and active flag only', async () => {
    const res = await f.api.request('GET', '/api/users', asSupervisor);
    expect(res.status).toBe(200);
    const body = userListResponse.parse(res.body);
    expect(body.items.map((u) => u.id)).toEqual(Object.values(USER_IDS).sort());
    expect(body.items.find((u) => u.id === USER_IDS.coder2)).toEqual({
      id: USER_IDS.coder2,
      name: 'Morgan Coder',
      role: 'CODER',
      active: true,
    });
    for (const u of res.body.items) expect(Object.keys(u).sort()).toEqual(['active', 'id', 'name', 'role']);
  });

  it('filters by a list of roles and by the active flag', async () => {
    await f.db.prisma.user.update({ where: { id: USER_IDS.coder2 }, data: { active: false } });
    try {
      const coders = await f.api.request('GET', '/api/users?role=CODER,SUPERVISOR', asSupervisor);
      expect(coders.body.items.map((u: { id: string }) => u.id)).toEqual([USER_IDS.coder1, USER_IDS.coder2, USER_IDS.supervisor].sort());
      const active = await f.api.request('GET', '/api/users?role=CODER&active=true', asSupervisor);
      expect(active.body.items.map((u: { id: string }) => u.id)).toEqual([USER_IDS.coder1]);
      const inactive = await f.api.request('GET', '/api/users?active=false', asSupervisor);
      expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([USER_IDS.coder2]);
    } finally {
      await f.db.prisma.user.update({ where: { id: USER_IDS.coder2 }, data: { active: true } });
    }
  });

  it('refuses an unknown role or a repeated parameter with 400 naming the field', async () => {
    const bad = await f.api.request('GET', '/api/users?role=CODER,NURSE', asSupervisor);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^role/);
    const twice = await f.api.request('GET', '/api/users?role=CODER&role=BILLER', asSupervisor);
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toMatch(/^role/);
  });

  it('is for supervisors and admins: a coder hears 403', async () => {
    expect((await f.api.request('GET', '/api/users', { user: USER_IDS.admin })).status).toBe(200);
    const coder = await f.api.request('GET', '/api/users', { user: USER_IDS.coder1 });
    expect(coder.status).toBe(403);
    expect(coder.body.error.code).toBeTruthy();
  });
});
