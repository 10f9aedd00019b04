import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { DEFAULT_POLICIES, policyFor, ReminderPolicy } from './reminder.policy';
import { BOARDS, SOURCES } from '../shared/vocabulary';
import {
  catchUp,
  coalesce,
  deferForQuietHours,
  diffPlans,
  holdForQuiet,
  planReminders,
  planWithNext,
  PlannedReminder,
  rectificationDueAt,
  ScheduleInput,
} from './schedule.rules';

const calendar = new WorkCalendar(chineseDaysSource());
/** '2026-03-02 09:00' Shanghai wall clock → the instant. */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const utc = (s: string) => sh(s).toISOString();
const policy = (id: string): ReminderPolicy => DEFAULT_POLICIES.find((p) => p.id === id) as ReminderPolicy;
const QUIET = { start: '22:00', end: '08:00' };

function plan(
  over: Partial<ScheduleInput['item']>,
  opts: { policy?: string; from?: string; until?: string; cal?: WorkCalendar; with?: Partial<ReminderPolicy> } = {},
) {
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
    // The R1/R4/R5 timelines below end with the cadence: issue 14's follow-up after it is off here and tested on its own.
    policy: { ...policy(opts.policy ?? 'daily'), overdueFollowUp: null, ...opts.with },
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
  // R4 (001 §14): 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调 — the owner office and its coordinating leader, never the D3 approver.
  row('2026-03-05 09:00', 'leader_escalation', 'coordinating_leader', 'R4'),
  row('2026-03-05 09:00', 'leader_escalation', 'owner', 'R4'),
  row('2026-03-05 09:00', 'after_deadline', 'unit', 'R1'), // 逾期2天 (+48 h)
  row('2026-03-06 09:00', 'key_supervision', 'supervision_office', 'R5'), // 逾期3天 重点督办
];

