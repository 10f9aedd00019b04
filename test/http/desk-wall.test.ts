import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import type { Board } from '../../src/shared/vocabulary';
import { bearer, type Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 15: GET /api/desk and GET /api/wall — each person's own desk, and the wall within what they may see (P4). */
describe('GET /api/desk and GET /api/wall', () => {
  let t: TestApp;
  let org: Org;
  const n = { mine: '', theirs: '', daily: '', unassigned: '' };

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-04', '10:00') }); // a Wednesday
    org = await seedOrg(t);
    const reg = async (title: string, board: Board, leadUnitId: number, date: string, assign = true) => {
      const item = await t.get(RegistrationService).register(
        {
          title,
          content: '内容',
          source: 'work_report',
          board,
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId,
          coUnitIds: [],
          deadline: { date },
        },
        org.supervisor.actor,
      );
      if (assign) await t.get(ItemCommandsService).assign(item.number, org.supervisor.actor);
      return item.number;
    };
    n.mine = await reg('发改委的重点任务', 'key_task', org.units.lead, '2026-03-06');
    n.theirs = await reg('教育局的重点任务', 'key_task', org.units.other, '2026-03-20');
    n.daily = await reg('发改委的日常事项', 'daily', org.units.lead, '2026-03-20');
    n.unassigned = await reg('教育局的待交办事项', 'daily', org.units.other, '2026-03-27', false);
  });
  afterAll(() => t.close());

  it("a unit contact's desk: its items to sign, the week's deadline, nothing of another unit", async () => {
    const res = await t.http().get('/api/desk').set(bearer(org.leadContact)).expect(200);
    expect(res.body.roles).toEqual(['unit']);
    expect(res.body.toAssign).toEqual([]);
    expect(res.body.toSign.map((i: { number: string }) => i.number).sort()).toEqual([n.mine, n.daily].sort());
    expect(res.body.toSign[0].note).toBe('待签收');
    expect(res.body.dueThisWeek.items.map((i: { number: string }) => i.number)).toEqual([n.mine]);
    expect(res.body.weekEndsAt).toBe('2026-03-09T00:00:00+08:00');
    expect(res.body.lights).toEqual({ green: 2, yellow: 0, red: 0, done: 0 });
    expect(res.body.byUnit).toEqual([expect.objectContaining({ unitName: '市发展改革委' })]);
    expect(JSON.stringify(res.body)).not.toContain(n.theirs);
  });

  it("the 督查室's desk counts everything by unit and by source", async () => {
    const res = await t.http().get('/api/desk').set(bearer(org.supervisor)).expect(200);
    expect(res.body.roles).toEqual(['supervisor']);
    expect(res.body.toSign).toEqual([]);
    expect(res.body.toAssign.map((i: { number: string; note: string }) => `${i.number} ${i.note}`)).toEqual([`${n.unassigned} 已立项，待交办`]);
    expect(res.body.bySource).toEqual([{ source: 'work_report', label: '政府工作报告重点工作', count: 4 }]);
    expect(res.body.byUnit.map((u: { unitName: string }) => u.unitName).sort()).toEqual(['市发展改革委', '市教育局'].sort());
  });

  it('the wall: key tasks only, units × tasks, within the reader’s scope', async () => {
    const all = await t.http().get('/api/wall').set(bearer(org.supervisor)).expect(200);
    expect(all.body.title).toBe('重点工作挂图作战');
    expect(all.body.tasks.map((x: { number: string }) => x.number)).toEqual([n.mine, n.theirs]);
    expect(all.body.cells).toEqual(
      expect.arrayContaining([expect.objectContaining({ unitId: org.units.lead, number: n.mine, role: 'lead', signedAt: null, lastReportAt: null })]),
    );
    const own = await t.http().get('/api/wall').set(bearer(org.leadContact)).expect(200);
    expect(own.body.tasks.map((x: { number: string }) => x.number)).toEqual([n.mine]);
    expect(own.body.units).toEqual([{ id: org.units.lead, name: '市发展改革委' }]);
    const reform = await t.http().get('/api/wall?board=reform').set(bearer(org.supervisor)).expect(200);
    expect(reform.body.tasks).toEqual([]);
  });

  it('a board the wall does not know is refused in Chinese, with the choices', async () => {
    const res = await t.http().get('/api/wall?board=daily').set(bearer(org.supervisor)).expect(400);
    expect(res.body.message).toContain('「板块」须为以下之一：重点工作、重大改革、全部');
  });

  it('nobody signed in gets neither', async () => {
    await t.http().get('/api/desk').expect(401);
    await t.http().get('/api/wall').expect(401);
  });
});
