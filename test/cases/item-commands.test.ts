import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { DomainError } from '../../src/shared/errors';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemQueriesService } from '../../src/cases/item-queries.service';
import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { RegisterInput, RegistrationService } from '../../src/cases/registration.service';
import { SettingsService } from '../../src/settings/settings.service';
import { LedgerService } from '../../src/cases/ledger.service';
import { CalendarService } from '../../src/calendar/calendar.service';
import { unitStanding } from '../../src/cases/overdue.rules';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Service tests on real MariaDB (no mocked repositories): the paths the HTTP walk does not take. */
describe('item commands on MariaDB', () => {
  let t: TestApp;
  let org: Org;
  let reg: RegistrationService;
  let cmd: ItemCommandsService;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') });
    org = await seedOrg(t);
    reg = t.get(RegistrationService);
    cmd = t.get(ItemCommandsService);
  });
  afterAll(() => t.close());

  const base = (over: Partial<RegisterInput> = {}): RegisterInput => ({
    title: '服务测试',
    content: '内容',
    source: 'hotline',
    ownerId: org.owner.id,
    leaderId: org.leader.id,
    leadUnitId: org.units.lead,
    ...over,
  });
  const refusal = async (p: Promise<unknown>): Promise<DomainError> => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  };
  async function inProgress(over: Partial<RegisterInput> = {}): Promise<string> {
    const item = await reg.register(base(over), org.supervisor.actor);
    await cmd.assign(item.number, org.owner.actor);
    await cmd.sign(item.number, org.leadContact.actor);
    return item.number;
  }
  const state = async (n: string) => (await t.db.getRepository(Item).findOneByOrFail({ number: n })).state;

  it('D1: with a 服务对象, 3 refusals open the verification path; a passed 专家论证 leads to review and closure', async () => {
    const n = await inProgress({ servedParty: '市民张某' });
    const missing = await refusal(cmd.requestClosure(n, org.leadContact.actor, { summary: '已办结' }));
    expect(missing.code).toBe('CLOSURE.AGREEMENT_REQUIRED');
    expect((await refusal(cmd.verify(n, org.owner.actor, { method: 'expert_review', passed: true, note: '' }))).code).toBe('CLOSURE.VERIFICATION_TOO_EARLY');
    for (const attempt of [1, 2, 3]) {
      const r = await cmd.requestClosure(n, org.leadContact.actor, { summary: `第${attempt}次`, servedPartyAgreed: false });
      expect(r).toMatchObject({ status: 'failed_agreement', failedAttempts: attempt, verificationAllowed: attempt === 3 });
      expect(await state(n)).toBe('in_progress');
    }
    await cmd.verify(n, org.owner.actor, { method: 'public_evaluation', passed: true, note: '满意度92%' });
    expect(await state(n)).toBe('under_review');
    await cmd.rate(n, org.owner.actor, 'excellent');
    await cmd.signOff(n, org.leader.actor);
    expect(await state(n)).toBe('closed');
  });

  it('D1: a 服务对象 who agrees lets the closure request through at once', async () => {
    const n = await inProgress({ servedParty: '市民李某' });
    expect(await cmd.requestClosure(n, org.leadContact.actor, { summary: '已办结', servedPartyAgreed: true })).toMatchObject({ status: 'pending' });
    expect(await state(n)).toBe('closure_requested');
  });

  it('D2: 不合格 returns the item to the unit and tells the lead unit in its group', async () => {
    const n = await inProgress();
    await cmd.requestClosure(n, org.leadContact.actor, { summary: '已办结' });
    await cmd.rate(n, org.owner.actor, 'fail', '问题未解决');
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    expect(item).toMatchObject({ state: 'in_progress', rating: null });
    const notices = await t.db.getRepository(OutboxMessage).findBy({ itemId: item.id, kind: 'returned_notice' });
    expect(notices.map((m) => m.target)).toEqual([`group:${org.groups.lead}`]);
    expect(notices[0].payload).toMatchObject({ rating: 'fail', reason: '问题未解决' });
  });

  const answeredAt = async (n: string) => (await t.db.getRepository(Item).findOneByOrFail({ number: n })).answeredAt;

  it("A1 — the unit's answer is a stored fact: the first report (反馈) of the node sets item.answered_at, a later one keeps it, 退回 (F2) clears it", async () => {
    const n = await inProgress();
    expect(await answeredAt(n)).toBeNull();
    t.clock.set(new Date('2026-03-02T02:00:00Z'));
    await cmd.report(n, org.leadContact.actor, '已开展排查');
    expect(await answeredAt(n)).toEqual(new Date('2026-03-02T02:00:00Z'));
    t.clock.set(new Date('2026-03-02T03:00:00Z'));
    await cmd.report(n, org.leadContact.actor, '进展');
    expect(await answeredAt(n)).toEqual(new Date('2026-03-02T02:00:00Z'));
    await cmd.returnWork(n, org.owner.actor, '情况不实');
    expect(await answeredAt(n)).toBeNull();
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });

  it('A1 — a closure request (申请办结) answers the node; 不合格 returns it and clears the answer; an approved extension starts a new node', async () => {
    const n = await inProgress({ deadline: { date: '2026-03-20' } });
    t.clock.set(new Date('2026-03-02T04:00:00Z'));
    await cmd.requestClosure(n, org.leadContact.actor, { summary: '已办结' });
    expect(await answeredAt(n)).toEqual(new Date('2026-03-02T04:00:00Z'));
    await cmd.rate(n, org.owner.actor, 'fail', '问题未解决');
    expect(await answeredAt(n)).toBeNull();
    await cmd.report(n, org.leadContact.actor, '重新办理中');
    expect(await answeredAt(n)).not.toBeNull();
    const { requestId } = await cmd.requestExtension(n, org.leadContact.actor, { newDeadline: new Date('2026-03-27T10:00:00Z'), reason: '理由', plan: '方案' });
    await cmd.decideExtension(n, org.owner.actor, requestId, true);
    expect(await answeredAt(n)).toBeNull();
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });

  it('F2: returning when there is no report to return is refused', async () => {
    const n = await inProgress();
    expect((await refusal(cmd.returnWork(n, org.owner.actor, '不合要求'))).code).toBe('RETURN.NOTHING');
  });

  it('C4: a decision decomposed into one child per unit; the parent waits, and closes when the last child closes', async () => {
    const parent = await reg.register(base({ title: '全市营商环境优化' }), org.supervisor.actor);
    const children = await reg.decompose(
      parent.number,
      [
        { unitId: org.units.lead, deadline: { workingDays: 5 } },
        { unitId: org.units.co, deadline: { node: '3d' } },
      ],
      org.owner.actor,
    );
    expect(children.map((c) => c.title)).toEqual(['全市营商环境优化（市发展改革委）', '全市营商环境优化（市财政局）']);
    expect(children.map((c) => c.parentId)).toEqual([parent.id, parent.id]);
    // 5 working days from Monday 2026-03-02 is Monday 2026-03-09, 18:00 Shanghai.
    expect(children[0].deadlineAt.toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect((await refusal(cmd.assign(parent.number, org.owner.actor))).code).toBe('CASE.DECOMPOSED');
    const contacts = { [org.units.lead]: org.leadContact, [org.units.co]: org.coContact };
    for (const [i, child] of children.entries()) {
      const contact = contacts[[org.units.lead, org.units.co][i]];
      await cmd.assign(child.number, org.owner.actor);
      await cmd.sign(child.number, contact.actor);
      await cmd.requestClosure(child.number, contact.actor, { summary: '完成' });
      await cmd.rate(child.number, org.owner.actor, 'good');
      await cmd.signOff(child.number, org.leader.actor);
      expect(await state(parent.number)).toBe(i === 0 ? 'registered' : 'closed');
    }
    const last = await t.db.getRepository(ItemEvent).findOne({ where: { itemId: parent.id }, order: { id: 'DESC' } });
    expect(last).toMatchObject({ type: 'closed_by_children', channel: 'system', actorName: '系统', toState: 'closed' });
  });

  it('E1 (001 §16: 承办单位须提前2天提出延期办结申请): counted in working days before the deadline day; refused in Chinese naming the last day; the 2 days are data', async () => {
    const n = await inProgress({ deadline: { date: '2026-03-06' } }); // Friday 18:00: Thursday is 1 day before, Wednesday 2
    const inTime = await inProgress({ deadline: { date: '2026-03-06' } });
    t.clock.set(new Date('2026-03-04T15:59:00Z')); // Wednesday 23:59: still in time
    await cmd.requestExtension(inTime, org.leadContact.actor, { newDeadline: new Date('2026-03-13T10:00:00Z'), reason: '理由', plan: '方案' });
    t.clock.set(new Date('2026-03-04T16:00:00Z')); // Thursday 00:00: too late
    const late = await refusal(cmd.requestExtension(n, org.leadContact.actor, { newDeadline: new Date('2026-03-13T10:00:00Z'), reason: '理由', plan: '方案' }));
    expect(late.code).toBe('EXTENSION.TOO_LATE');
    expect(late.kind).toBe('conflict');
    expect(late.message).not.toContain('E1');
    expect(late.message).toBe(
      `延期须在期限前至少2个工作日提出。本事项期限 2026-03-06 18:00，最迟应于 2026年3月4日（含当日）申请，现已超过，不能再申请延期。请按期办结：/办结 ${n} 办理情况；确实无法按期完成的，请反馈原因：/反馈 ${n} 未能按期完成的原因。`,
    );
    // An admin relaxes the policy to 1 day: the same request now goes through.
    await t.get(SettingsService).put('deadline', { extensionMinDaysBefore: 1 });
    await cmd.requestExtension(n, org.leadContact.actor, { newDeadline: new Date('2026-03-13T10:00:00Z'), reason: '理由', plan: '方案' });
    await t.get(SettingsService).put('deadline', { extensionMinDaysBefore: 2 });
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });

  it('C1: concurrent registrations get distinct consecutive numbers, and a new year starts at 0001', async () => {
    const before = await t.db.getRepository(Item).count();
    const items = await Promise.all(Array.from({ length: 12 }, (_, i) => reg.register(base({ title: `并发${i}` }), org.supervisor.actor)));
    const seqs = items.map((i) => Number(i.number.slice(-4))).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(12);
    expect(seqs[11] - seqs[0]).toBe(11);
    expect(seqs[11]).toBe(before + 12);
    t.clock.set(new Date('2026-12-31T16:00:00Z')); // 2027-01-01 00:00 in Shanghai
    expect((await reg.register(base({ deadline: { node: '1d' } }), org.supervisor.actor)).number).toBe('DB2027-0001');
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });

  it('签收 twice is refused; two simultaneous clicks produce one signature', async () => {
    const item = await reg.register(base(), org.supervisor.actor);
    await cmd.assign(item.number, org.owner.actor);
    const results = await Promise.allSettled([cmd.sign(item.number, org.leadContact.actor), cmd.sign(item.number, org.leadContact.actor)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['CASE.ALREADY_SIGNED', 'CASE.CONCURRENT_UPDATE']).toContain((failed.reason as DomainError).code);
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'signed' })).toBe(1);
    expect((await refusal(cmd.sign(item.number, org.leadContact.actor))).code).toBe('CASE.ALREADY_SIGNED');
  });

  it('P1: a unit without a group is reached through its contacts one to one', async () => {
    const item = await reg.register(base({ leadUnitId: org.units.other }), org.supervisor.actor);
    await cmd.assign(item.number, org.owner.actor);
    const cards = await t.db.getRepository(OutboxMessage).findBy({ itemId: item.id, kind: 'assignment_card' });
    expect(cards.map((c) => c.target)).toEqual([`person:${org.otherContact.id}`]);
  });

  it("B3 — 红灯 means one thing, the unit's answer did not come by the deadline (A1): the lights, the SQL 逾期 filter and the light counts agree with unitStanding()", async () => {
    const q = t.get(ItemQueriesService);
    const ledger = t.get(LedgerService);
    const mk = (title: string, date: string) => inProgress({ title, source: 'superior', deadline: { date } });
    t.clock.set(new Date('2026-03-02T01:00:00Z')); // Monday 09:00
    const silent = await mk('未反馈', '2026-03-03');
    const reported = await mk('按期反馈', '2026-03-03');
    await cmd.report(reported, org.leadContact.actor, '已完成排查');
    const asked = await mk('按期申请办结', '2026-03-03');
    await cmd.requestClosure(asked, org.leadContact.actor, { summary: '已办结' });
    const never = (await reg.register(base({ title: '未交办', source: 'superior', deadline: { date: '2026-03-03' } }), org.supervisor.actor)).number;
    const soon = await mk('明日到期', '2026-03-05');
    const later = await mk('下周到期', '2026-03-13');
    const done = await mk('已办结', '2026-03-03');
    await cmd.requestClosure(done, org.leadContact.actor, { summary: '完成' });
    await cmd.rate(done, org.owner.actor, 'good');
    t.clock.set(new Date('2026-03-04T12:00:00Z')); // Wednesday 20:00: the 03-03 deadlines have passed
    await cmd.signOff(done, org.leader.actor); // the leader signs late: the unit is not late for it
    const expected: Record<string, string> = {
      [silent]: 'red',
      [reported]: 'green',
      [asked]: 'green',
      [never]: 'yellow',
      [soon]: 'yellow',
      [later]: 'green',
      [done]: 'done',
    };
    const all = await q.list({ source: 'superior', pageSize: 500 }, org.supervisor.actor);
    expect(Object.fromEntries(all.items.map((i) => [i.number, i.light]))).toEqual(expected);
    const items = await t.db.getRepository(Item).findBy({ source: 'superior' });
    const cal = await t.get(CalendarService).calendar();
    const late = items.filter((i) => unitStanding(i, t.clock.now(), cal).standing === 'late' && !['closed', 'archived'].includes(i.state)).map((i) => i.number);
    expect(late).toEqual([silent]);
    expect((await q.list({ source: 'superior', overdue: true }, org.supervisor.actor)).items.map((i) => i.number)).toEqual(late);
    expect((await q.list({ source: 'superior', overdue: false, pageSize: 500 }, org.supervisor.actor)).items.map((i) => i.number).sort()).toEqual(
      items
        .map((i) => i.number)
        .filter((n) => !late.includes(n))
        .sort(),
    );
    expect((await ledger.page({ source: 'superior' }, org.supervisor.actor)).lights).toEqual({ red: 1, yellow: 2, green: 3, done: 1 });
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });

  it('lists filter by unit, source, state and overdue', async () => {
    const q = t.get(ItemQueriesService);
    const n = await inProgress({ source: 'cppcc_proposal', leadUnitId: org.units.lead, deadline: { node: '1d' } });
    expect((await q.list({ source: 'cppcc_proposal' }, org.supervisor.actor)).items.map((i) => i.number)).toEqual([n]);
    expect((await q.list({ overdue: true }, org.supervisor.actor)).items.map((i) => i.number)).not.toContain(n);
    t.clock.advance(34 * 3600_000); // a 1d node registered Monday 09:00 ends Tuesday 18:00; now Tuesday 19:00
    expect((await q.list({ overdue: true, source: 'cppcc_proposal' }, org.supervisor.actor)).items.map((i) => [i.number, i.light])).toEqual([[n, 'red']]);
    expect((await q.list({ unitId: org.units.co, source: 'cppcc_proposal' }, org.supervisor.actor)).total).toBe(0);
    t.clock.set(new Date('2026-03-02T01:00:00Z'));
  });
});
