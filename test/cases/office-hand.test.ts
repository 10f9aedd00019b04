import { OutboundComposer } from '../../src/chat/outbound.composer';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { toShanghaiIso } from '../../src/shared/shanghai-time';
import { BulletinFactsService } from '../../src/bulletins/bulletin-facts.service';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const at = (s: string) => new Date(`${s}+08:00`);
const MONDAY_9 = at('2026-03-02T09:00:00'); // 2026-03-02 is a Monday; no holiday until 清明 (04-04)

/**
 * Issue 13 §6, the office's own hand (DOMAIN R5, S6, C6), over HTTP on MariaDB: manual 催办 — 000 §8.3 "电话询问应做好
 * 详细电话记录备查…必要时派人到承办单位现场督办", 001 §13 "由督办主体进行电话催办…采取函询、持续办理、约谈等方式督促承办单位
 * 限期整改" — and 重点督办 set or cleared by the 督查室 "按照市政府分管副秘书长或办公厅分管领导以上负责人要求" (001 §14).
 */
describe('R5 the office\u2019s own hand: 催办 and 重点督办 by hand', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: MONDAY_9 });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  /** In progress, due Wednesday 03-04 18:00 (2 working days, the registration day not counted). */
  async function openItem(title: string): Promise<Item> {
    t.clock.set(MONDAY_9);
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline: { workingDays: 2 } },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    return t.db.getRepository(Item).findOneByOrFail({ id: item.id });
  }
  const urge = (who: Someone, n: string, body: object) => t.http().post(`/api/items/${n}/urgings`).set(bearer(who)).send(body);
  const keySupervision = (who: Someone, n: string, body: object) => t.http().put(`/api/items/${n}/key-supervision`).set(bearer(who)).send(body);
  const notices = (item: Item, kind: string) => t.db.getRepository(OutboxMessage).find({ where: { itemId: item.id, kind }, order: { id: 'ASC' } });
  const s6 = (item: Item) => t.db.getRepository(ScoreLineRow).find({ where: { itemId: item.id, rule: 'S6' } });
  async function tick(from: Date, hours: number): Promise<void> {
    const s = t.get(ReminderScheduler);
    for (let h = 0; h <= hours; h++) {
      t.clock.set(new Date(from.getTime() + h * HOUR));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
  }

  it('R5 — 电话催办 (with whom and what was said), 现场督办, 函询, 约谈, 限期整改: each on the timeline and in the 一事一卷; 函询 and 限期整改 reach the unit\u2019s group', async () => {
    const item = await openItem('整治城区积水点');
    t.clock.set(at('2026-03-05T10:00:00')); // Thursday: overdue since Wednesday 18:00
    const phone = await urge(org.supervisor, item.number, { method: 'phone', contact: '市发改委办公室陈主任', record: '对方表示周五前报送整改方案' }).expect(
      201,
    );
    expect(phone.body.result).toMatchObject({ method: 'phone', methodLabel: '电话催办' });
    await urge(org.supervisor, item.number, { method: '现场督办', record: '到积水点现场查看，排水管网改造尚未开工' }).expect(201);
    await urge(org.owner, item.number, { method: 'letter', record: '请书面说明未按期反馈的原因' }).expect(201);
    await urge(org.supervisor, item.number, { method: 'interview', contact: '市发改委分管副主任', record: '要求本周内拿出整改方案' }).expect(201);
    const rectify = await urge(org.owner, item.number, { method: 'rectify', record: '完成积水点排查并报送台账', newLimit: '2026-03-09' }).expect(201);
    expect(rectify.body.result).toMatchObject({ method: 'rectify', methodLabel: '限期整改', newLimit: '2026-03-09T18:00:00+08:00' });
    expect(rectify.body.deadline).toBe('2026-03-09T18:00:00+08:00');

    const summaries = [
      '电话催办：致电市发改委办公室陈主任，通话记录：对方表示周五前报送整改方案',
      '现场督办：到积水点现场查看，排水管网改造尚未开工',
      '函询：请书面说明未按期反馈的原因',
      '约谈市发改委分管副主任：要求本周内拿出整改方案',
      '限期整改：完成积水点排查并报送台账。限 2026-03-09 18:00 前整改到位（原期限 2026-03-04 18:00），此后按新期限提醒和计算逾期',
    ];
    const timeline = (await t.http().get(`/api/items/${item.number}/timeline`).set(bearer(org.leadContact)).expect(200)).body.events as {
      id: number;
      type: string;
      summary: string;
      actorName: string;
      data: Record<string, unknown>;
    }[];
    const urged = timeline.filter((e) => e.type === 'urged');
    expect(urged.map((e) => e.summary)).toEqual(summaries);
    expect(urged.map((e) => e.actorName)).toEqual(['王督查', '王督查', '李秘书长', '王督查', '李秘书长']);
    expect(urged.map((e) => e.data.methodLabel)).toEqual(['电话催办', '现场督办', '函询', '约谈', '限期整改']);
    const dossier = (await t.http().get(`/api/items/${item.number}/dossier`).set(bearer(org.supervisor)).expect(200)).text;
    for (const s of summaries) expect(dossier).toContain(s);

    // Only 函询 and 限期整改 are sent, to the lead unit's group, saying what to do and by when.
    const sent = await notices(item, 'urging_notice');
    expect(sent.map((m) => m.target)).toEqual([`group:${org.groups.lead}`, `group:${org.groups.lead}`]);
    const texts = [];
    for (const m of sent) {
      const [d] = await t.get(OutboundComposer).compose(m, new Set(['dingtalk', 'wecom']));
      texts.push((d.outbound as { text: string }).text);
    }
    expect(texts[0]).toContain(`【函询】${item.number}「整治城区积水点」\n立项主体函询：请书面说明未按期反馈的原因\n`);
    expect(texts[1]).toBe(
      `【限期整改】${item.number}「整治城区积水点」\n立项主体要求限期整改：完成积水点排查并报送台账\n请于 2026-03-09 18:00 前整改到位，并在督办系统中反馈整改情况；逾期未反馈的，将继续催办并按规定处理。`,
    );
    for (const x of [...texts, ...summaries]) expect(x).not.toMatch(/[A-Z]\d+：/);
    // The cards already in the groups show the deadline: the 限期整改 (and only it) refreshes them.
    const refreshed = (await notices(item, 'card_refresh')).map((m) => Number(m.payload.eventId)).filter((id) => id >= urged[0].id);
    expect(refreshed).toEqual([urged[4].id]);
  });

  it('R5 — 限期整改 sets the time limit that reminders and overdue then follow: no urging until the new limit, the "5 h before" before it, urges after it, even after an earlier report', async () => {
    const item = await openItem('限期整改后的提醒');
    // A late report that does not satisfy the office: the order starts a new node, which that report does not answer (R3).
    t.clock.set(at('2026-03-05T09:30:00'));
    await t.get(ItemCommandsService).report(item.number, org.leadContact.actor, '已排查部分积水点');
    t.clock.set(at('2026-03-05T10:00:00'));
    await urge(org.supervisor, item.number, { method: 'rectify', record: '补齐台账', newLimit: '2026-03-09' }).expect(201);
    expect((await t.http().get(`/api/items/${item.number}`).set(bearer(org.supervisor)).expect(200)).body).toMatchObject({
      deadline: '2026-03-09T18:00:00+08:00',
      overdue: false,
    });
    await tick(at('2026-03-05T10:00:00'), 4 * 24 + 12); // to Monday 03-09 22:00
    const rows = await t.db.getRepository(Reminder).find({ where: { itemId: item.id }, order: { plannedAt: 'ASC' } });
    const afterOrder = rows.filter((r) => r.plannedAt.getTime() > at('2026-03-05T10:00:00').getTime());
    const planned = afterOrder.map((r) => `${r.kind}@${toShanghaiIso(r.plannedAt)}`);
    // Nothing overdue between the order and the new limit; the "5 h before" the new limit; the first urge after it.
    expect(afterOrder.filter((r) => r.plannedAt.getTime() <= at('2026-03-09T18:00:00').getTime()).map((r) => r.kind)).toEqual(['before_deadline']);
    expect(planned).toContain('before_deadline@2026-03-09T13:00:00+08:00');
    expect(afterOrder.some((r) => r.plannedAt.getTime() > at('2026-03-09T18:00:00').getTime() && r.kind !== 'before_deadline')).toBe(true);
  });

  it('R5, S6 — 重点督办 by hand: on the timeline, the unit told, −5 once; cleared (no refund) and set again is still one S6; R5 then does not set it again', async () => {
    const item = await openItem('领导要求重点督办');
    t.clock.set(at('2026-03-03T10:00:00'));
    const on = await keySupervision(org.supervisor, item.number, { on: true, reason: '经催办仍进展缓慢', requestedBy: '市政府分管副秘书长' }).expect(200);
    expect(on.body.keySupervision).toBe(true);
    expect(await s6(item)).toEqual([expect.objectContaining({ unitId: org.units.lead, pointsTenths: -50 })]);
    const [notice] = await notices(item, 'key_supervision_notice');
    expect(notice.target).toBe(`group:${org.groups.lead}`);
    const [d] = await t.get(OutboundComposer).compose(notice, new Set(['dingtalk']));
    expect((d.outbound as { text: string }).text).toBe(
      `【重点督办】${item.number}「领导要求重点督办」\n已列为重点督办事项：经催办仍进展缓慢（按市政府分管副秘书长要求）。\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，于 2026-03-04 18:00 前反馈办理情况。`,
    );

    // Again while on: refused. Cleared: no refund. Set again: still one S6.
    const again = await keySupervision(org.supervisor, item.number, { on: true, reason: '再次' }).expect(409);
    expect(again.body.message).toContain('已在重点督办中');
    await keySupervision(org.supervisor, item.number, { on: false, reason: '已拿出整改方案' }).expect(200);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).keySupervision).toBe(false);
    expect(await s6(item)).toHaveLength(1);
    await keySupervision(org.supervisor, item.number, { on: true, reason: '方案仍未落实' }).expect(200);
    await keySupervision(org.supervisor, item.number, { on: false, reason: '已落实' }).expect(200);
    expect(await s6(item)).toHaveLength(1);
    expect((await notices(item, 'key_supervision_notice')).length).toBe(2);
    const events = await t.db.getRepository(ItemEvent).find({ where: { itemId: item.id }, order: { id: 'ASC' } });
    expect(events.filter((e) => e.type.startsWith('key_supervision')).map((e) => e.summary)).toEqual([
      '列为重点督办：经催办仍进展缓慢（按市政府分管副秘书长要求）',
      '取消重点督办：已拿出整改方案（已扣减的积分不退还）',
      '列为重点督办：方案仍未落实',
      '取消重点督办：已落实（已扣减的积分不退还）',
    ]);

    // R5 sets the flag only once per item: cleared by the office, it stays cleared when the item is 3 days overdue.
    await tick(at('2026-03-04T12:00:00'), 4 * 24); // past Saturday 18:00 (deadline + 72 h)
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).keySupervision).toBe(false);
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'key_supervision' })).toBe(2);
    expect(await s6(item)).toHaveLength(1);

    // B1: the 重点督办 通报 names it once, as the 督查室's decision (not "逾期3天"), and counts it once for the unit.
    const bulletins = t.get(BulletinFactsService);
    const facts = await bulletins.collect('key_supervision', bulletins.period('key_supervision', '2026-03-01~2026-03-31'), { year: 2026, number: 1 }, '督查室');
    expect(facts.criticism.filter((c) => c.number === item.number && c.reason === 'key_supervision')).toEqual([
      expect.objectContaining({ reason: 'key_supervision', detail: '经督查室列为重点督办（按市政府分管副秘书长要求）' }),
    ]);
    const entered = await t.db.getRepository(ItemEvent).findBy({ type: 'key_supervision' });
    expect(entered.filter((e) => e.itemId === item.id)).toHaveLength(2);
    expect(facts.byUnit.find((u) => u.unitId === org.units.lead)?.keySupervision).toBe(new Set(entered.map((e) => e.itemId)).size);
  });

  it('R5 — 逾期3天的…进行重点督办: the automatic entry tells the unit too, in the same transaction, once', async () => {
    const item = await openItem('自动转入重点督办');
    // 72 working hours after Wednesday 18:00 is Monday 18:00 (R4/R5 in working time: the weekend adds nothing).
    await tick(at('2026-03-04T12:00:00'), 6 * 24);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).keySupervision).toBe(true);
    const sent = await notices(item, 'key_supervision_notice');
    expect(sent.map((m) => m.target)).toEqual([`group:${org.groups.lead}`]);
    const [d] = await t.get(OutboundComposer).compose(sent[0], new Set(['dingtalk']));
    expect((d.outbound as { text: string }).text).toContain('逾期已满3天仍未反馈，已转入重点督办。');
    const [event] = await t.db.getRepository(ItemEvent).findBy({ itemId: item.id, type: 'key_supervision' });
    expect(event.summary).toBe('逾期已满3天，转入重点督办（督查室跟踪督办，列入下期通报）');
    expect(await s6(item)).toHaveLength(1);
  });

  it('R5 — a unit contact or a leader may not urge or set 重点督办; an owner may urge but not set the flag — refused in Chinese, saying whom to ask', async () => {
    const item = await openItem('无权催办');
    t.clock.set(at('2026-03-03T10:00:00'));
    for (const who of [org.leadContact, org.leader, org.otherContact]) {
      const r = await urge(who, item.number, { method: 'letter', record: '请说明' });
      expect(r.status === 403 || r.status === 404).toBe(true);
      if (r.status === 403) expect(r.body.message).toBe(`催办由督查室或本事项的立项主体办理，您不能催办事项 ${item.number}。如需催办，请联系督查室。`);
    }
    for (const who of [org.leadContact, org.leader, org.owner]) {
      const r = await keySupervision(who, item.number, { on: true, reason: '领导要求' }).expect(403);
      expect(r.body.message).toBe(
        `重点督办由督查室列入或取消，您不能调整事项 ${item.number} 的重点督办。如需列入重点督办，请告知督查室，由督查室按您的要求办理。`,
      );
    }
    const bad = await urge(org.supervisor, item.number, { method: '打电话', record: 'x' }).expect(400);
    expect(bad.body.message).toContain('「方式」须为以下之一：电话催办、现场督办、函询、约谈、限期整改');
    const noContact = await urge(org.supervisor, item.number, { method: 'phone', record: '对方说马上办' }).expect(400);
    expect(noContact.body.message).toBe('电话催办须写明致电对象（单位、姓名、职务）。');
    expect((await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'urged' })) + (await notices(item, 'key_supervision_notice')).length).toBe(0);
  });

  it('S3 — 每个时间节点均未被催办的，每季度加5分: a node the office urged by hand (a phone call) needed urging, so no S3 for that quarter', async () => {
    t.clock.set(MONDAY_9);
    const item = await t.get(RegistrationService).register(
      {
        title: '电话催办后按时反馈',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.other,
        deadline: { workingDays: 2 },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.otherContact.actor);
    t.clock.set(at('2026-03-04T09:00:00'));
    await urge(org.supervisor, item.number, { method: 'phone', contact: '市教育局孙联络', record: '对方表示今天下午报送' }).expect(201);
    t.clock.set(at('2026-03-04T15:00:00'));
    await t.get(ItemCommandsService).report(item.number, org.otherContact.actor, '已按要求办理');
    t.clock.set(at('2026-04-01T10:00:00'));
    await t.http().post('/api/scores/quarters/2026/1/close').set(bearer(org.supervisor)).send({}).expect(200);
    expect(await t.db.getRepository(ScoreLineRow).findBy({ unitId: org.units.other, rule: 'S3' })).toEqual([]);
  });
});
