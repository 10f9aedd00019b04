import type { Response } from 'supertest';
import type { Logger as OrmLogger } from 'typeorm';
import { Person } from '../../src/org/person.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17: who a bearer token (or a console session) stands for — the token, the person, their roles, hence their read
 * scope (P4) — is kept a few seconds (DirectoryCache) instead of read three times per request. Every change is honoured
 * as before on this instance, at the very next request: a role taken away, a person retired (停用), a token revoked; and
 * a request read while such a change is still committing does not keep the old answer after the commit.
 */
describe('the person behind a token, kept and forgotten at every change (P3, P4, issue 17)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const admin = () => bearer(ADMIN_TOKEN);
  /** Only a 督查室, leader, owner or admin may see the year-end page: a role change shows as 200 or 403. */
  const yearEnd = (token: string) => t.http().get('/api/ledger/year-end').set(bearer(token));
  const newPerson = async (name: string, role: string): Promise<{ id: number; token: string; tokenId: number }> => {
    const p = (
      await t
        .http()
        .post('/api/people')
        .set(admin())
        .send({ name, roles: [{ role }] })
        .expect(201)
    ).body as { id: number };
    const issued = (await t.http().post(`/api/people/${p.id}/tokens`).set(admin()).send({ label: '测试' }).expect(201)).body as { id: number; token: string };
    return { id: p.id, token: issued.token, tokenId: issued.id };
  };
  /** The statements sent to the database while `run` runs. */
  const statements = async (run: () => Promise<unknown>): Promise<string[]> => {
    const seen: string[] = [];
    const previous = t.db.logger;
    const counting: OrmLogger = {
      logQuery: (q: string) => void seen.push(q),
      logQueryError: (...a) => previous.logQueryError(...a),
      logQuerySlow: (...a) => previous.logQuerySlow(...a),
      logSchemaBuild: (...a) => previous.logSchemaBuild(...a),
      logMigration: (...a) => previous.logMigration(...a),
      log: (...a) => previous.log(...a),
    };
    (t.db as { logger: OrmLogger }).logger = counting;
    try {
      await run();
    } finally {
      (t.db as { logger: OrmLogger }).logger = previous;
    }
    return seen;
  };

  it('a token used again is not looked up again: no read of the token, the person or the roles', async () => {
    const p = await newPerson('周领导', 'leader');
    await yearEnd(p.token).expect(200);
    const seen = await statements(() => yearEnd(p.token).expect(200));
    expect(seen.filter((q) => /`(api_token|person|role_grant)`/.test(q))).toEqual([]);
  });

  it('a role taken away counts at the next request, and given back again', async () => {
    const p = await newPerson('郑领导', 'leader');
    await yearEnd(p.token).expect(200);
    await t
      .http()
      .put(`/api/people/${p.id}/roles`)
      .set(admin())
      .send({ roles: [{ role: 'unit_contact', unitId: org.units.other }] })
      .expect(200);
    await yearEnd(p.token).expect(403);
    await t
      .http()
      .put(`/api/people/${p.id}/roles`)
      .set(admin())
      .send({ roles: [{ role: 'leader' }] })
      .expect(200);
    await yearEnd(p.token).expect(200);
  });

  it('a retired person is refused at the next request; their tokens stay revoked when they come back, a new one works', async () => {
    const p = await newPerson('韩领导', 'leader');
    await yearEnd(p.token).expect(200);
    await t.http().post(`/api/people/${p.id}/deactivate`).set(admin()).expect(200);
    await yearEnd(p.token).expect(401);
    await t.http().post(`/api/people/${p.id}/reactivate`).set(admin()).expect(200);
    await yearEnd(p.token).expect(401);
    const fresh = (await t.http().post(`/api/people/${p.id}/tokens`).set(admin()).send({ label: '新' }).expect(201)).body as { token: string };
    await yearEnd(fresh.token).expect(200);
  });

  it('one token revoked is refused at the next request; the person’s other token still works', async () => {
    const p = await newPerson('杨领导', 'leader');
    const other = (await t.http().post(`/api/people/${p.id}/tokens`).set(admin()).send({ label: '电脑' }).expect(201)).body as { token: string };
    await yearEnd(p.token).expect(200);
    await yearEnd(other.token).expect(200);
    await t.http().post(`/api/tokens/${p.tokenId}/revoke`).set(admin()).expect(200);
    await yearEnd(p.token).expect(401);
    await yearEnd(other.token).expect(200);
  });

  it('a request read while a retirement is still committing does not keep the retired person known after the commit', async () => {
    const p = await newPerson('秦领导', 'leader');
    await yearEnd(p.token).expect(200);
    await t.db.transaction(async (em) => {
      await em.update(Person, { id: p.id }, { active: false });
      // Another connection still reads the committed row: the person is active until the commit.
      await yearEnd(p.token).expect(200);
    });
    await yearEnd(p.token).expect(401);
    await t.db.getRepository(Person).update({ id: p.id }, { active: true });
    await yearEnd(p.token).expect(200);
  });

  it('a wrong token is refused each time and not kept', async () => {
    for (let i = 0; i < 2; i++) await yearEnd('dbt_not-a-token-at-all-0123456789').expect(401);
  });

  it('issue 15: a console session sees a role taken away at its next request', async () => {
    const p = await newPerson('许领导', 'leader');
    const cookieOf = (r: Response): string => {
      const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
      return set.find((s) => s.startsWith('duban_session='))!.split(';')[0];
    };
    const cookie = cookieOf(await t.http().post('/api/session').send({ token: p.token }).expect(200));
    await t.http().get('/api/ledger/year-end').set('Cookie', cookie).expect(200);
    await t
      .http()
      .put(`/api/people/${p.id}/roles`)
      .set(admin())
      .send({ roles: [{ role: 'unit_contact', unitId: org.units.co }] })
      .expect(200);
    await t.http().get('/api/ledger/year-end').set('Cookie', cookie).expect(403);
    expect((await t.http().get('/api/session').set('Cookie', cookie).expect(200)).body.roles).toEqual(['unit_contact']);
  });
});
