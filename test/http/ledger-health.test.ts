import { Workbook } from 'exceljs';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemQueriesService, type ItemFilter } from '../../src/cases/item-queries.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { toShanghaiIso } from '../../src/shared/shanghai-time';
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

  type Page = { total: number; lights: Record<string, number>; items: { number: string; light: string }[] };
  const ledger = async (query: string, who = org.supervisor): Promise<Page> => (await t.http().get(`/api/ledger?${query}`).set(bearer(who)).expect(200)).body;

  it('B3, issue 17: the total is the number of items the filter finds — whole, by unit, by light, by both, within the read scope', async () => {
    const queries = t.get(ItemQueriesService);
    const filters: [string, ItemFilter][] = [
      ['', {}],
      [`unitId=${org.units.lead}`, { unitId: org.units.lead }],
      [`unitId=${org.units.other}`, { unitId: org.units.other }],
      ['light=red', { light: 'red' }],
      ['light=done', { light: 'done' }],
      [`unitId=${org.units.lead}&light=yellow`, { unitId: org.units.lead, light: 'yellow' }],
      ['source=livelihood&light=green', { source: 'livelihood', light: 'green' }],
      ['overdue=false', { overdue: false }],
    ];
    for (const [query, filter] of filters) {
      const r = await ledger(`${query}&pageSize=500`);
      const counted = await queries.filtered(filter, org.supervisor.actor).getCount();
      expect([query, r.total]).toEqual([query, counted]);
      expect([query, r.items.length]).toEqual([query, counted]);
      expect(Object.values(r.lights).reduce((a, b) => a + b, 0)).toBe(counted);
    }
    // P4: a unit's contact counts only what the unit may see.
    const mine = await ledger('pageSize=500', org.leadContact);
    expect(mine.total).toBe(await queries.filtered({}, org.leadContact.actor).getCount());
    expect(mine.total).toBe(mine.items.length);
    expect((await ledger('pageSize=500', org.otherContact)).total).toBe(0);
  });

  it('B3, issue 17: an item registered or handed over shows in the counts and the total at once (kept counts are dropped on every write)', async () => {
    const before = await ledger('pageSize=1');
    const beforeLead = await ledger(`unitId=${org.units.lead}&pageSize=1`);
    const reg = t.get(RegistrationService);
    const input = { content: '内容', source: 'livelihood' as const, ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead };
    const added = (await reg.register({ ...input, title: '新登记的事项', deadline: { node: '7d' } }, org.supervisor.actor)).number;
    const after = await ledger('pageSize=1');
    expect(after.total).toBe(before.total + 1);
    expect(after.lights.green).toBe(before.lights.green + 1);
    expect((await ledger(`unitId=${org.units.lead}&pageSize=1`)).total).toBe(beforeLead.total + 1);
    // A command: handed over, still green; a second unit added by the reassignment form would change the unit counts.
    await t.get(ItemCommandsService).assign(added, org.owner.actor);
    expect((await ledger(`number=${added}`)).items.map((i) => i.light)).toEqual(['green']);
    // The clock moved on (two weeks: past the new item's deadline): the lights are counted again at the new time.
    const red = (await ledger('light=red')).total;
    t.clock.advance(14 * 24 * 3600_000);
    expect((await ledger('light=red')).total).toBe(red + 1);
    expect((await ledger(`number=${added}`)).items.map((i) => i.light)).toEqual(['red']);
    expect((await ledger('pageSize=1')).lights.red).toBe(red + 1);
  });

  it('B3, issue 17: a chat command (签收, 申请办结) moves the item between the state counts at once — its plain-SQL write drops the kept counts too', async () => {
    const reg = t.get(RegistrationService);
    const input = { content: '内容', source: 'livelihood' as const, ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead };
    const n = (await reg.register({ ...input, title: '签收计数', deadline: { node: '7d' } }, org.supervisor.actor)).number;
    await t.get(ItemCommandsService).assign(n, org.owner.actor);
    const assigned = (await ledger('state=assigned&pageSize=1')).total;
    const inProgress = (await ledger('state=in_progress&pageSize=1')).total;
    await t.get(ItemCommandsService).sign(n, org.leadContact.actor);
    expect((await ledger('state=assigned&pageSize=1')).total).toBe(assigned - 1);
    expect((await ledger('state=in_progress&pageSize=1')).total).toBe(inProgress + 1);
    const requested = (await ledger('state=closure_requested&pageSize=1')).total;
    await t.get(ItemCommandsService).requestClosure(n, org.leadContact.actor, { summary: '已完成' });
    expect((await ledger('state=in_progress&pageSize=1')).total).toBe(inProgress);
    expect((await ledger('state=closure_requested&pageSize=1')).total).toBe(requested + 1);
  });

  it('B3, issue 17: each row of a 台账 page is the item as the item list shows it (units in order, parent, office), with its latest report', async () => {
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    const input = { content: '内容', source: 'meeting' as const, ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead };
    const withCo = (
      await reg.register({ ...input, title: '两个协办单位', coUnitIds: [org.units.other, org.units.co], deadline: { node: '7d' } }, org.supervisor.actor)
    ).number;
    const parent = (await reg.register({ ...input, title: '分解事项', deadline: { node: '1m' } }, org.supervisor.actor)).number;
    await reg.decompose(parent, [{ unitId: org.units.co }, { unitId: org.units.other, deadline: { node: '3d' } }], org.owner.actor);
    await cmd.assign(withCo, org.owner.actor);
    await cmd.sign(withCo, org.leadContact.actor);
    await cmd.report(withCo, org.leadContact.actor, '第一次进展');
    t.clock.advance(3600_000);
    await cmd.report(withCo, org.leadContact.actor, '第二次进展');
    const secondReport = toShanghaiIso(t.clock.now());
    for (const query of ['pageSize=500&source=meeting', 'pageSize=2&page=2&source=meeting', `pageSize=500&unitId=${org.units.co}`]) {
      const page = (await t.http().get(`/api/ledger?${query}`).set(bearer(org.supervisor)).expect(200)).body as { items: Record<string, unknown>[] };
      const list = (await t.http().get(`/api/items?${query}`).set(bearer(org.supervisor)).expect(200)).body as { items: Record<string, unknown>[] };
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.map(({ lastReportAt: _, ...view }) => view)).toEqual(list.items);
    }
    const rows = (await ledger('pageSize=500&source=meeting')).items as unknown as Record<string, unknown>[];
    const row = (n: string) => rows.find((i) => i.number === n)!;
    expect(row(withCo).lastReportAt).toBe(secondReport); // the later of its two reports
    expect((row(withCo).coUnits as { name: string }[]).map((u) => u.name)).toHaveLength(2);
    expect(rows.filter((i) => i.parentNumber === parent)).toHaveLength(2);
    expect(row(parent).lastReportAt).toBeNull();
  });

  it('B3, issue 17: the yellow page holds, in deadline order, the items not yet handed over past their deadline and then those due within 24 h, page by page', async () => {
    const reg = t.get(RegistrationService);
    const input = { content: '内容', source: 'hotline' as const, ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.co };
    // Two never handed over whose deadlines pass (yellow, not red: no unit is late), and two due within the next 24 h.
    await reg.register({ ...input, title: '未交办已过期一', deadline: { node: '1d' } }, org.supervisor.actor);
    await reg.register({ ...input, title: '未交办已过期二', deadline: { node: '1d' } }, org.supervisor.actor);
    t.clock.advance(24 * 3600_000); // Wednesday 19:00 → Thursday 19:00: the first two are past their deadline (Thursday 18:00)
    await reg.register({ ...input, title: '即将到期一', deadline: { node: '1d' } }, org.supervisor.actor);
    const dueSoon = (await reg.register({ ...input, title: '即将到期二', deadline: { node: '1d' } }, org.supervisor.actor)).number;
    await t.get(ItemCommandsService).assign(dueSoon, org.owner.actor);
    const all = await ledger('pageSize=500');
    const yellow = all.items.filter((i) => i.light === 'yellow').map((i) => i.number);
    expect(yellow.length).toBeGreaterThanOrEqual(4);
    const r = await ledger('light=yellow&pageSize=500');
    expect(r.items.map((i) => i.number)).toEqual(yellow);
    expect(r.total).toBe(yellow.length);
    expect(r.lights.yellow).toBe(yellow.length);
    // Pages of 1 and of 3 (one page spans both parts), and a page past the end.
    for (const size of [1, 3]) {
      const paged: string[] = [];
      for (let page = 1; page <= Math.ceil(yellow.length / size) + 1; page++) {
        const p = await ledger(`light=yellow&pageSize=${size}&page=${page}`);
        expect(p.total).toBe(yellow.length);
        paged.push(...p.items.map((i) => i.number));
      }
      expect(paged).toEqual(yellow);
    }
    // With the unit filter the same holds: the four above are the co-unit's (as lead unit), in the same order.
    const coYellow = (await ledger(`light=yellow&unitId=${org.units.co}&pageSize=500`)).items.map((i) => i.number);
    expect(coYellow).toHaveLength(4);
    expect(yellow.filter((n) => coYellow.includes(n))).toEqual(coYellow);
  });
});
