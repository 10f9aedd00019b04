import ExcelJS from 'exceljs';
import type { BotEvent } from '../../src/chat/bot-event';
import { BotRouter } from '../../src/chat/bot-router.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 defect 5 (P4): a unit contact sees only the items its unit leads or co-handles — in every list, single read,
 * timeline, dossier, ledger and its export, statistics and chat answer. Outside that scope an item looks exactly like a
 * number that does not exist. Defect 14 (part): the number filter is a substring, not a LIKE pattern.
 */
describe('read scope of unit contacts (defect 5) and the number filter (defect 14)', () => {
  let t: TestApp;
  let org: Org;
  let ours: string; // led by the lead unit, co-handled by the co unit
  let theirs: string; // led by the other unit
  const missing = 'DB2026-0999';
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    const base = { content: '内容', source: 'meeting' as const, ownerId: org.owner.id, leaderId: org.leader.id };
    ours = (await reg.register({ ...base, title: '发改委牵头事项', leadUnitId: org.units.lead, coUnitIds: [org.units.co] }, org.supervisor.actor)).number;
    theirs = (await reg.register({ ...base, title: '教育局牵头事项', leadUnitId: org.units.other, coUnitIds: [] }, org.supervisor.actor)).number;
    await cmd.assign(ours, org.owner.actor);
    await cmd.sign(ours, org.leadContact.actor);
    await cmd.report(ours, org.leadContact.actor, '发改委的进展，外单位不应看到');
  });
  afterAll(() => t.close());

  const get = (path: string, who: Someone) => t.http().get(path).set(bearer(who));
  const numbers = (body: { items: { number: string }[] }) => body.items.map((i) => i.number).sort();
  const binary = (path: string, who: Someone) =>
    get(path, who)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  const chat = (userId: string, text: string): BotEvent => ({
    platform: 'dingtalk',
    corpId: 'ding-corp',
    userId,
    conversation: { type: 'group', id: 'cidLEAD' },
    eventId: `scope:${++seq}`,
    text,
  });
  /** The 404 for a number that does not exist, with the number taken out, to compare with an out-of-scope one. */
  const shape = (body: { code: string; message: string }, number: string) => ({ code: body.code, message: body.message.replace(number, '#') });

  it.each(['', '/timeline', '/dossier'])('P4: GET /api/items/{another unit’s item}%s answers exactly like a number that does not exist', async (suffix) => {
    const out = await get(`/api/items/${ours}${suffix}`, org.otherContact).expect(404);
    const none = await get(`/api/items/${missing}${suffix}`, org.otherContact).expect(404);
    expect(shape(out.body, ours)).toEqual(shape(none.body, missing));
    expect(JSON.stringify(out.body)).not.toContain('发改委');
  });

  it('P4: the lead and the co-unit contact read the item; the leader, owner and supervisor read both items', async () => {
    for (const who of [org.leadContact, org.coContact]) {
      const r = await get(`/api/items/${ours}`, who).expect(200);
      expect(r.body.reports).toHaveLength(1);
      await get(`/api/items/${ours}/timeline`, who).expect(200);
      await get(`/api/items/${theirs}`, who).expect(404);
    }
    for (const who of [org.leader, org.owner, org.supervisor, org.otherLeader]) {
      expect(numbers((await get('/api/items', who).expect(200)).body)).toEqual([ours, theirs].sort());
    }
  });

  it('P4: item list and 台账 show another unit only its own items, whatever the filter asks for', async () => {
    expect(numbers((await get('/api/items', org.otherContact).expect(200)).body)).toEqual([theirs]);
    const filtered = await get(`/api/items?unitId=${org.units.lead}`, org.otherContact).expect(200);
    expect(filtered.body).toMatchObject({ total: 0, items: [] });
    const ledger = await get('/api/ledger', org.otherContact).expect(200);
    expect(numbers(ledger.body)).toEqual([theirs]);
    expect(ledger.body.total).toBe(1);
    const lights = ledger.body.lights as Record<string, number>;
    expect(Object.values(lights).reduce((a, b) => a + b, 0)).toBe(1);
    expect(numbers((await get('/api/items', org.coContact).expect(200)).body)).toEqual([ours]);
  });

  it('P4: the 台账 export holds only the unit’s own items', async () => {
    const text = async (who: Someone) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await binary('/api/ledger/export.xlsx', who).expect(200)).body as never);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
      return cells.join('\n');
    };
    const other = await text(org.otherContact);
    expect(other).toContain(theirs);
    expect(other).not.toContain(ours);
    expect(other).not.toContain('发改委牵头事项');
    expect(await text(org.supervisor)).toContain(ours);
  });

  it('P4: statistics are for the 督查室, owners and leaders; a unit contact is refused', async () => {
    await get('/api/statistics', org.otherContact).expect(403);
    await get('/api/statistics/export.xlsx', org.otherContact).expect(403);
    await get('/api/statistics', org.leader).expect(200);
  });

  it('P4: /查询 in chat answers about another unit’s item exactly as about a number that does not exist; /我的 lists only the own', async () => {
    const router = t.get(BotRouter);
    const out = await router.handle(chat('dt-7', `/查询 ${ours}`));
    const none = await router.handle(chat('dt-7', `/查询 ${missing}`));
    expect(out.reply!.replace(ours, '#')).toBe(none.reply!.replace(missing, '#'));
    expect(out.reply).not.toContain('发改委');
    expect((await router.handle(chat('dt-6', `/查询 ${ours}`))).reply).toContain('发改委牵头事项');
    const mine = await router.handle(chat('dt-7', '/我的'));
    expect(mine.reply).not.toContain(ours);
  });

  it('P4: a card click on another unit’s item answers with no card (nothing of the item is shown)', async () => {
    const router = t.get(BotRouter);
    const click = { ...chat('dt-7', ''), text: undefined, cardAction: { action: 'report', params: { number: ours, content: '越权' } } };
    const r = await router.handle(click);
    expect(r.card).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain('发改委牵头事项');
    const own = await router.handle({ ...chat('dt-5', ''), text: undefined, cardAction: { action: 'report', params: { number: ours, content: '卡片反馈' } } });
    expect(own.card).toMatchObject({ number: ours, title: '发改委牵头事项' });
  });

  it('defect 14: ?number= is a substring — % and _ match only themselves', async () => {
    for (const pattern of ['%', '_', '%25', 'DB2026%', 'DB2026_0001', '\\']) {
      const r = await t.http().get('/api/items').query({ number: pattern }).set(bearer(org.supervisor)).expect(200);
      expect({ pattern, total: r.body.total }).toEqual({ pattern, total: 0 });
    }
    const part = await t.http().get('/api/items').query({ number: '2026-000' }).set(bearer(org.supervisor)).expect(200);
    expect(part.body.total).toBe(2);
    const ledger = await t.http().get('/api/ledger').query({ number: '%' }).set(bearer(org.supervisor)).expect(200);
    expect(ledger.body.total).toBe(0);
  });
});

describe('the number filter on the embedded SQLite database (defect 14)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ database: 'sqlite' });
    org = await seedOrg(t);
    await t
      .get(RegistrationService)
      .register(
        { title: '事项', content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, coUnitIds: [] },
        org.supervisor.actor,
      );
  });
  afterAll(() => t.close());

  it('% and _ match only themselves; a part of the number still matches', async () => {
    for (const [number, total] of [
      ['%', 0],
      ['_', 0],
      ['!', 0],
      ['2026-0001', 1],
    ] as const) {
      const r = await t.http().get('/api/items').query({ number }).set(bearer(org.leadContact)).expect(200);
      expect({ number, total: r.body.total }).toEqual({ number, total });
    }
  });
});
