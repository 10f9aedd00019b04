import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import { inTransaction } from '../../src/database/transaction';
import { DIGEST_FOLD_MESSAGES, DIGEST_LIST_MAX } from '../../src/outbox/digest.rules';
import { MessageKinds } from '../../src/outbox/message-kinds';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboxWriter, type OutgoingMessage } from '../../src/outbox/outbox.writer';
import { RateWindow } from '../../src/outbox/rate-window.entity';
import { OffsetClock } from '../../src/shared/clock';
import { eventually } from '../support/eventually';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingdigest', clientSecret: 'dingdigest-secret-0123456789', robotCode: 'dingdigest' };
const HOOK = 'hook-digest';
const WX_GROUP = 'wrDIGEST';
const DING_GROUP = 'cidDIGEST';

interface Landed {
  title: string;
  text: string;
  msgKey?: string;
}

/**
 * Issue 17 ("notices that cannot drain"), P2: when units report faster than a chat can take messages, every report's
 * notice to the owner office waits for the same chat; one by one they can never pass its limit (20 a second through
 * the DingTalk API, 20 a minute through a group robot). The relay sends the notices waiting for one chat together, as
 * one 汇总 message — nothing lost, nothing twice, also with two instances draining at once — while a lone notice, a card
 * and a reply to a person's own command still go on their own. Read where the messages land: the fake DingTalk and the
 * fake WeCom over real sockets, each enforcing its own limits and sizes.
 */
