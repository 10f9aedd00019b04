import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { DEFAULT_POLICIES, ReminderPolicy } from './reminder.policy';
import { coalesce, deferForQuietHours, planReminders, PlannedReminder, ScheduleInput } from './schedule.rules';

const calendar = new WorkCalendar(chineseDaysSource());
/** '2026-03-02 09:00' Shanghai wall clock → the instant. */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const utc = (s: string) => sh(s).toISOString();
const policy = (id: string): ReminderPolicy => DEFAULT_POLICIES.find((p) => p.id === id) as ReminderPolicy;
const QUIET = { start: '22:00', end: '08:00' };

function plan(over: Partial<ScheduleInput['item']>, opts: { policy?: string; from?: string; until?: string; cal?: WorkCalendar } = {}) {
  const item: ScheduleInput['item'] = {
    id: 42,
    board: 'daily',
    source: 'meeting',
    state: 'in_progress',
    registeredAt: sh('2026-03-02 09:00'),
    deadlineAt: sh('2026-03-03 09:00'), // 1d node
    lastReportAt: null,
    ...over,
  };
  return planReminders({
    item,
    policy: policy(opts.policy ?? 'daily'),
    calendar: opts.cal ?? calendar,
    from: opts.from ? sh(opts.from) : item.registeredAt,
    until: sh(opts.until ?? '2026-12-31 23:59'),
  });
}
/** [UTC ISO, kind, audience, rule]: compared against instants written in Shanghai time. */
const rows = (rs: PlannedReminder[]) => rs.map((r) => [r.dueAt.toISOString(), r.kind, r.audience, r.rule]);
const row = (local: string, kind: string, audience = 'unit', rule = 'R4') => [utc(local), kind, audience, rule];

/** The full 13710 timeline of a 1d item registered Monday 2026-03-02 09:00 (deadline Tuesday 09:00). */
const TIMELINE_1D = [
  row('2026-03-03 04:00', 'before_deadline', 'unit', 'R1'),
  row('2026-03-03 12:00', 'overdue_urge'), // +3 h
  row('2026-03-03 14:00', 'after_deadline', 'unit', 'R1'), // 逾期5小时
  row('2026-03-03 15:00', 'overdue_urge'), // +6
  row('2026-03-03 18:00', 'overdue_urge'),
  row('2026-03-03 21:00', 'overdue_urge'),
  row('2026-03-04 00:00', 'overdue_urge'),
  row('2026-03-04 03:00', 'overdue_urge'),
  row('2026-03-04 06:00', 'overdue_urge'),
  row('2026-03-04 09:00', 'after_deadline', 'unit', 'R1'), // 逾期1天 (+24 h, replaces the cadence slot)
  row('2026-03-04 11:00', 'overdue_urge'), // +26: every 2 h now
  row('2026-03-04 13:00', 'overdue_urge'),
  row('2026-03-04 15:00', 'overdue_urge'),
  row('2026-03-04 17:00', 'overdue_urge'),
  row('2026-03-04 19:00', 'overdue_urge'),
  row('2026-03-04 21:00', 'overdue_urge'),
  row('2026-03-04 23:00', 'overdue_urge'),
  row('2026-03-05 01:00', 'overdue_urge'),
  row('2026-03-05 03:00', 'overdue_urge'),
  row('2026-03-05 05:00', 'overdue_urge'),
  row('2026-03-05 07:00', 'overdue_urge'),
  row('2026-03-05 09:00', 'leader_escalation', 'leader', 'R4'), // then tell the owner's leader
  row('2026-03-05 09:00', 'after_deadline', 'unit', 'R1'), // 逾期2天 (+48 h)
  row('2026-03-06 09:00', 'key_supervision', 'supervision_office', 'R5'), // 逾期3天 重点督办
];

