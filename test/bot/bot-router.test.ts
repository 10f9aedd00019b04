import { BATCH_SEPARATOR } from '../../src/database/transaction';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { InboxEvent } from '../../src/chat/inbox/inbox-event.entity';
import type { BotEvent } from '../../src/chat/bot-event';
import { BotRouter } from '../../src/chat/bot-router.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { Report } from '../../src/cases/report.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** The platform-neutral bot core on MariaDB: one BotEvent in, exactly one effect, a Chinese answer out via the outbox. */
describe('bot router (issue 4 §2)', () => {
  let t: TestApp;
  let org: Org;
  let router: BotRouter;
  let n: string;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') });
    org = await seedOrg(t);
    router = t.get(BotRouter);
    const item = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        coUnitIds: [org.units.co],
      },
      org.supervisor.actor,
    );
    n = item.number;
    await t.get(ItemCommandsService).assign(n, org.owner.actor);
  });
  afterAll(() => t.close());

  // seedOrg binds person k to dt-k / wx-k: 1 supervisor, 2 owner, 3 leader, 4 otherLeader, 5 leadContact, 6 coContact, 7 otherContact.
  const text = (userId: string, body: string, over: Partial<BotEvent> = {}): BotEvent => ({
    platform: 'dingtalk',
    corpId: 'ding-corp',
    userId,
    conversation: { type: 'group', id: 'cidLEAD' },
    eventId: `msg:${++seq}`,
    text: body,
    ...over,
  });
  const item = () => t.db.getRepository(Item).findOneByOrFail({ number: n });
  const replies = () => t.db.getRepository(OutboxMessage).find({ where: { kind: 'bot_reply' }, order: { id: 'ASC' } });

  it('a card click (签收) by the lead contact signs, and answers with the card as it now stands', async () => {
    const r = await router.handle({ ...text('dt-5', ''), text: undefined, cardAction: { action: 'sign', params: { number: n } } });
    expect(r).toMatchObject({ duplicate: false, itemNumber: n, reply: `${n}：已签收。办理中请随时反馈：/反馈 ${n} 办理进展。` });
    expect(r.card).toMatchObject({ kind: 'assignment', number: n, state: 'in_progress', stateLabel: '办理中' });
    expect(r.card!.buttons.map((b) => b.id)).toEqual(['report', 'extend', 'close']);
    expect((await item()).state).toBe('in_progress');
  });

  it('the same event delivered three times has one effect; the repeats are acknowledged and do nothing', async () => {
    const ev = text('dt-5', '／反馈　' + n + '　已完成初稿');
    const results = [await router.handle(ev), await router.handle(ev), await router.handle(ev)];
    expect(results.map((r) => r.duplicate)).toEqual([false, true, true]);
    const id = (await item()).id;
    expect(await t.db.getRepository(Report).countBy({ itemId: id })).toBe(1);
    expect((await t.db.getRepository(Report).findOneByOrFail({ itemId: id })).content).toBe('已完成初稿');
    const owner = await t.db.getRepository(OutboxMessage).findBy({ itemId: id, kind: 'report_notice' });
    expect(owner.map((m) => m.target)).toEqual([`person:${org.owner.id}`]);
    const rs = await replies();
    expect(rs.filter((m) => (m.payload.text as string).includes('反馈已记录'))).toHaveLength(1);
    expect(rs.at(-1)).toMatchObject({ target: `group:${org.groups.lead}`, platform: 'dingtalk' });
  });

  it('issue 17: the inbox row is written once, already processed (who, what); a repeat of a card click or a /查询 runs nothing twice', async () => {
    const click: BotEvent = { ...text('dt-5', ''), text: undefined, cardAction: { action: 'report', params: { number: n, content: '卡片反馈一次' } } };
    const first = await router.handle(click);
    expect(first).toMatchObject({ duplicate: false, itemNumber: n });
    expect(first.card).toMatchObject({ number: n, state: 'in_progress' });
    const again = await router.handle(click);
    expect(again.duplicate).toBe(true);
    expect(again.card).toMatchObject({ number: n, state: 'in_progress' }); // the repeat's ACK still shows the card
    expect(await t.db.getRepository(Report).countBy({ itemId: (await item()).id, content: '卡片反馈一次' })).toBe(1);
    const row = await t.db.getRepository(InboxEvent).findOneByOrFail({ platform: 'dingtalk', eventId: click.eventId });
    expect(row).toMatchObject({ kind: 'card', personId: org.leadContact.id });
    expect(row.outcome).toContain('反馈已记录');

    const query = text('dt-5', `/查询 ${n}`);
    const answers = [await router.handle(query), await router.handle(query)];
    expect(answers.map((r) => r.duplicate)).toEqual([false, true]);
    const key = `inbox:dingtalk:${query.eventId}:reply`;
    expect(await t.db.getRepository(OutboxMessage).countBy({ dedupeKey: key })).toBe(1);
    expect((await t.db.getRepository(InboxEvent).findOneByOrFail({ platform: 'dingtalk', eventId: query.eventId })).outcome).toContain('状态：办理中');
  });

  it('issue 17: a WeCom 签收 click writes its card refresh and its chat reply in one INSERT', async () => {
    const other = await t
      .get(RegistrationService)
      .register(
        { title: '企业微信签收', content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(other.number, org.owner.actor);
    const ds = t.db;
    const previous = ds.logger;
    const inserts: string[] = [];
    (ds as { logger: typeof previous }).logger = new Proxy(previous, {
      get: (target, key) =>
        key === 'logQuery'
          ? (q: string, ...rest: unknown[]) => {
              // A batched transaction sends several statements in one query (src/database/transaction.ts).
              for (const one of q.split(BATCH_SEPARATOR)) if (/^INSERT INTO `outbox_message`/.test(one)) inserts.push(one);
              return (target.logQuery as (...a: unknown[]) => unknown).call(target, q, ...rest);
            }
          : (target as unknown as Record<string | symbol, unknown>)[key],
    });
    try {
      const r = await router.handle({
        platform: 'wecom',
        corpId: 'wx-corp',
        userId: 'wx-5',
        conversation: { type: 'direct', id: 'wx-5' },
        eventId: `wx-click:${++seq}`,
        cardAction: { action: 'sign', params: { number: other.number } },
      });
      expect(r).toMatchObject({ duplicate: false, itemNumber: other.number });
    } finally {
      (ds as { logger: typeof previous }).logger = previous;
    }
    const rows = await t.db.getRepository(OutboxMessage).findBy({ itemId: (await t.db.getRepository(Item).findOneByOrFail({ number: other.number })).id });
    expect(rows.map((m) => m.kind).sort()).toEqual(expect.arrayContaining(['card_refresh']));
    const reply = await t.db.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: `inbox:wecom:wx-click:${seq}:reply` });
    expect(reply.payload.text).toContain('已签收');
    expect(inserts).toHaveLength(1);
  });

  it('concurrent deliveries of one event still make one effect', async () => {
    const ev = text('dt-5', `/反馈 ${n} 第二次反馈`);
    const results = await Promise.all([router.handle(ev), router.handle(ev), router.handle(ev)]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await t.db.getRepository(Report).countBy({ itemId: (await item()).id, content: '第二次反馈' })).toBe(1);
  });

  it('two different reports about one item arriving together are both recorded (the item row is locked, not raced)', async () => {
    const [a, b] = await Promise.all([router.handle(text('dt-5', `/反馈 ${n} 并发甲`)), router.handle(text('dt-5', `/反馈 ${n} 并发乙`))]);
    expect([a.reply, b.reply]).toEqual([`${n}：反馈已记录，并已告知立项主体。`, `${n}：反馈已记录，并已告知立项主体。`]);
    const id = (await item()).id;
    expect(await t.db.getRepository(Report).countBy({ itemId: id, content: '并发甲' })).toBe(1);
    expect(await t.db.getRepository(Report).countBy({ itemId: id, content: '并发乙' })).toBe(1);
  });

  it('an unbound user gets the binding hint naming their user id', async () => {
    const r = await router.handle(text('dt-stranger', `/签收 ${n}`));
    expect(r.reply).toContain('dt-stranger');
    expect(r.reply).toContain('还没有登记到督办系统');
  });

  it('a contact of another unit is refused in Chinese, and nothing changes', async () => {
    const before = await t.db.getRepository(ItemEvent).countBy({ itemId: (await item()).id });
    const r = await router.handle(text('dt-7', `/反馈 ${n} 越权反馈`));
    expect(r.reply).toContain(`只有主办单位可以反馈事项 ${n}。如需了解进展，请发送：/查询 ${n}`);
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: (await item()).id })).toBe(before);
  });

  it('a co-unit contact may not report (谁主办谁反馈), nor may the owner sign off as the leader', async () => {
    expect((await router.handle(text('dt-6', `/反馈 ${n} 协办反馈`))).reply).toContain(
      `只有主办单位可以反馈事项 ${n}；贵单位是协办单位，请把材料交主办单位（市发展改革委）汇总后反馈。`,
    );
    expect((await router.handle(text('dt-2', `/审定 ${n}`))).reply).toContain(`审定由本事项的分管领导办理，您不能审定事项 ${n}。`);
  });

  it('plain chat is ignored silently; a near miss gets a suggestion; /帮助 lists the commands', async () => {
    expect(await router.handle(text('dt-5', '大家好，今天下午开会'))).toEqual({ duplicate: false });
    expect(await router.handle(text('dt-5', '大家好，今天下午开会', { addressed: false }))).toEqual({ duplicate: false });
    // Issue 14: the same words @-addressed to the bot (or one to one) get a short answer with the next step.
    expect((await router.handle(text('dt-5', '大家好', { addressed: true }))).reply).toMatch(/^.+，您好！(等您办理的有\d+项：|目前没有等您办理的督办事项。)/);
    expect((await router.handle(text('dt-5', '今天开会吗', { conversation: { type: 'direct', id: 'dt-5' } }))).reply).toContain('没有看懂这句话');
    expect((await router.handle(text('dt-5', `/返馈 ${n} 内容`))).reply).toContain('您是不是想输入');
    expect((await router.handle(text('dt-5', '/帮助'))).reply).toContain('/反馈');
  });

  it('/查询 and /我的 answer from the data', async () => {
    expect((await router.handle(text('dt-5', `/查询 ${n.toLowerCase()}`))).reply).toContain('状态：办理中');
    expect((await router.handle(text('dt-5', '/我的'))).reply).toContain(n);
  });

  it('a refused command leaves its inbox row, so the same refused event is not answered twice', async () => {
    const ev = text('dt-7', `/签收 ${n}`);
    const first = await router.handle(ev);
    expect(first.duplicate).toBe(false);
    expect((await router.handle(ev)).duplicate).toBe(true);
  });
});
