import { Workbook } from 'exceljs';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

import type { Response } from 'superagent';

/** supertest leaves binary bodies unparsed; collect the bytes. */
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** B3 台账 with traffic lights and its .xlsx; /health; calendar overrides (C3) as admin data. */
describe.each(['mariadb', 'sqlite'] as const)('台账, health and calendar over HTTP on %s', (database) => {
  let t: TestApp;
  let org: Org;
  const numbers: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z'), database, schema: 'migrate' }); // Monday 09:00 Shanghai; the one service start that migrates an empty database itself
    org = await seedOrg(t);
    const reg = t.get(RegistrationService);
    const base = { content: '内容', source: 'livelihood' as const, ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead };
    numbers.red = (await reg.register({ ...base, title: '即将逾期', deadline: { node: '1d' } }, org.supervisor.actor)).number;
    numbers.yellow = (await reg.register({ ...base, title: '黄灯事项', deadline: { node: '3d' } }, org.supervisor.actor)).number;
    numbers.green = (await reg.register({ ...base, title: '绿灯事项', deadline: { node: '7d' }, source: 'hotline' }, org.supervisor.actor)).number;
    numbers.done = (await reg.register({ ...base, title: '已办结事项', deadline: { node: '1d' } }, org.supervisor.actor)).number;
    const cmd = t.get(ItemCommandsService);
    // A1, B3: red is the unit's lateness, so the overdue item must have been handed over to it (交办).
    await cmd.assign(numbers.red, org.owner.actor);
    await cmd.assign(numbers.done, org.owner.actor);
    await cmd.sign(numbers.done, org.leadContact.actor);
    await cmd.report(numbers.done, org.leadContact.actor, '已完成');
    await cmd.requestClosure(numbers.done, org.leadContact.actor, { summary: '已完成' });
    await cmd.rate(numbers.done, org.owner.actor, 'excellent');
    await cmd.signOff(numbers.done, org.leader.actor);
    t.clock.advance(2 * 24 * 3600_000 + 10 * 3600_000); // Wednesday 19:00: 1d (Tuesday 18:00) is overdue, 3d (Thursday 18:00) due within 24 h
  });
  afterAll(() => t.close());

  it('B3: each item carries its light; the counts cover the whole filter', async () => {
    const r = await t.http().get('/api/ledger?source=livelihood').set(bearer(org.supervisor)).expect(200);
    expect(r.body.lights).toEqual({ green: 0, yellow: 1, red: 1, done: 1 });
    const lights = Object.fromEntries(r.body.items.map((i: { number: string; light: string }) => [i.number, i.light]));
    expect(lights).toEqual({ [numbers.red]: 'red', [numbers.yellow]: 'yellow', [numbers.done]: 'done' });
    const done = r.body.items.find((i: { number: string }) => i.number === numbers.done);
    expect(done.lastReportAt).toBe('2026-03-02T09:00:00+08:00');
    const all = await t.http().get('/api/ledger?pageSize=1').set(bearer(org.supervisor)).expect(200);
    expect(all.body).toMatchObject({ total: 4, pageSize: 1, lights: { green: 1, yellow: 1, red: 1, done: 1 } });
  });

  it('B3: the 台账 filters by light (the 灯 filter of the console); the counts then cover that light', async () => {
    for (const light of ['red', 'yellow', 'green', 'done'] as const) {
      const r = await t.http().get(`/api/ledger?light=${light}`).set(bearer(org.supervisor)).expect(200);
      expect(r.body.items.map((i: { number: string }) => i.number)).toEqual([numbers[light]]);
      expect(r.body.total).toBe(1);
      expect(r.body.lights[light]).toBe(1);
    }
    const xlsx = await t.http().get('/api/ledger/export.xlsx?light=yellow').set(bearer(org.supervisor)).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.body);
    expect(wb.getWorksheet('督办台账')!.actualRowCount).toBe(3);
    const bad = await t.http().get('/api/ledger?light=blue').set(bearer(org.supervisor)).expect(400);
    expect(bad.body.message).toContain('「预警灯」须为以下之一：绿灯、黄灯、红灯、已办结');
  });

  it('B3: the .xlsx export has a row per item, in Chinese, with the light text', async () => {
    const r = await t.http().get('/api/ledger/export.xlsx?overdue=true').set(bearer(org.supervisor)).buffer(true).parse(binary).expect(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.getWorksheet('督办台账')!;
    expect(ws.actualRowCount).toBe(3); // title, header, the one overdue item
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const row = (ws.getRow(3).values as unknown[]).slice(1);
    expect(row[header.indexOf('事项编号')]).toBe(numbers.red);
    expect(row[header.indexOf('标题')]).toBe('即将逾期');
    expect(String(row[header.indexOf('预警')])).toContain('红灯');
  });

  it('/health answers without a token: database up, migrations current', async () => {
    const r = await t.http().get('/health').expect(200);
    expect(r.body).toEqual({ status: 'ok', database: 'up', driver: database === 'sqlite' ? 'better-sqlite3' : 'mysql', migrations: 'current' });
  });

  it('/api/docs serves OpenAPI with the item commands documented', async () => {
    const r = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/items', '/api/items/{number}/sign-off', '/api/ledger/export.xlsx', '/api/import']));
  });

  it('C3: an admin override makes a 2027 holiday count, and working days skip it', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const before = await t.http().get('/api/calendar/working-days?from=2027-02-05&n=1').set(admin).expect(200);
    expect(before.body).toEqual({ from: '2027-02-05', n: 1, date: '2027-02-08', uncoveredYears: [2027] });
    await t.http().put('/api/calendar/overrides/2027-02-08').set(admin).send({ kind: 'restday', note: '2027年春节' }).expect(200);
    const after = await t.http().get('/api/calendar/working-days?from=2027-02-05&n=1').set(admin).expect(200);
    expect(after.body).toEqual({ from: '2027-02-05', n: 1, date: '2027-02-09', uncoveredYears: [] });
    await t.http().put('/api/calendar/overrides/2027-02-30').set(admin).send({ kind: 'restday' }).expect(400);
    await t.http().put('/api/calendar/overrides/2027-02-09').set(bearer(org.supervisor)).send({ kind: 'restday' }).expect(403);
  });
});
