import type { Response } from 'supertest';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15 (sign-in, part S): the console signs in with a token once and then carries an httpOnly, SameSite cookie
 * that every /api route accepts like the Bearer header — same person, same roles, same refusals. Sessions expire
 * (8 hours idle, 7 days at most), are stored hashed, are revoked by logout and by the admin's "revoke a person's
 * tokens"; state-changing cookie requests must come from the console's own origin (CSRF).
 */
describe('console sessions: sign in with a token, the cookie, logout, expiry, CSRF (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  const ORIGIN = 'http://localhost:3000'; // DUBAN_PUBLIC_URL's default in the test config (PORT unset)

  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const cookieOf = (r: Response): string => {
    const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
    const c = set.find((s) => s.startsWith('duban_session='));
    if (!c) throw new Error(`no session cookie in ${JSON.stringify(r.headers)}`);
    return c.split(';')[0];
  };
  const signIn = async (token: string): Promise<string> => cookieOf(await t.http().post('/api/session').send({ token }).expect(200));

  it('the admin token signs in: who, and an httpOnly SameSite cookie for 8 hours', async () => {
    const r = await t.http().post('/api/session').send({ token: ADMIN_TOKEN }).expect(200);
    expect(r.body).toEqual({ personId: null, name: '系统管理员', roles: ['admin'], isAdmin: true, today: '2026-03-02' });
    const set = ([] as string[]).concat(r.headers['set-cookie']);
    expect(set).toHaveLength(1);
    expect(set[0]).toMatch(/^duban_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=28800$/);
  });

  it("a person's token signs in as that person, with their roles", async () => {
    const r = await t.http().post('/api/session').send({ token: org.leadContact.token }).expect(200);
    expect(r.body).toEqual({ personId: org.leadContact.id, name: '陈联络', roles: ['unit_contact'], isAdmin: false, today: '2026-03-02' });
    const me = await t.http().get('/api/session').set('Cookie', cookieOf(r)).expect(200);
    expect(me.body).toEqual(r.body);
  });

  it('a wrong token is refused in words, with the next step; no cookie', async () => {
    const r = await t.http().post('/api/session').send({ token: 'not-a-token-0123456789' }).expect(401);
    expect(r.body).toEqual({ code: 'SESSION.BAD_TOKEN', message: '令牌无效或已吊销，无法登录。请核对令牌，或在督办助手中发送 /登录 获取登录链接。' });
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('not signed in: GET /api/session answers 401', async () => {
    const r = await t.http().get('/api/session').expect(401);
    expect(r.body.message).toBe('尚未登录或登录已过期，请重新登录督办系统。');
    await t.http().get('/api/session').set('Cookie', 'duban_session=made-up-value').expect(401);
  });

  it('the cookie is accepted on every /api route like the Bearer header: same answers, same refusals', async () => {
    const sup = await signIn(org.supervisor.token);
    const contact = await signIn(org.leadContact.token);
    await t.http().get('/api/statistics').set('Cookie', sup).expect(200);
    const refused = await t.http().get('/api/statistics').set('Cookie', contact).expect(403);
    const refusedBearer = await t.http().get('/api/statistics').set(bearer(org.leadContact)).expect(403);
    expect(refused.body).toEqual(refusedBearer.body);
    // A state change from the console's own origin goes through; the roles are checked as for the token.
    await t.http().post('/api/bulletins').set('Cookie', sup).set('Origin', ORIGIN).send({ kind: 'monthly', period: '2026-02' }).expect(201);
    await t.http().post('/api/bulletins').set('Cookie', contact).set('Origin', ORIGIN).send({ kind: 'monthly', period: '2026-01' }).expect(403);
  });

  it('CSRF: a state change with the cookie from another origin, or with no origin at all, is refused; Bearer is unaffected', async () => {
    const sup = await signIn(org.supervisor.token);
    const evil = await t.http().post('/api/bulletins').set('Cookie', sup).set('Origin', 'https://evil.example').send({ kind: 'monthly', period: '2025-12' });
    expect(evil.status).toBe(403);
    expect(evil.body).toEqual({ code: 'AUTH.CROSS_SITE', message: '请求来源不是督办系统本身，操作未执行。请在督办系统页面中重新操作。' });
    const none = await t.http().post('/api/bulletins').set('Cookie', sup).send({ kind: 'monthly', period: '2025-12' });
    expect(none.status).toBe(403);
    // The Referer of a page of the console counts as its origin; the request's own host too.
    await t
      .http()
      .post('/api/bulletins')
      .set('Cookie', sup)
      .set('Referer', `${ORIGIN}/${encodeURIComponent('台账')}`)
      .send({ kind: 'monthly', period: '2025-11' })
      .expect(201);
    // Reads are not state changes.
    await t.http().get('/api/statistics').set('Cookie', sup).set('Origin', 'https://evil.example').expect(200);
    // Bearer requests carry no ambient credential: the Origin does not matter.
    await t
      .http()
      .post('/api/bulletins')
      .set(bearer(org.supervisor))
      .set('Origin', 'https://evil.example')
      .send({ kind: 'monthly', period: '2025-10' })
      .expect(201);
  });

  it('logout: 204, the cookie cleared, the session revoked on the server', async () => {
    const c = await signIn(org.owner.token);
    const r = await t.http().delete('/api/session').set('Cookie', c).set('Origin', ORIGIN).expect(204);
    expect(([] as string[]).concat(r.headers['set-cookie'])).toEqual(['duban_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0']);
    await t.http().get('/api/session').set('Cookie', c).expect(401);
    const after = await t.http().get('/api/statistics').set('Cookie', c).expect(401);
    expect(after.body).toEqual({ code: 'AUTH.SESSION_EXPIRED', message: '登录已过期或已退出，请重新登录督办系统。' });
  });

  it("the admin's revoking a person's tokens ends their console sessions too", async () => {
    const c = await signIn(org.leader.token);
    await t.http().get('/api/session').set('Cookie', c).expect(200);
    await t.http().post(`/api/people/${org.leader.id}/tokens/revoke`).set(bearer(ADMIN_TOKEN)).expect(200);
    await t.http().get('/api/session').set('Cookie', c).expect(401);
  });

  it('an admin-token session ends when the admin token is changed (another instance started with a new one)', async () => {
    const c = await signIn(ADMIN_TOKEN);
    const next = await startTestApp({ attachTo: t, env: { DUBAN_ADMIN_TOKEN: 'a-new-admin-token-9876543210' } });
    try {
      await next.http().get('/api/session').set('Cookie', c).expect(401);
      await t.http().get('/api/session').set('Cookie', c).expect(200);
    } finally {
      await next.close();
    }
  });

  it("a session in use is renewed: the browser's cookie gets another 8 hours with it", async () => {
    const c = await signIn(org.supervisor.token);
    const soon = await t.http().get('/api/statistics').set('Cookie', c).expect(200);
    expect(soon.headers['set-cookie']).toBeUndefined(); // written at most every few minutes
    t.clock.advance(6 * 60_000);
    const later = await t.http().get('/api/statistics').set('Cookie', c).expect(200);
    expect(([] as string[]).concat(later.headers['set-cookie'])).toEqual([`${c}; HttpOnly; SameSite=Lax; Path=/; Max-Age=28800`]);
  });

  it('the session routes are in the OpenAPI document, with the answer they give', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths['/api/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.keys(doc.paths['/api/session/link'])).toEqual(['post']);
    expect(Object.keys(doc.components.schemas.SessionViewDto.properties).sort()).toEqual(['demo', 'isAdmin', 'name', 'personId', 'roles', 'today']);
  });

  it("Principle 6: the session's answer names the service's date (Shanghai), from which the console takes this year — not the browser's", async () => {
    const was = t.clock.now();
    t.clock.set(new Date('2026-12-31T16:30:00Z')); // 1 January 2027, 00:30 in Shanghai; still 31 December in UTC
    try {
      const c = await signIn(org.supervisor.token);
      expect((await t.http().get('/api/session').set('Cookie', c).expect(200)).body.today).toBe('2027-01-01');
      expect((await t.http().post('/api/session').send({ token: org.supervisor.token }).expect(200)).body.today).toBe('2027-01-01');
    } finally {
      t.clock.set(was);
    }
  });

  it('a session ends after 8 hours without use, and after 7 days whatever the use', async () => {
    const idle = await signIn(org.otherContact.token);
    t.clock.advance(8 * 3600_000 + 1000);
    await t.http().get('/api/session').set('Cookie', idle).expect(401);

    const busy = await signIn(org.otherContact.token);
    for (let h = 0; h < 7 * 24 - 6; h += 6) {
      t.clock.advance(6 * 3600_000);
      await t.http().get('/api/session').set('Cookie', busy).expect(200);
    }
    t.clock.advance(7 * 3600_000);
    await t.http().get('/api/session').set('Cookie', busy).expect(401);
  });
});