describe('planReminders — the 13710 deadline node (R1, R4, R5)', () => {
  it('R1+R4+R5: walks a 1d item registered 2026-03-02 09:00 — every dueAt exactly', () => {
    expect(rows(plan({}))).toEqual(TIMELINE_1D);
  });

  it('R4 — 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调: the escalation goes to the owner office and its coordinating leader, never to the D3 approver', () => {
    const escalation = plan({}).filter((r) => r.kind === 'leader_escalation');
    expect(escalation.map((r) => r.audience).sort()).toEqual(['coordinating_leader', 'owner']);
    expect(plan({}).some((r) => (r.audience as string) === 'leader')).toBe(false);
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
    expect(rows(rs)).toEqual(TIMELINE_1D.slice(17, 24));
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

describe('R3 and A1 agree on what answers the deadline node (one meaning of overdue)', () => {
  it("R3 — the node is answered by the unit's answer (item.answered_at): a report or a closure request before the deadline cancels the node", () => {
    expect(plan({ answeredAt: sh('2026-03-03 02:00'), lastReportAt: null })).toEqual([]);
  });

  it('R3 — an older report that still stands does not answer the node once the answer was returned (退回, F2): reminders resume, as A1 counts the unit late', () => {
    // The unit reported at 02:00 and again at 06:00; the owner returned the 06:00 report — the 02:00 one is still "submitted".
    expect(rows(plan({ answeredAt: null, lastReportAt: sh('2026-03-03 02:00') }))).toEqual(TIMELINE_1D);
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
        dueAt: r.sendAt,
        recipient: r.audience === 'unit' ? 'contact:zhang' : r.audience,
      })),
    );

  it('R10: five urges of one item for one contact that fall due at 08:00 (23:00, 01:00, 03:00, 05:00, 07:00) are one message with one line', () => {
    const digest = delivered().find((d) => d.dueAt.toISOString() === utc('2026-03-05 08:00'))!;
    expect(digest.recipient).toBe('contact:zhang');
    // The line keeps the key of the latest planned instant; the five rows are all marked sent by the dispatcher.
    expect(digest.reminders.map((r) => r.key)).toEqual([`42:overdue_urge:unit:${utc('2026-03-05 07:00')}`]);
  });

  it('R10: two items in one digest keep a line each, and a month-end request is not folded into a node reminder', () => {
    const [a] = plan({}).filter((r) => r.kind === 'overdue_urge');
    const b = { ...a, key: a.key.replace(/^42:/, '43:') };
    const m = { ...a, kind: 'month_end_urge' as const, key: a.key.replace('overdue_urge', 'month_end_urge') };
    const [d] = coalesce([a, b, m].map((r) => ({ ...r, recipient: 'x' })));
    expect(d.reminders.map((r) => r.key.split(':').slice(0, 2).join(':'))).toEqual(['42:overdue_urge', '43:overdue_urge', '42:month_end_urge']);
  });

  it('R10: the whole 1d timeline as delivered — nothing between 22:00 and 08:00, one message per recipient and instant', () => {
    const got = delivered().map((d) => [d.dueAt.toISOString(), d.recipient, d.reminders.length]);
    const zhang = (t: string, n = 1) => [utc(t), 'contact:zhang', n];
    expect(got).toEqual([
      zhang('2026-03-03 08:00'), // the 04:00 "5 h before"
      ...['12:00', '14:00', '15:00', '18:00', '21:00'].map((t) => zhang(`2026-03-03 ${t}`)),
      zhang('2026-03-04 08:00'), // 00:00, 03:00, 06:00: one line
      ...['09:00', '11:00', '13:00', '15:00', '17:00', '19:00', '21:00'].map((t) => zhang(`2026-03-04 ${t}`)),
      zhang('2026-03-05 08:00'), // five urges: one line
      zhang('2026-03-05 09:00'),
      [utc('2026-03-05 09:00'), 'coordinating_leader', 1],
      [utc('2026-03-05 09:00'), 'owner', 1],
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

/**
 * Issue 13 scope 2 on the 2026 calendar: 劳动节 05-01…05-05 (调休 Saturday 05-09), weekends. R4 (corrected):
 * 逾期1天内每3小时提醒1次，逾期2天内每2小时提醒1次 — counted in working time; nights, weekends and holidays are held
 * to the next working morning and coalesced.
 */
describe('R1, R4, R5 counted in working time; R10 quiet days (issue 13)', () => {
  const mayDay = { registeredAt: sh('2026-04-27 09:00'), deadlineAt: sh('2026-04-30 18:00') }; // Thursday, the day before 劳动节
  const mayPlan = (over: Partial<ScheduleInput['item']> = {}, w: Partial<ReminderPolicy> = {}) => plan({ ...mayDay, ...over }, { with: w });
  const sends = (rs: PlannedReminder[]) => rs.map((r) => [r.dueAt.toISOString(), r.sendAt.toISOString(), r.kind, r.held]);
  const send = (planned: string, sent: string, kind: string, held: string | null = null) => [utc(planned), utc(sent), kind, held];

  it('the calendar is what the tests assume: 04-30 works, 05-01…05-05 rest, 05-06…05-09 work', () => {
    expect(['2026-04-30', '2026-05-01', '2026-05-05', '2026-05-06', '2026-05-09'].map((d) => calendar.isWorkday(d))).toEqual([true, false, false, true, true]);
  });

  it('R1/R4: 逾期5小时、1天、2天 and the 3 h / 2 h cadence after a deadline of 04-30 18:00 count only working days', () => {
    const rs = mayPlan().filter((r) => r.audience === 'unit' && r.dueAt < sh('2026-05-06 16:00'));
    expect(sends(rs)).toEqual([
      send('2026-04-30 13:00', '2026-04-30 13:00', 'before_deadline'), // 截止时限前5小时
      send('2026-04-30 21:00', '2026-04-30 21:00', 'overdue_urge'), // +3 h, before the night
      send('2026-04-30 23:00', '2026-05-06 08:00', 'after_deadline', 'rest_day'), // 逾期5小时: night, then 劳动节
      send('2026-05-01 00:00', '2026-05-06 08:00', 'overdue_urge', 'rest_day'), // +6 h: the end of 04-30
      send('2026-05-06 03:00', '2026-05-06 08:00', 'overdue_urge', 'night'), // +9 h: the holiday added nothing
      send('2026-05-06 06:00', '2026-05-06 08:00', 'overdue_urge', 'night'),
      send('2026-05-06 09:00', '2026-05-06 09:00', 'overdue_urge'),
      send('2026-05-06 12:00', '2026-05-06 12:00', 'overdue_urge'),
      send('2026-05-06 15:00', '2026-05-06 15:00', 'overdue_urge'),
    ]);
    expect(rs.some((r) => r.sendAt >= sh('2026-05-01 00:00') && r.sendAt < sh('2026-05-06 00:00'))).toBe(false);
  });

  it('R4: 报请分管领导 at 2 working days (05-07 18:00, outside quiet hours); R5: 逾期3天 重点督办 at 3 working days (05-08 18:00)', () => {
    const rs = mayPlan();
    const at = (kind: string) => rs.filter((r) => r.kind === kind).map((r) => [r.dueAt.toISOString(), r.sendAt.toISOString()]);
    // To the owner office and its coordinating leader (R4), both at 48 working hours.
    expect(at('leader_escalation')).toEqual([
      [utc('2026-05-07 18:00'), utc('2026-05-07 18:00')],
      [utc('2026-05-07 18:00'), utc('2026-05-07 18:00')],
    ]);
    expect(at('key_supervision')).toEqual([[utc('2026-05-08 18:00'), utc('2026-05-08 18:00')]]);
    expect(rs.filter((r) => r.kind === 'after_deadline').map((r) => r.dueAt.toISOString())).toEqual(
      ['2026-04-30 23:00', '2026-05-06 18:00', '2026-05-07 18:00'].map(utc),
    );
  });

  it('R10: after 劳动节 the unit gets ONE message at 05-06 08:00 with ONE line for the item (the most important kind)', () => {
    const digests = coalesce(mayPlan().map((r) => ({ ...r, dueAt: r.sendAt, recipient: r.audience })));
    const unit = digests.filter((d) => d.recipient === 'unit');
    const line = (d: (typeof unit)[number]) => [d.dueAt.toISOString(), d.reminders.map((r) => r.kind).join()];
    expect(unit.filter((d) => d.dueAt < sh('2026-05-07 12:00')).map(line)).toEqual([
      [utc('2026-04-30 13:00'), 'before_deadline'],
      [utc('2026-04-30 21:00'), 'overdue_urge'],
      [utc('2026-05-06 08:00'), 'after_deadline'], // four reminders held over the holiday and the night: one line
      ...['09:00', '12:00', '15:00'].map((h) => [utc(`2026-05-06 ${h}`), 'overdue_urge']),
      [utc('2026-05-06 18:00'), 'after_deadline'], // 逾期1天
      [utc('2026-05-06 20:00'), 'overdue_urge'],
      [utc('2026-05-07 08:00'), 'overdue_urge'], // 22:00, 00:00 … 06:00: one line
      [utc('2026-05-07 10:00'), 'overdue_urge'],
    ]);
  });

  it('R10: a Friday 18:00 deadline — the weekend’s urges become ONE message Monday 08:00', () => {
    const rs = plan({ registeredAt: sh('2026-03-02 09:00'), deadlineAt: sh('2026-03-06 18:00') });
    const weekend = rs.filter((r) => r.dueAt > sh('2026-03-06 21:00') && r.sendAt <= sh('2026-03-09 08:00'));
    expect(weekend.map((r) => r.held)).toEqual(['rest_day', 'rest_day', 'night', 'night']);
    expect(new Set(weekend.map((r) => r.sendAt.toISOString()))).toEqual(new Set([utc('2026-03-09 08:00')]));
    const monday = coalesce(weekend.map((r) => ({ ...r, dueAt: r.sendAt, recipient: 'contact:zhang' })));
    expect(monday.map((d) => [d.dueAt.toISOString(), d.reminders.length])).toEqual([[utc('2026-03-09 08:00'), 1]]);
  });

  it('R3: a held reminder whose item was answered during the holiday is not sent; an item answered before the holiday gets nothing more', () => {
    const answeredInHoliday = mayPlan({ lastReportAt: sh('2026-05-03 10:00') });
    expect(sends(answeredInHoliday)).toEqual([
      send('2026-04-30 13:00', '2026-04-30 13:00', 'before_deadline'),
      send('2026-04-30 21:00', '2026-04-30 21:00', 'overdue_urge'),
    ]);
    expect(sends(mayPlan({ lastReportAt: sh('2026-04-30 20:00') }))).toEqual([send('2026-04-30 13:00', '2026-04-30 13:00', 'before_deadline')]);
  });

  it('R1: 截止时限前5小时 in working time — a deadline of Monday 2026-03-09 02:00 is reminded on Friday 21:00, not on Sunday night', () => {
    const rs = plan({ registeredAt: sh('2026-03-02 09:00'), deadlineAt: sh('2026-03-09 02:00') }).filter((r) => r.kind === 'before_deadline');
    expect(sends(rs)).toEqual([send('2026-03-06 21:00', '2026-03-06 21:00', 'before_deadline')]);
  });

  it('policy values: overdueClock "calendar" and quietDays false give the hour-by-hour clock and quiet hours only', () => {
    const rs = mayPlan({}, { overdueClock: 'calendar', quietDays: false });
    expect(rs.find((r) => r.kind === 'key_supervision')!.dueAt.toISOString()).toBe(utc('2026-05-03 18:00'));
    expect(sends(rs.filter((r) => r.dueAt >= sh('2026-05-01 00:00') && r.dueAt < sh('2026-05-01 06:00')))).toEqual([
      send('2026-05-01 00:00', '2026-05-01 08:00', 'overdue_urge', 'night'),
      send('2026-05-01 03:00', '2026-05-01 08:00', 'overdue_urge', 'night'),
    ]);
  });

  it.each<[string, string, string | null, string]>([
    ['2026-05-01 12:00', '2026-05-06 08:00', 'rest_day', 'a holiday noon'],
    ['2026-04-30 23:00', '2026-05-06 08:00', 'rest_day', 'a working night before a holiday'],
    ['2026-05-05 23:00', '2026-05-06 08:00', 'rest_day', 'the last holiday night'],
    ['2026-03-03 03:00', '2026-03-03 08:00', 'night', 'a working night'],
    ['2026-03-07 10:00', '2026-03-09 08:00', 'rest_day', 'a Saturday'],
    ['2026-05-09 10:00', '2026-05-09 10:00', null, 'the 调休 Saturday is a working day'],
    ['2026-03-03 10:00', '2026-03-03 10:00', null, 'a working day'],
  ])('holdForQuiet: %s → %s (%s: %s)', (due, want, held) => {
    expect(holdForQuiet(sh(due), policy('daily'), calendar)).toEqual({ sendAt: sh(want), held });
  });
});

describe('diffPlans — what a candidate policy changes for one item (the policy preview, issue 13)', () => {
  const mayDay = { registeredAt: sh('2026-04-27 09:00'), deadlineAt: sh('2026-04-30 18:00') };
  const window = { from: '2026-04-27 09:00', until: '2026-05-10 00:00' };

  it('the same policy changes nothing', () => {
    expect(diffPlans(plan(mayDay, window), plan(mayDay, window))).toEqual([]);
  });

  it('a reminder a day before the deadline is added; nothing else moves', () => {
    const after = plan(mayDay, { ...window, with: { beforeDeadline: [{ hours: 24 }, { hours: 5 }] } });
    expect(diffPlans(plan(mayDay, window), after)).toEqual([
      {
        change: 'added',
        kind: 'before_deadline',
        rule: 'R1',
        audience: 'unit',
        after: { plannedAt: sh('2026-04-29 18:00'), sendAt: sh('2026-04-29 18:00'), held: null },
      },
    ]);
  });

  it('turning quiet days off shows the holds it removes: the same reminders, sent during 劳动节', () => {
    const changes = diffPlans(plan(mayDay, window), plan(mayDay, { ...window, with: { quietDays: false } }));
    const first = changes[0];
    expect(first).toEqual({
      change: 'moved',
      kind: 'after_deadline',
      rule: 'R1',
      audience: 'unit',
      before: { plannedAt: sh('2026-04-30 23:00'), sendAt: sh('2026-05-06 08:00'), held: 'rest_day' },
      after: { plannedAt: sh('2026-04-30 23:00'), sendAt: sh('2026-05-01 08:00'), held: 'night' },
    });
    expect(changes.every((c) => c.change === 'moved')).toBe(true);
  });

  it('the calendar clock moves the cadence into the holiday: what comes after 04-30 21:00 moves, nothing is added or lost', () => {
    const changes = diffPlans(plan(mayDay, window), plan(mayDay, { ...window, with: { overdueClock: 'calendar', quietDays: false } }));
    const ks = changes.find((c) => c.kind === 'key_supervision')!;
    expect([ks.change, ks.before!.plannedAt, ks.after!.plannedAt]).toEqual(['moved', sh('2026-05-08 18:00'), sh('2026-05-03 18:00')]);
    expect(new Set(changes.map((c) => c.change))).toEqual(new Set(['moved']));
    expect(changes.some((c) => c.before!.plannedAt <= sh('2026-04-30 21:00'))).toBe(false);
  });
});

describe('R9: 整改时限为2个工作日(48小时)，并于第3日12:00前…报送 — counted from the day after the order, as C3 counts', () => {
  it.each([
    ['2026-03-02 17:50', '2026-03-05 12:00', 'issued Monday 17:50 → Tue, Wed (the 48 h), report by Thursday 12:00 (not Wednesday 12:00, 42 h)'],
    ['2026-03-02 09:00', '2026-03-05 12:00', 'issued Monday morning: the issue day never counts'],
    ['2026-04-29 10:00', '2026-05-07 12:00', 'issued Wednesday before 劳动节 → Thu 04-30, Wed 05-06, report by Thursday 05-07 12:00'],
    ['2026-03-07 10:00', '2026-03-11 12:00', 'issued on a Saturday → Mon, Tue, report by Wednesday 12:00'],
  ])('%s → %s (%s)', (issued, due) => {
    expect(rectificationDueAt(sh(issued), policy('rectification'), calendar).toISOString()).toBe(utc(due));
  });
});

describe('issue 14: the follow-up after R4 and the catch-up after downtime', () => {
  it('after the cadence (48 working hours), one urge at 09:00 each working day, none on the weekend; a report stops it (R3)', () => {
    const item = { registeredAt: sh('2026-03-02 09:00'), deadlineAt: sh('2026-03-03 18:00') };
    const follow = (over: Partial<ScheduleInput['item']> = {}) =>
      rows(plan({ ...item, ...over }, { with: { overdueFollowUp: undefined }, until: '2026-03-11 00:00' }).filter((r) => r.kind === 'overdue_follow_up'));
    expect(follow()).toEqual([
      row('2026-03-06 09:00', 'overdue_follow_up'),
      row('2026-03-09 09:00', 'overdue_follow_up'),
      row('2026-03-10 09:00', 'overdue_follow_up'),
    ]);
    expect(follow({ answeredAt: sh('2026-03-09 10:00') })).toEqual([
      row('2026-03-06 09:00', 'overdue_follow_up'),
      row('2026-03-09 09:00', 'overdue_follow_up'),
    ]);
  });

  it('every 2 working days when the policy says so; none when it says null', () => {
    const item = { registeredAt: sh('2026-03-02 09:00'), deadlineAt: sh('2026-03-03 18:00') };
    const got = (v: ReminderPolicy['overdueFollowUp']) =>
      rows(plan(item, { with: { overdueFollowUp: v }, until: '2026-03-13 00:00' }).filter((r) => r.kind === 'overdue_follow_up'));
    expect(got({ at: '09:00', everyWorkingDays: 2 })).toEqual([row('2026-03-09 09:00', 'overdue_follow_up'), row('2026-03-11 09:00', 'overdue_follow_up')]);
    expect(got(null)).toEqual([]);
  });

  it('a catch-up keeps every one-off step and only the latest of each series', () => {
    const missed = plan({ registeredAt: sh('2026-03-02 09:00'), deadlineAt: sh('2026-03-03 18:00') }, { until: '2026-03-20 00:00' });
    expect(rows(catchUp(missed))).toEqual([
      row('2026-03-05 18:00', 'leader_escalation', 'coordinating_leader'),
      row('2026-03-05 18:00', 'leader_escalation', 'owner'),
      row('2026-03-05 18:00', 'after_deadline', 'unit', 'R1'),
      row('2026-03-06 18:00', 'key_supervision', 'supervision_office', 'R5'),
    ]);
  });
});

describe('issue 14 — blame follows custody: an item never handed over is not the unit’s yet (A1, R4, R5)', () => {
  it('已立项, never 交办: nothing is planned — no urge, no 重点督办 against a unit that never held it; from 交办 the node runs', () => {
    expect(plan({ state: 'registered' })).toEqual([]);
    expect(plan({ state: 'assigned' }).map((r) => r.kind)).toContain('key_supervision');
  });
});

describe('planWithNext (issue 17: what planning stores, and its next instant, without a week of reminders)', () => {
  /** A small deterministic generator (mulberry32): the same items on every run. */
  function random(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const boards = Object.keys(BOARDS) as (keyof typeof BOARDS)[];
  const sources = Object.keys(SOURCES) as (keyof typeof SOURCES)[];
  const states = ['assigned', 'in_progress', 'in_progress', 'closure_requested', 'under_review', 'pending_approval', 'registered'] as const;

  it('R1–R10: stores exactly what planReminders gives up to the horizon, and names the first reminder after it', () => {
    const rnd = random(17);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const base = sh('2026-03-04 10:00').getTime();
    let compared = 0;
    let withNext = 0;
    for (let n = 0; n < 3000; n++) {
      const registeredAt = new Date(base - Math.floor(rnd() * 60 * DAY));
      const deadlineAt = new Date(registeredAt.getTime() + Math.floor(rnd() * 90 * DAY) - 5 * DAY);
      const reported = rnd() < 0.3 ? new Date(registeredAt.getTime() + Math.floor(rnd() * 40 * DAY)) : null;
      const item: ScheduleInput['item'] = {
        id: n + 1,
        board: pick(boards),
        source: pick(sources),
        state: pick(states),
        kind: rnd() < 0.1 ? 'rectification' : undefined,
        registeredAt,
        deadlineAt,
        lastReportAt: reported,
        answeredAt: rnd() < 0.5 ? undefined : rnd() < 0.5 ? reported : null,
        nodeStartAt: rnd() < 0.2 ? new Date(registeredAt.getTime() + Math.floor(rnd() * 10 * DAY)) : undefined,
        awaiting: rnd() < 0.2 ? [{ kind: pick(['review', 'extension', 'approval'] as const), since: new Date(base - Math.floor(rnd() * 10 * DAY)) }] : [],
      };
      const policy = policyFor({ board: item.board, source: item.source, kind: item.kind }, DEFAULT_POLICIES);
      const from = new Date(base + Math.floor(rnd() * 30 * DAY) - 15 * DAY);
      const storeUntil = new Date(from.getTime() + Math.floor(rnd() * 24 * HOUR));
      const until = new Date(storeUntil.getTime() + Math.floor(rnd() * 8 * DAY));
      const full = planReminders({ item, policy, calendar, from, until });
      const got = planWithNext({ item, policy, calendar, from, until, storeUntil });
      expect(got.reminders).toEqual(planReminders({ item, policy, calendar, from, until: storeUntil }));
      expect(got.next?.toISOString() ?? null).toBe(full.find((r) => r.dueAt.getTime() >= storeUntil.getTime())?.dueAt.toISOString() ?? null);
      compared += got.reminders.length;
      if (got.next) withNext++;
    }
    // The generated items exercise both parts: many reminders stored, and most items with a next instant.
    expect(compared).toBeGreaterThan(300);
    expect(withNext).toBeGreaterThan(600);
  });
});