describe('planReminders — the 13710 deadline node (R1, R4, R5)', () => {
  it('R1+R4+R5: walks a 1d item registered 2026-03-02 09:00 — every dueAt exactly', () => {
    expect(rows(plan({}))).toEqual(TIMELINE_1D);
  });

  it('R4: 逾期1天内每3小时提醒1次，逾期2天内每2小时提醒1次 — cadence slots in hours after the deadline', () => {
    const deadline = sh('2026-03-03 09:00').getTime();
    const hours = plan({})
      .filter((r) => r.kind === 'overdue_urge')
      .map((r) => (r.dueAt.getTime() - deadline) / 3_600_000);
    // 24 and 48 are cadence slots too, sent once as the R1 "逾期1天/2天" reminder (one message per instant).
    expect(hours).toEqual([3, 6, 9, 12, 15, 18, 21, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46]);
  });

  it('keys are unique, stable and name item, kind, audience and instant', () => {
    const rs = plan({});
    expect(new Set(rs.map((r) => r.key)).size).toBe(rs.length);
    expect(rs[0].key).toBe('42:before_deadline:unit:2026-03-02T20:00:00.000Z');
    expect(plan({}).map((r) => r.key)).toEqual(rs.map((r) => r.key));
  });

  it('the window is [from, until): a tick mid-way only sees what is left, and until is exclusive', () => {
    const rs = plan({}, { from: '2026-03-05 01:00', until: '2026-03-06 09:00' });
    expect(rows(rs)).toEqual(TIMELINE_1D.slice(17, 23));
  });

  it('R1: 截止时限前5小时 is not planned before the item existed (registered 3 h before its deadline)', () => {
    // from before registration (a preview window): the 04:00 slot still must not appear.
    const rs = plan({ registeredAt: sh('2026-03-03 06:00') }, { from: '2026-03-03 00:00' });
    expect(rows(rs)).toEqual(TIMELINE_1D.slice(1));
  });

  it.each(['draft', 'closure_requested', 'under_review', 'pending_approval', 'closed', 'archived'] as const)(
    'nothing is planned in state %s (closed, or the unit already asked for closure)',
    (state) => expect(plan({ state })).toEqual([]),
  );

  it('rejects a window that ends before it starts, and a cadence that would never advance', () => {
    expect(() => plan({}, { from: '2026-03-05 00:00', until: '2026-03-04 00:00' })).toThrow(RangeError);
    const bad = { ...policy('daily'), overdueCadence: [{ untilHours: 24, everyHours: 0 }] };
    const item = {
      id: 1,
      board: 'daily' as const,
      source: 'meeting' as const,
      state: 'in_progress' as const,
      registeredAt: sh('2026-03-02 09:00'),
      deadlineAt: sh('2026-03-03 09:00'),
      lastReportAt: null,
    };
    expect(() => planReminders({ item, policy: bad, calendar, from: item.registeredAt, until: sh('2026-03-09 00:00') })).toThrow(/everyHours/);
  });
});

describe('R3: 承办单位提前报送情况的，对应提醒自动取消', () => {
  it('a report before the deadline (提前报送) cancels every reminder of the node', () => {
    expect(plan({ lastReportAt: sh('2026-03-03 02:00') })).toEqual([]);
  });

  it('a late report cancels what is still to come — no leader, no 重点督办 — and keeps what was already due', () => {
    expect(rows(plan({ lastReportAt: sh('2026-03-04 10:30') }))).toEqual(TIMELINE_1D.slice(0, 10));
  });

  it('a report arriving exactly when a reminder falls due makes that reminder pointless too', () => {
    expect(rows(plan({ lastReportAt: sh('2026-03-03 12:00') }))).toEqual(TIMELINE_1D.slice(0, 1));
  });

  it('a report from before the node began answers nothing (e.g. before an approved extension, E1)', () => {
    expect(rows(plan({ lastReportAt: sh('2026-03-01 10:00') }))).toEqual(TIMELINE_1D);
    const extended = plan({ nodeStartAt: sh('2026-03-02 12:00'), lastReportAt: sh('2026-03-02 10:00') });
    expect(rows(extended)).toEqual(TIMELINE_1D);
  });
});

