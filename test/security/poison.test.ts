import { Injectable } from '@nestjs/common';
import { createServer, Server, Socket } from 'node:net';
import { FakeDingTalk } from '../../fakes/dingtalk';
import type { Actor } from '../../src/shared/actor';
import type { BotEvent, BotResult } from '../../src/chat/bot-event';
import { BotRouter } from '../../src/chat/bot-router.service';
import { CommandExecutor } from '../../src/chat/command.executor';
import type { BotCommand } from '../../src/chat/command.parser';
import { InboxEvent } from '../../src/chat/inbox/inbox-event.entity';
import { InboxFailure } from '../../src/chat/inbox/inbox-failure.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { Report } from '../../src/cases/report.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { eventually } from '../support/eventually';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { dingtalkEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingpoison', clientSecret: 'dingpoison-secret-0123456789', robotCode: 'dingpoison' };
const HUGE = '进'.repeat(30_000);

/**
 * Fault injection (a real subclass, swapped in as a provider): a report containing 「程序故障」 fails the way a bug
 * fails, every time; one containing 「先失败」 fails once, after waiting until the test lets it go.
 */
@Injectable()
class FaultyExecutor extends CommandExecutor {
  static gate: { entered: boolean; release: () => void; released: Promise<void> } | null = null;
  override async run(cmd: BotCommand, actor: Actor): Promise<Omit<BotResult, 'duplicate'>> {
    if (cmd.name === 'report' && cmd.content.includes('程序故障')) throw new TypeError("Cannot read properties of undefined (reading 'unitId')");
    const gate = FaultyExecutor.gate;
    if (cmd.name === 'report' && (cmd.content.includes('先失败') || cmd.content.includes('后成功')) && gate && !gate.entered) {
      gate.entered = true;
      await gate.released;
      if (cmd.content.includes('先失败')) throw new Error('第一次处理失败（模拟）');
    }
    return super.run(cmd, actor);
  }
}

/** A TCP hop between the service and MariaDB that the test can cut (the database "goes away") and restore. */
class DatabaseLink {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(3306, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((ok) => this.server!.listen(this.port, '127.0.0.1', ok));
    this.port = (this.server!.address() as { port: number }).port;
  }
  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((ok) => (s ? s.close(() => ok()) : ok()));
  }
}

