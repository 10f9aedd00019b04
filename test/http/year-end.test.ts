import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { YearEndService } from '../../src/cases/year-end.service';
import { OrgService } from '../../src/org/org.service';
import { MessageKinds } from '../../src/outbox/message-kinds';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import type { Board } from '../../src/shared/vocabulary';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * R7 年底清零 (001 重点工作任务制度 §4.3: 年底清零。即所有事项年底都要销号清零，做到件件有结果) on 2026-12 with an injected
 * clock: who is told what, on which days, and never twice.
 */
describe('年底清零: the open key tasks and reforms on the last working days of 2026', () => {
  let t: TestApp;
  let org: Org;
  let secondOwner: number;
  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-12-01', '09:00') });
    org = await seedOrg(t);
    secondOwner = (await t.get(OrgService).createPerson({ name: '改革科周科长', roles: [{ role: 'owner' }] })).id;
    const reg = (title: string, board: Board, ownerId: number) =>
      t.get(RegistrationService).register(
        {
          title,
          content: '内容',
          source: 'work_report',
          board,
          ownerId,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          deadline: { date: '2026-12-31' },
        },
        org.supervisor.actor,
      );
    await reg('保障性住房建设', 'key_task', org.owner.id);
    await reg('国企改革三年行动', 'reform', org.owner.id);
    const done = await reg('已办结的重点任务', 'key_task', org.owner.id);
    await t.db.getRepository(Item).update({ id: done.id }, { state: 'closed' });
    await reg('日常事项不在清零之列', 'daily', org.owner.id);
    await reg('营商环境改革', 'reform', secondOwner);
  });
  afterAll(() => t.close());

  const yearEndMessages = () =>
    t.db.getRepository(OutboxMessage).find({ where: [{ kind: 'year_end_owner' }, { kind: 'year_end_summary' }], order: { id: 'ASC' } });
  const run = (day: string, time: string) => t.get(YearEndService).check(shanghaiInstant(day, time));
  const textOf = async (m: OutboxMessage) => (await t.get(MessageKinds).textOf(m.kind)!(m)).text;

  it('R7 — nothing before the last 5 working days, nor before office hours on the first of them', async () => {
    expect(await run('2026-12-24', '10:00')).toBe(0);
    expect(await run('2026-12-25', '08:30')).toBe(0);
    expect(await yearEndMessages()).toEqual([]);
  });

  it('R7 — on 12-25 each owner is told once which of their items are open and what to do; the 督查室 gets the summary', async () => {
    expect(await run('2026-12-25', '09:00')).toBe(3);
    const msgs = await yearEndMessages();
    expect(msgs.map((m) => [m.kind, m.target])).toEqual([
      ['year_end_owner', `person:${org.owner.id}`],
      ['year_end_owner', `person:${secondOwner}`],
      ['year_end_summary', `person:${org.supervisor.id}`],
    ]);
    const mine = await textOf(msgs[0]);
    expect(mine).toContain('您负责的以下2项尚未办结');
    expect(mine).toContain('「保障性住房建设」（主办：市发展改革委，期限 2026-12-31 18:00）');
    expect(mine).toContain('「国企改革三年行动」');
    expect(mine).not.toContain('已办结的重点任务');
    expect(mine).not.toContain('日常事项');
    expect(mine).toContain('请督促承办单位抓紧办结；确实无法在年底前办结的，请承办单位书面说明原因');
    const summary = await textOf(msgs[2]);
    expect(summary).toContain('截至2026-12-25，2026年度重点工作任务、重大改革事项尚有3项未办结，涉及立项主体2个');
    expect(summary).toContain('改革科周科长（1项）');
  });

  it('R7 — never twice: the same day again, or the weekend between the check days, adds nothing; the next check day tells them again', async () => {
    expect(await run('2026-12-25', '15:00')).toBe(0);
    expect(await run('2026-12-26', '10:00')).toBe(0); // Saturday
    expect(await yearEndMessages()).toHaveLength(3);
    // An item closed meanwhile is no longer named, even in a message already queued.
    const first = (await yearEndMessages())[0];
    const housing = await t.db.getRepository(Item).findOneByOrFail({ title: '保障性住房建设' });
    await t.db.getRepository(Item).update({ id: housing.id }, { state: 'closed' });
    expect(await textOf(first)).toContain('您负责的以下1项尚未办结');
    expect(await run('2026-12-28', '09:30')).toBe(3);
    expect((await yearEndMessages()).map((m) => m.dedupeKey).slice(3)).toEqual([
      `yearend:2026-12-28:person:${org.owner.id}`,
      `yearend:2026-12-28:person:${secondOwner}`,
      `yearend:2026-12-28:person:${org.supervisor.id}`,
    ]);
  });

  it('GET /api/ledger/year-end — the open items and the check days, for the console; a bad year is refused in Chinese', async () => {
    t.clock.set(shanghaiInstant('2026-12-28', '10:00'));
    const r = await t.http().get('/api/ledger/year-end').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toMatchObject({ year: 2026, checkDays: ['2026-12-25', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'], open: 2 });
    expect(r.body.items.map((i: { title: string; owner: string; stateLabel: string }) => [i.title, i.owner])).toEqual([
      ['国企改革三年行动', '李秘书长'],
      ['营商环境改革', '改革科周科长'],
    ]);
    const bad = await t.http().get('/api/ledger/year-end?year=abc').set(bearer(org.supervisor)).expect(400);
    expect(bad.body.message).toContain('年度');
    await t.http().get('/api/ledger/year-end').set(bearer(org.leadContact)).expect(403);
  });
});
