import { TokenService } from '../../src/auth/token.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OrgService } from '../../src/org/org.service';
import { FixedClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 14 (defect 5): a month's or a quarter's 通报 only once the period is over (no "截至12月31日" drafted on
 * 12-15); the December 2026 issue is numbered TB2026-…, not TB2027-…; a draft may be deleted by the 督查室 before it is
 * submitted, and is kept on record after.
 */
describe('通报 periods, numbers and deleting a draft (issue 14)', () => {
  let t: TestApp;
  let clock: FixedClock;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    clock = new FixedClock(shanghaiInstant('2026-12-15', '10:00'));
    t = await startTestApp({ clock });
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    for (const [key, name, roles] of [
      ['sup', '王督查', [{ role: 'supervisor' as const }]],
      ['leader', '赵副市长', [{ role: 'leader' as const }]],
      ['contact', '陈联络', [{ role: 'unit_contact' as const, unitId: unit }]],
    ] as const) {
      const p = await org.createPerson({ name, roles: [...roles] });
      tokens[key] = (await t.get(TokenService).issue(p.id, 'test')).token;
    }
  });
  afterAll(() => t?.close());

  it('a month or a quarter not yet over is refused in Chinese, with when it can be drafted; a finished one is drafted', async () => {
    const http = t.http();
    const month = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-12' }).expect(400)).body;
    expect(month).toMatchObject({ code: 'BULLETIN.PERIOD_NOT_OVER' });
    expect(month.message).toBe('2026年12月尚未结束，月度通报须在2027年1月1日以后生成（届时数据才完整）；如需通报目前的重点督办情况，可生成重点督办通报。');
    const quarter = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026Q4' }).expect(400)).body;
    expect(quarter.message).toBe(
      '2026年第四季度尚未结束，季度通报须在2027年1月1日以后生成（届时数据才完整）；如需通报目前的重点督办情况，可生成重点督办通报。',
    );
    const november = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-11' }).expect(201)).body;
    expect(november).toMatchObject({ number: 'TB2026-0001', issue: '2026年第11期' });
  });

  it('December 2026, drafted in January 2027, is TB2026-…, 2026年第12期', async () => {
    clock.set(shanghaiInstant('2027-01-04', '09:00'));
    const december = (await t.http().post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-12' }).expect(201)).body;
    expect(december).toMatchObject({ number: 'TB2026-0002', issue: '2026年第12期', period: '2026年12月' });
    const q4 = (await t.http().post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026Q4' }).expect(201)).body;
    expect(q4.number).toBe('TB2026-0003');
  });

  it('the 督查室 deletes a draft never submitted; others may not; a submitted or returned one is kept, in Chinese', async () => {
    const http = t.http();
    await http.delete('/api/bulletins/TB2026-0001').set(auth('contact')).expect(403);
    await http.delete('/api/bulletins/TB2026-0001').set(auth('leader')).expect(403);
    expect((await http.delete('/api/bulletins/TB2026-0001').set(auth('sup')).expect(200)).body).toEqual({ number: 'TB2026-0001', deleted: true });
    await http.get('/api/bulletins/TB2026-0001').set(auth('sup')).expect(404);
    expect((await http.delete('/api/bulletins/TB2026-0001').set(auth('sup')).expect(404)).body.code).toBe('BULLETIN.NOT_FOUND');

    await http.post('/api/bulletins/TB2026-0002/submit').set(auth('sup')).expect(200);
    const pending = (await http.delete('/api/bulletins/TB2026-0002').set(auth('sup')).expect(409)).body;
    expect(pending).toMatchObject({ code: 'BULLETIN.NOT_DELETABLE' });
    expect(pending.message).toBe('通报 TB2026-0002 已提请领导审定，不能删除；如需撤回，请商请领导退回后再修改。');
    await http.post('/api/bulletins/TB2026-0002/reject').set(auth('leader')).send({ note: '数据待核' }).expect(200);
    const returned = (await http.delete('/api/bulletins/TB2026-0002').set(auth('sup')).expect(409)).body;
    expect(returned.message).toBe('通报 TB2026-0002 已提请过领导审定（被退回），审定记录须留存，不能删除；可修改后重新提请审定。');
    await http.get('/api/bulletins/TB2026-0002').set(auth('sup')).expect(200);
    // Any step out of turn says why and what comes next.
    expect((await http.post('/api/bulletins/TB2026-0002/publish').set(auth('sup')).send({}).expect(409)).body.message).toBe(
      '通报 TB2026-0002 还是草稿，尚未报领导审定，现在不能印发并推送至工作群。请先修改定稿，再提请领导审定。',
    );
  });

  it("no message at night: submitted at 23:10 and approved at 23:20, the card and the 督查室's notice wait for 08:00", async () => {
    const http = t.http();
    clock.set(shanghaiInstant('2027-01-04', '23:10'));
    await http.post('/api/bulletins/TB2026-0003/submit').set(auth('sup')).expect(200);
    clock.set(shanghaiInstant('2027-01-04', '23:20'));
    await http.post('/api/bulletins/TB2026-0003/approve').set(auth('leader')).send({}).expect(200);
    const rows = await t.db
      .getRepository(OutboxMessage)
      .find({ where: [{ kind: 'bulletin_approval_card' }, { kind: 'bulletin_notice' }], order: { id: 'ASC' } });
    const ours = rows.filter((r) => r.dueAt >= shanghaiInstant('2027-01-04', '12:00'));
    expect(ours.map((r) => [r.kind, r.dueAt.toISOString()])).toEqual([
      ['bulletin_approval_card', shanghaiInstant('2027-01-05', '08:00').toISOString()],
      ['bulletin_notice', shanghaiInstant('2027-01-05', '08:00').toISOString()],
    ]);
    expect(ours[1].payload.text).toBe(
      '通报 TB2026-0003（关于2026年第四季度督查督办事项落实情况的通报）已由赵副市长审定同意。请在督办系统中印发，推送至各工作群。',
    );
  });
});