describe('poison messages and failures that will not go away (issue 11, defects 4 and 13)', () => {
  let fake: FakeDingTalk;
  let owner: TestApp; // owns the database; no platform
  // The instance under test: DingTalk Stream, reaching MariaDB through a link the test can cut. The test itself reads
  // through `owner`, whose connections the cut does not touch.
  let t: TestApp;
  const link = new DatabaseLink();
  let org: Org;
  let n: string;
  let itemId: number;

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 300 });
    owner = await startTestApp();
    await link.open();
    const viaLink = owner.databaseUrl.replace('127.0.0.1:3306', `127.0.0.1:${link.port}`);
    expect(viaLink).not.toBe(owner.databaseUrl);
    t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      attachTo: { databaseUrl: viaLink } as TestApp,
      overrides: [{ provide: CommandExecutor, useClass: FaultyExecutor }],
      env: { ...dingtalkEnv(fake, APP), DINGTALK_MODE: 'stream', DUBAN_OUTBOX_POLL_MS: '50' },
    });
    org = await seedOrg(t);
    n = (
      await t
        .get(RegistrationService)
        .register(
          { title: '毒消息测试', content: '内容', source: 'other', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead },
          org.supervisor.actor,
        )
    ).number;
    await t.get(ItemCommandsService).assign(n, org.owner.actor);
    await t.get(ItemCommandsService).sign(n, org.leadContact.actor);
    itemId = (await t.db.getRepository(Item).findOneByOrFail({ number: n })).id;
    fake.setHttpCallbackUrl(`${t.url}/callbacks/dingtalk`);
    await fake.waitFor(() => fake.connections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await link.cut();
    await owner?.close();
    await fake?.stop();
  });

  // seedOrg binds the lead unit's contact to dt-5 and gives the lead unit the DingTalk group cidLEAD.
  const say = (text: string, msgId?: string) => fake.sendGroupText({ conversationId: 'cidLEAD', senderStaffId: 'dt-5', text, msgId });
  const groupTexts = () => fake.groupMessages('cidLEAD').map((m) => JSON.stringify(m));
  const reports = (where: { content?: string } = {}) => owner.db.getRepository(Report).countBy({ itemId, ...where });
  const acked = (messageId: string) => fake.acks.some((a) => a.messageId === messageId);
  const pushesOf = (messageId: string) => fake.pushes.filter((p) => p.messageId === messageId).length;

  it('a 30,000-character /反馈 over Stream is ACKed at once and answered in Chinese with the limit; nothing is stored', async () => {
    const before = await reports();
    const { messageId, msgId } = await say(`/反馈 ${n} ${HUGE}`);
    await fake.waitFor(() => acked(messageId));
    const reply = await fake.waitFor(() => groupTexts().find((m) => m.includes('反馈内容过长')));
    expect(reply).toContain('最多 16000 字');
    expect(reply).toContain('30000 字');
    expect(reply).toMatch(/分.*次.*文件/);
    expect(await reports()).toBe(before);
    expect(await owner.db.getRepository(InboxEvent).findOneByOrFail({ platform: 'dingtalk', eventId: `msg:${msgId}` })).toMatchObject({
      personId: org.leadContact.id,
    });
  });

  it('the same over the HTTP callback: 200, a Chinese reply, nothing stored', async () => {
    const before = await reports();
    const body = fake.groupTextPayload({ conversationId: 'cidLEAD', senderStaffId: 'dt-5', text: `/反馈 ${n} ${HUGE}` });
    const res = await fake.postHttpCallback(body);
    expect(res.status).toBe(200);
    await eventually(
      async () =>
        (await owner.db.getRepository(OutboxMessage).findOneBy({ dedupeKey: `inbox:dingtalk:msg:${(body as { msgId: string }).msgId}:reply` }))?.payload
          .text as string | undefined,
    );
    const row = await owner.db.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: `inbox:dingtalk:msg:${(body as { msgId: string }).msgId}:reply` });
    expect(row.payload.text).toContain('反馈内容过长');
    expect(await reports()).toBe(before);
  });

  it('the API refuses an over-long report with a 400 in Chinese; 16,000 emoji (64,000 bytes) are stored whole', async () => {
    const r1 = await t.http().post(`/api/items/${n}/reports`).set(bearer(org.leadContact)).send({ content: HUGE });
    expect(r1.status).toBe(400);
    expect(r1.body.message).toMatch(/过长/);
    // 16,000 emoji fit the character limit but are 64,000 bytes: still stored whole, not cut.
    const emoji = '😀'.repeat(16_000);
    const r2 = await t.http().post(`/api/items/${n}/reports`).set(bearer(org.leadContact)).send({ content: emoji });
    expect(r2.status).toBe(201);
    expect((await owner.db.getRepository(Report).findOneOrFail({ where: { itemId }, order: { id: 'DESC' } })).content).toBe(emoji);
  });

  it('over-long reasons in chat are refused in Chinese before they reach a column (退回理由 is at most 500)', async () => {
    // dt-2 is the owner, who may return the latest report.
    const ev: BotEvent = {
      platform: 'dingtalk',
      corpId: '',
      userId: 'dt-2',
      conversation: { type: 'direct', id: 'dt-2' },
      eventId: 'msg:long-return-reason',
      text: `/退回 ${n} ${'理'.repeat(600)}`,
    };
    const r = await t.get(BotRouter).handle(ev);
    expect(r.reply).toMatch(/退回理由过长：最多 500 字/);
    expect((await owner.db.getRepository(Item).findOneByOrFail({ id: itemId })).returnCount).toBe(0);
  });

  it('an over-long 评定意见 is refused with a 400 in the API and with a reply in chat, not a database error', async () => {
    const cmds = t.get(ItemCommandsService);
    const m = (
      await t
        .get(RegistrationService)
        .register(
          { title: '评定意见长度', content: '内容', source: 'other', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead },
          org.supervisor.actor,
        )
    ).number;
    await cmds.assign(m, org.owner.actor);
    await cmds.sign(m, org.leadContact.actor);
    await cmds.requestClosure(m, org.leadContact.actor, { summary: '已完成' });
    const api = await t
      .http()
      .post(`/api/items/${m}/rate`)
      .set(bearer(org.owner))
      .send({ rating: 'good', comment: '评'.repeat(600) });
    expect(api.status).toBe(400);
    expect(api.body.message).toMatch(/过长/);
    const chat: BotEvent = {
      platform: 'dingtalk',
      corpId: '',
      userId: 'dt-2',
      conversation: { type: 'direct', id: 'dt-2' },
      eventId: 'msg:long-rating-comment',
      text: `/评定 ${m} 良好 ${'评'.repeat(600)}`,
    };
    expect((await t.get(BotRouter).handle(chat)).reply).toMatch(/评定意见过长：最多 500 字/);
    expect((await owner.db.getRepository(Item).findOneByOrFail({ number: m })).state).toBe('closure_requested');
  });

  it('a message that fails for good is tried a few times, then recorded as failed, answered, and ACKed — no endless re-push', async () => {
    const before = await reports();
    const { messageId, msgId } = await say(`/反馈 ${n} 程序故障`);
    await fake.waitFor(() => acked(messageId), 15_000);
    expect(pushesOf(messageId)).toBeGreaterThanOrEqual(3);
    const inbox = await owner.db.getRepository(InboxEvent).findOneByOrFail({ platform: 'dingtalk', eventId: `msg:${msgId}` });
    expect(inbox.outcome).toMatch(/^failed/);
    const reply = await fake.waitFor(() => groupTexts().find((m) => m.includes('未能处理')));
    expect(reply).toContain('督查室');
    expect(await reports()).toBe(before);
    // DingTalk pushing it once more after the ACK changes nothing.
    fake.resend(messageId);
    await fake.waitFor(() => fake.acks.filter((a) => a.messageId === messageId).length >= 2);
    expect(groupTexts().filter((m) => m.includes('未能处理'))).toHaveLength(1);
  });

  // Issue 17: the inbox row is written after the command, in its transaction: two deliveries of one event meet at the
  // item's lock or at that row, whichever comes first; here the first is held before it locks anything.
  const delivery = (eventId: string, text: string): BotEvent => ({
    platform: 'dingtalk',
    corpId: '',
    userId: 'dt-5',
    conversation: { type: 'group', id: 'cidLEAD' },
    eventId,
    text,
  });
  const held = () => {
    let release!: () => void;
    FaultyExecutor.gate = { entered: false, release: () => release(), released: new Promise<void>((ok) => (release = ok)) };
  };

  it('a duplicate delivered while the first handling is still open does the work; the first, failing afterwards, is then a repeat', async () => {
    held();
    const router = t.get(BotRouter);
    const ev = delivery('msg:rolled-back-first', `/反馈 ${n} 先失败后成功`);
    const first = router.handle(ev).then(
      (r) => r,
      (e: Error) => e.message,
    );
    await eventually(() => FaultyExecutor.gate!.entered, 15_000, 'the first handling reaching the command');
    expect(await router.handle(ev)).toMatchObject({ duplicate: false, reply: `${n}：反馈已记录，并已告知立项主体。` });
    FaultyExecutor.gate!.release();
    expect(await first).toMatchObject({ duplicate: true });
    expect(await reports({ content: '先失败后成功' })).toBe(1);
    expect(await owner.db.getRepository(InboxFailure).countBy({ eventId: ev.eventId })).toBe(0);
    FaultyExecutor.gate = null;
  });

  it('a duplicate that overtakes the first handling does the work once: the first, succeeding afterwards, rolls back as a repeat', async () => {
    held();
    const router = t.get(BotRouter);
    const ev = delivery('msg:overtaken', `/反馈 ${n} 后到先办后成功`);
    const first = router.handle(ev);
    await eventually(() => FaultyExecutor.gate!.entered, 15_000, 'the first handling reaching the command');
    expect(await router.handle(ev)).toMatchObject({ duplicate: false, reply: `${n}：反馈已记录，并已告知立项主体。` });
    FaultyExecutor.gate!.release();
    expect(await first).toMatchObject({ duplicate: true });
    expect(await reports({ content: '后到先办后成功' })).toBe(1);
    const replies = await owner.db.getRepository(OutboxMessage).countBy({ dedupeKey: `inbox:dingtalk:${ev.eventId}:reply` });
    expect(replies).toBe(1);
    FaultyExecutor.gate = null;
  });

  it('while the database is unreachable a message is NOT ACKed (DingTalk keeps it); once it is back, it takes effect once', async () => {
    await link.cut();
    const { messageId, msgId } = await say(`/反馈 ${n} 断库期间发送`);
    await fake.waitFor(() => pushesOf(messageId) >= 5, 15_000); // tried and failed more often than the give-up count
    expect(acked(messageId)).toBe(false);
    await link.open();
    await fake.waitFor(() => acked(messageId), 20_000);
    expect(await reports({ content: '断库期间发送' })).toBe(1);
    expect(await owner.db.getRepository(InboxFailure).countBy({ eventId: `msg:${msgId}` })).toBe(0); // an outage is not counted against the message
    expect(groupTexts().filter((m) => m.includes('未能处理'))).toHaveLength(1); // only the earlier poison message
  });
});