describe('notices waiting for one chat go out together as a digest (issue 17)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let a: TestApp;
  const clock = new OffsetClock();
  const ids = { dingGroup: 0, wxGroup: 0, item: 0 };
  let batch = 0;

  beforeAll(async () => {
    ding = await FakeDingTalk.start({ ...DING, now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, webhooks: [{ key: HOOK }], now: () => clock.now().getTime() });
    a = await startTestApp({ clock, env: env() });
    const org = a.get(OrgService);
    const fgw = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const czj = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    ids.dingGroup = (await org.createGroup({ platform: 'dingtalk', externalId: DING_GROUP, name: '发改委督办群', unitId: fgw, purpose: 'unit' })).id;
    ids.wxGroup = (
      await org.createGroup({
        platform: 'wecom',
        externalId: WX_GROUP,
        name: '财政局督办群',
        unitId: czj,
        purpose: 'unit',
        webhookUrl: `${wx.apiBase}/cgi-bin/webhook/send?key=${HOOK}`,
      })
    ).id;
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-dg-sup', [{ role: 'supervisor' }]);
    const owner = await person('李秘书长', 'dt-dg-owner', [{ role: 'owner' }]);
    const leader = await person('赵副市长', 'dt-dg-leader', [{ role: 'leader' }]);
    const supervisor = (await a.get(TokenService).actorFor(sup, 'api'))!;
    // An item assigned to the 发改委, whose card is then in its group (a card row is written again below).
    const { number } = await a
      .get(RegistrationService)
      .register(
        { title: '汇总测试事项', content: '内容', source: 'other', ownerId: owner, leaderId: leader, leadUnitId: fgw, deadline: { node: '7d' } },
        supervisor,
      );
    await a.get(ItemCommandsService).assign(number, supervisor);
    ids.item = (await a.db.getRepository(Item).findOneByOrFail({ number })).id;
    await eventually(async () => (await a.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 10_000, 'the assignment sent');
  });
  afterAll(async () => {
    await a?.close();
    await wx?.stop();
    await ding?.stop();
  });

  function env(): Record<string, string> {
    return { ...dingtalkEnv(ding, DING), ...wecomEnv(wx), DUBAN_OUTBOX_POLL_MS: '50' };
  }

  /** A notice whose words are its own: `#0007#` appears in no other. */
  const notice = (n: number, target: OutgoingMessage['target'], tag: string): OutgoingMessage => ({
    kind: n % 2 ? 'clue_notice' : 'bulletin_notice',
    target,
    itemId: null,
    payload: { text: `【${tag}】#${String(n).padStart(4, '0')}# 市发展改革委报送了本周办理进展，请及时查阅。` },
    dedupeKey: `digest-test:${tag}:${n}`,
    dueAt: clock.now(),
    hold: false,
  });

  /**
   * All of them due at once, as a burst of commands leaves them for the relay — a moment after they are written: a
   * claim that met rows in the very instant their transaction commits could find some still locked and skip them for
   * the next digest, which is right but makes what lands in which message a matter of timing.
   */
  const write = async (messages: OutgoingMessage[]) => {
    const due = new Date(clock.now().getTime() + 500);
    await inTransaction(a.db, async (em) => {
      for (let i = 0; i < messages.length; i += 200)
        await a.get(OutboxWriter).enqueue(
          em,
          messages.slice(i, i + 200).map((m) => ({ ...m, dueAt: due })),
        );
    });
  };

  const drained = () => eventually(async () => (await a.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 30_000, 'the outbox drained');

  const dingLanded = (): Landed[] =>
    (ding.groupMessages(DING_GROUP) as { msgKey?: string; msgParam?: { title?: string; text?: string } }[]).map((m) => ({
      msgKey: m.msgKey,
      title: String(m.msgParam?.title ?? ''),
      // The DingTalk markdown keeps line breaks as "  \n".
      text: String(m.msgParam?.text ?? '').replace(/ {2}\n/g, '\n'),
    }));
  const wxLanded = (): Landed[] =>
    (wx.webhookMessages(HOOK) as { markdown?: { content?: string } }[]).map((m) => {
      const [first, ...rest] = String(m.markdown?.content ?? '').split('\n');
      return { title: first.replace(/\*\*/g, ''), text: rest.join('\n') };
    });

  /** How often each of the notices numbered 0..n-1 of a tag appears in these messages. */
  const appearances = (messages: Landed[], tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => messages.reduce((s, m) => s + m.text.split(`【${tag}】#${String(i).padStart(4, '0')}#`).length - 1, 0));

  it('the notices that only tell what happened coalesce; cards, replies, broadcasts, digests and formal steps never do', () => {
    expect(a.get(MessageKinds).coalescingKinds().sort()).toEqual([
      'bulletin_notice',
      'closed_notice',
      'closure_not_agreed',
      'clue_notice',
      'extension_decided',
      'leader_returned_notice',
      'reassigned_notice',
      'report_notice',
      'request_withdrawn_notice',
      'returned_notice',
    ]);
  });

  it('a notice on its own is sent as it is, with its own title and words', async () => {
    const before = dingLanded().length;
    const tag = `lone${++batch}`;
    await write([notice(1, `group:${ids.dingGroup}`, tag)]);
    await drained();
    const landed = dingLanded().slice(before);
    expect(landed).toEqual([{ msgKey: 'sampleMarkdown', title: '问题线索', text: `【${tag}】#0001# 市发展改革委报送了本周办理进展，请及时查阅。` }]);
  });

  it('a few notices at once, fewer than a group robot takes in a minute, still go one by one', async () => {
    const before = dingLanded().length;
    const tag = `few${++batch}`;
    await write(Array.from({ length: 5 }, (_, n) => notice(n, `group:${ids.dingGroup}`, tag)));
    await drained();
    const landed = dingLanded().slice(before);
    expect(landed.map((m) => m.title)).toEqual(['通报审定', '问题线索', '通报审定', '问题线索', '通报审定']);
    expect(landed.map((m) => m.text)).toEqual(Array.from({ length: 5 }, (_, n) => notice(n, 'conv', tag).payload.text));
  });

  it('P2: 300 notices for one chat leave as a few digests — each notice in exactly one of them, in order, nothing left waiting', async () => {
    const before = dingLanded().length;
    const tag = `burst${++batch}`;
    await write(Array.from({ length: 300 }, (_, n) => notice(n, `group:${ids.dingGroup}`, tag)));
    await drained();
    const landed = dingLanded().slice(before);
    expect(landed.length).toBeGreaterThan(1);
    expect(landed.length).toBeLessThan(20);
    // Nothing lost, nothing twice.
    expect(appearances(landed, tag, 300)).toEqual(Array(300).fill(1));
    // Each says how many it carries, and lists them in the order they were written.
    let next = 0;
    for (const m of landed) {
      expect(m.title).toBe('督办消息汇总');
      const numbers = [...m.text.matchAll(/#(\d{4})#/g)].map((x) => Number(x[1]));
      expect(m.text.startsWith(`共有 ${numbers.length} 条新消息：`)).toBe(true);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => next + i));
      next += numbers.length;
    }
    const rows = await a.db.getRepository(OutboxMessage).find({ where: { status: 'sent' } });
    expect(rows.filter((r) => r.dedupeKey.startsWith(`digest-test:${tag}:`))).toHaveLength(300);
    expect(await a.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });

  it('a card and a reply to a command are never merged: they go on their own, between the digests, in the order written', async () => {
    const before = dingLanded().length;
    const tag = `mixed${++batch}`;
    const target = `group:${ids.dingGroup}` as const;
    await write([
      ...Array.from({ length: 25 }, (_, n) => notice(n, target, tag)),
      { kind: 'assignment_card', target, itemId: ids.item, payload: {}, dedupeKey: `digest-test:${tag}:card`, dueAt: clock.now(), hold: false },
      ...Array.from({ length: 25 }, (_, n) => notice(25 + n, target, tag)),
      { kind: 'bot_reply', target, payload: { text: `已收到您的反馈（${tag}）。` }, dedupeKey: `digest-test:${tag}:reply`, dueAt: clock.now(), hold: false },
      ...Array.from({ length: 25 }, (_, n) => notice(50 + n, target, tag)),
    ]);
    await drained();
    const landed = dingLanded().slice(before);
    expect(landed.map((m) => m.title)).toEqual(['督办消息汇总', expect.stringContaining('汇总测试事项'), '督办消息汇总', '督办助手', '督办消息汇总']);
    expect(landed[1].msgKey).toBe('sampleActionCard');
    expect(landed[3].text).toBe(`已收到您的反馈（${tag}）。`);
    expect(appearances(landed, tag, 75)).toEqual(Array(75).fill(1));
    for (const i of [0, 2, 4]) expect(landed[i].text.startsWith('共有 25 条新消息：')).toBe(true);
  });

  it('P2: two instances draining the same backlog together still send each notice exactly once', async () => {
    const b = await startTestApp({ clock, attachTo: a, env: env() });
    try {
      const before = dingLanded().length;
      const tag = `two${++batch}`;
      await write(Array.from({ length: 300 }, (_, n) => notice(n, `group:${ids.dingGroup}`, tag)));
      await drained();
      const landed = dingLanded().slice(before);
      expect(appearances(landed, tag, 300)).toEqual(Array(300).fill(1));
      expect(landed.length).toBeLessThan(30);
      // A notice whose fellows the other instance had taken just then goes on its own, as it would alone.
      for (const m of landed.filter((x) => x.title !== '督办消息汇总')) expect([...m.text.matchAll(/#\d{4}#/g)]).toHaveLength(1);
      expect(landed.filter((m) => m.title === '督办消息汇总').length).toBeGreaterThan(landed.length / 2);
      expect(await a.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('a chat at its send limit: the notices held back for it go together when its window has room again', async () => {
    // The group robot has sent its 20 messages of this minute (the limiter's log says so): whatever comes now waits.
    const now = clock.now().getTime();
    await a.db.getRepository(RateWindow).save({ bucket: `wecom:webhook:${ids.wxGroup}`, sentAt: Array.from({ length: 20 }, () => now).join(',') });
    const before = wxLanded().length;
    const tag = `held${++batch}`;
    await write(Array.from({ length: 3 }, (_, n) => notice(n, `group:${ids.wxGroup}`, tag)));
    const rows = async () =>
      (await a.db.getRepository(OutboxMessage).find({ where: { target: `group:${ids.wxGroup}`, status: 'pending' } })).filter((r) =>
        r.dedupeKey.startsWith(`digest-test:${tag}:`),
      );
    await eventually(async () => (await rows()).every((r) => r.lastError?.startsWith('限速')) && (await rows()).length === 3, 10_000, 'held back');
    // Notices written while the chat is held back wait with the others — not under a claim's lease, skipped until it
    // runs out (a minute), as they did.
    const more = Array.from({ length: 2 }, (_, n) => notice(3 + n, `group:${ids.wxGroup}`, tag));
    await write(more);
    await eventually(
      async () => {
        const r = await rows();
        return r.length === 5 && r.every((x) => x.lastError?.startsWith('限速') && x.lockedBy === null);
      },
      10_000,
      'the later ones held back too, not leased',
    );
    expect(wxLanded()).toHaveLength(before);
    clock.advance(61_500);
    await drained();
    const landed = wxLanded().slice(before);
    expect(landed).toHaveLength(1);
    expect(landed[0].title).toBe('督办消息汇总');
    expect(landed[0].text.startsWith('共有 5 条新消息：')).toBe(true);
    expect(appearances(landed, tag, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a backlog larger than a chat could ever be shown one by one is counted: the earliest listed, the rest told in a number', async () => {
    // A group robot takes 20 messages a minute and 4,096 bytes each: more notices than 20 digests could ever list.
    const n = DIGEST_LIST_MAX * DIGEST_FOLD_MESSAGES + 100;
    const tag = `flood${++batch}`;
    const before = wxLanded().length;
    const calls = () => wx.received.filter((c) => c.path === '/cgi-bin/webhook/send').length;
    const callsBefore = calls();
    await write(Array.from({ length: n }, (_, i) => notice(i, `group:${ids.wxGroup}`, tag)));
    await drained();
    const landed = wxLanded().slice(before);
    expect(landed).toHaveLength(1);
    expect(landed[0].text).toContain('条未逐条列出');
    let count = 0;
    const listedAll: number[] = [];
    for (const m of landed) {
      expect(m.title).toBe('督办消息汇总');
      expect(Buffer.byteLength(`**${m.title}**\n${m.text}`)).toBeLessThanOrEqual(4096);
      const listed = [...m.text.matchAll(/#(\d{4})#/g)].map((x) => Number(x[1]));
      listedAll.push(...listed);
      const fold = /^共有 (\d+) 条新消息，以下是最早的 (\d+) 条：/.exec(m.text);
      if (fold) {
        expect(Number(fold[2])).toBe(listed.length);
        expect(listed.length).toBeGreaterThan(5);
        expect(m.text).toContain(`另有 ${Number(fold[1]) - listed.length} 条未逐条列出，请登录督办系统查看`);
        count += Number(fold[1]);
      } else {
        expect(m.text.startsWith(`共有 ${listed.length} 条新消息：`)).toBe(true);
        count += listed.length;
      }
    }
    // Every notice stands in exactly one message (listed or counted); none is listed twice; the earliest come first.
    expect(count).toBe(n);
    expect(new Set(listedAll).size).toBe(listedAll.length);
    expect(listedAll[0]).toBe(0);
    const rows = (await a.db.getRepository(OutboxMessage).find({ where: { target: `group:${ids.wxGroup}` } })).filter((r) =>
      r.dedupeKey.startsWith(`digest-test:${tag}:`),
    );
    expect(rows.map((r) => r.status)).toEqual(Array(n).fill('sent'));
    // Nobody was throttled: the webhook was called once.
    expect(calls() - callsBefore).toBe(1);
  });
});

/** The same on the embedded SQLite of `npm start`, where the claim has no row locks and the lease alone decides. */
describe('notices waiting for one chat go out together as a digest, on SQLite (issue 17)', () => {
  let ding: FakeDingTalk;
  let t: TestApp;
  const clock = new OffsetClock();

  beforeAll(async () => {
    ding = await FakeDingTalk.start({ ...DING, now: () => clock.now().getTime() });
    t = await startTestApp({ database: 'sqlite', clock, env: { ...dingtalkEnv(ding, DING), DUBAN_OUTBOX_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
  });

  it('P2: 300 notices for one chat leave as a few digests, each notice in exactly one of them', async () => {
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const group = (await org.createGroup({ platform: 'dingtalk', externalId: DING_GROUP, name: '发改委督办群', unitId: unit, purpose: 'unit' })).id;
    // clue_notice carries its own words: numbered, so each can be found.
    const messages = Array.from({ length: 300 }, (_, n): OutgoingMessage => ({
      kind: 'clue_notice',
      target: `group:${group}`,
      itemId: null,
      payload: { text: `【线索】#${String(n).padStart(4, '0')}# 请及时处理。` },
      dedupeKey: `digest-sqlite:${n}`,
      dueAt: clock.now(),
      hold: false,
    }));
    await inTransaction(t.db, async (em) => {
      for (let i = 0; i < messages.length; i += 100) await t.get(OutboxWriter).enqueue(em, messages.slice(i, i + 100));
    });
    await eventually(async () => (await t.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 30_000, 'the outbox drained');
    const texts = (ding.groupMessages(DING_GROUP) as { msgParam?: { text?: string } }[]).map((m) => String(m.msgParam?.text ?? ''));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.length).toBeLessThan(20);
    const seen = Array.from({ length: 300 }, (_, n) => texts.reduce((s, x) => s + x.split(`#${String(n).padStart(4, '0')}#`).length - 1, 0));
    expect(seen).toEqual(Array(300).fill(1));
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'sent' })).toBe(300);
  });
});