describe('R10: quiet hours 22:00–08:00 and one digest per recipient and instant', () => {
  it.each([
    ['2026-03-02 23:00', '2026-03-03 08:00', '23:00 → 08:00 next day'],
    ['2026-03-02 22:00', '2026-03-03 08:00', 'the window start is inside'],
    ['2026-03-03 00:00', '2026-03-03 08:00', 'midnight'],
    ['2026-03-03 03:00', '2026-03-03 08:00', 'nobody is woken at 3 a.m.'],
    ['2026-03-03 07:59', '2026-03-03 08:00', 'one minute before the end'],
    ['2026-03-03 08:00', '2026-03-03 08:00', 'the window end is outside'],
    ['2026-03-03 21:59', '2026-03-03 21:59', 'before the window'],
    ['2026-12-31 23:30', '2027-01-01 08:00', 'across the year end'],
  ])('%s → %s (%s)', (due, want) => {
    expect(deferForQuietHours(sh(due), QUIET).toISOString()).toBe(utc(want));
  });

  it('a window that does not cross midnight (12:00–14:00), an empty one, and a malformed one', () => {
    expect(deferForQuietHours(sh('2026-03-03 13:00'), { start: '12:00', end: '14:00' }).toISOString()).toBe(utc('2026-03-03 14:00'));
    expect(deferForQuietHours(sh('2026-03-03 23:00'), { start: '12:00', end: '14:00' }).toISOString()).toBe(utc('2026-03-03 23:00'));
    expect(deferForQuietHours(sh('2026-03-03 03:00'), { start: '00:00', end: '00:00' }).toISOString()).toBe(utc('2026-03-03 03:00'));
    expect(() => deferForQuietHours(sh('2026-03-03 03:00'), { start: '22:00', end: '8:00' })).toThrow(/HH:MM/);
  });

  const delivered = () =>
    coalesce(
      plan({}).map((r) => ({
        ...r,
        dueAt: deferForQuietHours(r.dueAt, QUIET),
        recipient: r.audience === 'unit' ? 'contact:zhang' : r.audience,
      })),
    );

  it('R10: five reminders for one contact that fall due at 08:00 become one digest (23:00, 01:00, 03:00, 05:00, 07:00)', () => {
    const digest = delivered().find((d) => d.dueAt.toISOString() === utc('2026-03-05 08:00'))!;
    expect(digest.recipient).toBe('contact:zhang');
    // Each keeps the key of its planned instant, so the outbox stays idempotent whatever the deferral did.
    expect(digest.reminders.map((r) => r.key)).toEqual(
      ['2026-03-04 23:00', '2026-03-05 01:00', '2026-03-05 03:00', '2026-03-05 05:00', '2026-03-05 07:00'].map((t) => `42:overdue_urge:unit:${utc(t)}`),
    );
  });

  it('R10: the whole 1d timeline as delivered — nothing between 22:00 and 08:00, one message per recipient and instant', () => {
    const got = delivered().map((d) => [d.dueAt.toISOString(), d.recipient, d.reminders.length]);
    const zhang = (t: string, n = 1) => [utc(t), 'contact:zhang', n];
    expect(got).toEqual([
      zhang('2026-03-03 08:00'), // the 04:00 "5 h before"
      ...['12:00', '14:00', '15:00', '18:00', '21:00'].map((t) => zhang(`2026-03-03 ${t}`)),
      zhang('2026-03-04 08:00', 3), // 00:00, 03:00, 06:00
      ...['09:00', '11:00', '13:00', '15:00', '17:00', '19:00', '21:00'].map((t) => zhang(`2026-03-04 ${t}`)),
      zhang('2026-03-05 08:00', 5),
      zhang('2026-03-05 09:00'),
      [utc('2026-03-05 09:00'), 'leader', 1],
      [utc('2026-03-06 09:00'), 'supervision_office', 1],
    ]);
  });

  it('nobody gets the same reminder twice: a key repeated for one recipient appears once in the digest', () => {
    const r = plan({})[0];
    const out = coalesce([
      { ...r, recipient: 'a' },
      { ...r, recipient: 'a' },
      { ...r, recipient: 'b' },
    ]);
    expect(out.map((d) => [d.recipient, d.reminders.length])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(out[0].reminders[0]).toEqual(r);
  });
});