/** The same counting on the embedded SQLite database `npm start` uses. */
describe('a failing event on SQLite (issue 11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: 'sqlite', overrides: [{ provide: CommandExecutor, useClass: FaultyExecutor }] });
  });
  afterAll(() => t?.close());

  it('fails twice (not acknowledged), then is recorded as failed and answered; a later copy is a duplicate', async () => {
    const org = await seedOrg(t);
    const n = (
      await t
        .get(RegistrationService)
        .register(
          { title: '嵌入式数据库', content: '内容', source: 'other', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead },
          org.supervisor.actor,
        )
    ).number;
    await t.get(ItemCommandsService).assign(n, org.owner.actor);
    await t.get(ItemCommandsService).sign(n, org.leadContact.actor);
    const ev: BotEvent = {
      platform: 'dingtalk',
      corpId: '',
      userId: 'dt-5',
      conversation: { type: 'group', id: 'cidLEAD' },
      eventId: 'msg:sqlite-poison',
      text: `/反馈 ${n} 程序故障`,
    };
    const router = t.get(BotRouter);
    await expect(router.handle(ev)).rejects.toThrow(TypeError);
    await expect(router.handle(ev)).rejects.toThrow(TypeError);
    const third = await router.handle(ev);
    expect(third).toMatchObject({ duplicate: false, reply: expect.stringContaining('未能处理') });
    expect(await router.handle(ev)).toMatchObject({ duplicate: true });
    expect((await t.db.getRepository(InboxFailure).findOneByOrFail({ eventId: 'msg:sqlite-poison' })).attempts).toBe(3);
    expect((await t.db.getRepository(InboxEvent).findOneByOrFail({ eventId: 'msg:sqlite-poison' })).outcome).toMatch(/^failed after 3 attempts/);
    expect(await t.db.getRepository(OutboxMessage).countBy({ dedupeKey: 'inbox:dingtalk:msg:sqlite-poison:reply' })).toBe(1);
  });
});
