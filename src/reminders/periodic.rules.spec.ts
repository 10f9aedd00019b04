/** Date-based series through planReminders, on the real 2023–2026 calendar (holidays and 调休). */
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { CalendarOverride, WorkCalendar } from '../calendar/work-calendar';
import { DEFAULT_POLICIES, policyFor, ReminderPolicy } from './reminder.policy';
import { fixedReportDays, planReminders, PlannedReminder, quarterlySummaryDate, rectificationDueAt, ScheduleInput } from './schedule.rules';

const calendar = new WorkCalendar(chineseDaysSource());
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const utc = (s: string) => sh(s).toISOString();
const policy = (id: string) => DEFAULT_POLICIES.find((p) => p.id === id) as ReminderPolicy;

/** policyId 'composed': the policy policyFor gives the item (base and R8 add-ons). */
function plan(over: Partial<ScheduleInput['item']>, policyId: string, from: string, until: string, rule?: string) {
  const item: ScheduleInput['item'] = {
    id: 7,
    board: 'daily',
    source: 'meeting',
    state: 'in_progress',
    registeredAt: sh('2026-03-02 10:00'),
    deadlineAt: sh('2026-04-02 10:00'),
    lastReportAt: null,
    ...over,
  };
  const rs = planReminders({
    item,
    policy: policyId === 'composed' ? policyFor(item, DEFAULT_POLICIES) : policy(policyId),
    calendar,
    from: sh(from),
    until: sh(until),
  });
  return rs.filter((r) => rule === undefined || r.rule === rule);
}
const rows = (rs: PlannedReminder[]) => rs.map((r) => [r.dueAt.toISOString(), r.kind, r.audience]);
const row = (local: string, kind: string, audience = 'unit') => [utc(local), kind, audience];
const weekly = (rs: PlannedReminder[]) => rs.filter((r) => r.kind === 'weekly').map((r) => r.dueAt.toISOString());

describe('R2 / E2: weekly reminders', () => {
  it('R2: 对推进1个月以上的事项…每周短信提醒一次 — a 1m daily item, every 7 days at 09:00 until the deadline', () => {
    const rs = plan({}, 'daily', '2026-03-02 10:00', '2026-05-01 00:00');
    expect(weekly(rs)).toEqual(['2026-03-09 09:00', '2026-03-16 09:00', '2026-03-23 09:00', '2026-03-30 09:00'].map(utc));
    expect(rs.find((r) => r.kind === 'weekly')!.rule).toBe('R2');
  });

  it('R2: a 7d item is not "1个月以上" — no weekly reminder', () => {
    expect(weekly(plan({ deadlineAt: sh('2026-03-09 10:00') }, 'daily', '2026-03-02 10:00', '2026-05-01 00:00'))).toEqual([]);
  });

  it('R2 over 国庆 2026: the 10-01 week moves to the first working day 10-08, where it meets the next week — sent once', () => {
    const over = { registeredAt: sh('2026-09-24 10:00'), deadlineAt: sh('2026-10-24 10:00') };
    expect(weekly(plan(over, 'daily', '2026-09-24 10:00', '2026-11-01 00:00'))).toEqual(['2026-10-08 09:00', '2026-10-15 09:00', '2026-10-22 09:00'].map(utc));
    // R3: a report on 10-14 answers the week before 10-15 only.
    const reported = plan({ ...over, lastReportAt: sh('2026-10-14 12:00') }, 'daily', '2026-09-24 10:00', '2026-11-01 00:00');
    expect(weekly(reported)).toEqual(['2026-10-08 09:00', '2026-10-22 09:00'].map(utc));
  });

  it('R2: a week pushed by 国庆 past the deadline is dropped — the deadline reminders take over', () => {
    const over = { registeredAt: sh('2026-09-03 10:00'), deadlineAt: sh('2026-10-03 10:00') };
    expect(weekly(plan(over, 'daily', '2026-09-03 10:00', '2026-11-01 00:00'))).toEqual(['2026-09-10 09:00', '2026-09-17 09:00', '2026-09-24 09:00'].map(utc));
  });

  it('E2: 转入"持续跟进"版块…每周发送短信提醒 — weekly whatever the span, rule E2', () => {
    const rs = plan({ board: 'ongoing', deadlineAt: sh('2026-03-20 18:00') }, 'ongoing', '2026-03-02 10:00', '2026-03-21 00:00');
    expect(rs.filter((r) => r.kind === 'weekly').map((r) => [r.dueAt.toISOString(), r.rule])).toEqual([
      [utc('2026-03-09 09:00'), 'E2'],
      [utc('2026-03-16 09:00'), 'E2'],
    ]);
  });
});

describe('R6: 每月底前反馈; 从下月1日开始，每日8时、15时分别催办一次，连续提醒2日 — with quiet days, the first 2 WORKING days', () => {
  const keyTask = { board: 'key_task' as const, registeredAt: sh('2026-01-15 10:00'), deadlineAt: sh('2026-02-15 10:00') };
  // 2026-03-01 is a Sunday: the urges are on Monday 03-02 and Tuesday 03-03.
  const FEB = [
    row('2026-02-28 09:00', 'month_end_report'), // last working day: Saturday 02-28 is 春节调休上班
    row('2026-03-02 08:00', 'month_end_urge'),
    row('2026-03-02 15:00', 'month_end_urge'),
    row('2026-03-03 08:00', 'month_end_urge'),
    row('2026-03-03 15:00', 'month_end_urge', 'owner'), // 仍未反馈的由立项主体催办
    row('2026-03-03 15:00', 'month_end_urge'),
    row('2026-03-04 00:00', 'month_end_escalation', 'supervision_office'), // 超过时限2日 (2 working days) → 督查室核查问责
  ];

  it('the registration month is covered by the 1m node; February runs the full R6 sequence', () => {
    expect(rows(plan(keyTask, 'key_task', '2026-01-15 10:00', '2026-03-05 00:00', 'R6'))).toEqual(FEB);
  });

  it('R10 holds the 00:00 escalation to 08:00 on the 4th; the 08:00 urges are not held', () => {
    const rs = plan(keyTask, 'key_task', '2026-01-15 10:00', '2026-03-05 00:00', 'R6');
    expect(rs.map((r) => r.sendAt.toISOString()).slice(1)).toEqual(
      ['2026-03-02 08:00', '2026-03-02 15:00', '2026-03-03 08:00', '2026-03-03 15:00', '2026-03-03 15:00', '2026-03-04 08:00'].map(utc),
    );
  });

  it.each([
    ['2026-03-01 10:00', 'a report on Sunday 03-01 answers February: only the notice, sent before it, stays', FEB.slice(0, 1)],
    ['2026-02-04 00:00', 'a report from the day after February’s 2nd working day (02-03) on is February’s report', []],
    ['2026-02-03 12:00', 'a report on 02-03 (2nd working day of February) is January’s late report and answers nothing for February', FEB],
  ])('R3: report at %s — %s', (at, _why, want) => {
    expect(rows(plan({ ...keyTask, lastReportAt: sh(at) }, 'key_task', '2026-01-15 10:00', '2026-03-05 00:00', 'R6'))).toEqual(want);
  });

  it('R6 over 劳动节 2026: April’s report — urges on 05-06 and 05-07 (05-01…05-05 holiday), 督查室 on 05-08 08:00', () => {
    const over = { board: 'key_task' as const, registeredAt: sh('2026-03-10 10:00'), deadlineAt: sh('2026-04-10 18:00') };
    const rs = plan(over, 'key_task', '2026-04-20 00:00', '2026-05-09 00:00', 'R6');
    expect(rows(rs)).toEqual([
      row('2026-04-30 09:00', 'month_end_report'),
      row('2026-05-06 08:00', 'month_end_urge'),
      row('2026-05-06 15:00', 'month_end_urge'),
      row('2026-05-07 08:00', 'month_end_urge'),
      row('2026-05-07 15:00', 'month_end_urge', 'owner'),
      row('2026-05-07 15:00', 'month_end_urge'),
      row('2026-05-08 00:00', 'month_end_escalation', 'supervision_office'),
    ]);
    expect(rs.at(-1)!.sendAt.toISOString()).toBe(utc('2026-05-08 08:00'));
  });

  it('R6+R7 around 国庆 2026: notice and 季度小结 on 09-30; urges on 10-08/10-09 (10-01…10-07 holiday); 督查室 on the 调休 Saturday 10-10', () => {
    const over = { board: 'key_task' as const, registeredAt: sh('2026-08-10 10:00'), deadlineAt: sh('2026-09-10 10:00') };
    const rs = plan(over, 'key_task', '2026-09-20 00:00', '2026-10-11 00:00').filter((r) => r.rule === 'R6' || r.rule === 'R7');
    expect(rows(rs)).toEqual([
      row('2026-09-30 09:00', 'month_end_report'),
      row('2026-09-30 09:00', 'quarterly_summary'), // a different report: never folded into the monthly one
      row('2026-10-08 08:00', 'month_end_urge'),
      row('2026-10-08 15:00', 'month_end_urge'),
      row('2026-10-09 08:00', 'month_end_urge'),
      row('2026-10-09 15:00', 'month_end_urge', 'owner'),
      row('2026-10-09 15:00', 'month_end_urge'),
      row('2026-10-10 00:00', 'month_end_escalation', 'supervision_office'),
    ]);
    expect(rs.at(-1)!.sendAt.toISOString()).toBe(utc('2026-10-10 08:00'));
  });

  it('R6 with quietDays false: literally 下月1日 and 2日, holidays included (the pre-issue-13 reading)', () => {
    const over = { board: 'key_task' as const, registeredAt: sh('2026-03-10 10:00'), deadlineAt: sh('2026-04-10 18:00') };
    const rs = planReminders({
      item: { id: 7, source: 'meeting', state: 'in_progress', lastReportAt: null, ...over },
      policy: { ...policy('key_task'), quietDays: false, overdueClock: 'calendar' },
      calendar,
      from: sh('2026-04-20 00:00'),
      until: sh('2026-05-09 00:00'),
    }).filter((r) => r.rule === 'R6');
    expect(rs.map((r) => r.dueAt.toISOString()).slice(1)).toEqual(
      ['2026-05-01 08:00', '2026-05-01 15:00', '2026-05-02 08:00', '2026-05-02 15:00', '2026-05-02 15:00', '2026-05-03 00:00'].map(utc),
    );
  });
});

describe('R2, R7, R8 dates already sit on working days: quiet days do not hold them', () => {
  it('季度小结, 政府工作报告 dates, 十件实事 and weekly reminders of 2026 are sent when planned', () => {
    const all = [
      ...plan(
        { board: 'key_task', registeredAt: sh('2026-01-05 10:00'), deadlineAt: sh('2026-12-31 18:00') },
        'key_task',
        '2026-01-05 10:00',
        '2026-12-31 00:00',
        'R7',
      ),
      ...plan(
        { source: 'work_report', registeredAt: sh('2026-01-05 10:00'), deadlineAt: sh('2026-12-31 18:00') },
        'composed',
        '2026-01-05 10:00',
        '2026-12-31 00:00',
        'R8',
      ),
      ...plan(
        { source: 'livelihood', registeredAt: sh('2026-01-05 10:00'), deadlineAt: sh('2026-12-31 18:00') },
        'composed',
        '2026-01-05 10:00',
        '2026-12-31 00:00',
        'R8',
      ),
      ...plan({ registeredAt: sh('2026-09-24 10:00'), deadlineAt: sh('2026-12-24 10:00') }, 'daily', '2026-09-24 10:00', '2026-12-24 00:00', 'R2'),
    ];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((r) => r.held !== null || r.sendAt.getTime() !== r.dueAt.getTime())).toEqual([]);
  });
});

describe('R7: 每季度最后一个工作日(第四季度提前一周)', () => {
  const withOverrides = (o: CalendarOverride[]) => new WorkCalendar(chineseDaysSource(), o);
  it.each<[number, 1 | 2 | 3 | 4, string, string, CalendarOverride[]]>([
    [2026, 1, '2026-03-31', 'Q1 2026: Tuesday 03-31', []],
    [2026, 2, '2026-06-30', 'Q2 2026', []],
    [2026, 3, '2026-09-30', 'Q3 2026, the day before 国庆', []],
    [2026, 4, '2026-12-24', 'Q4 2026: last working day 12-31, one week (7 days) earlier', []],
    [2024, 1, '2024-03-29', 'Q1 2024: 03-31 is a Sunday', []],
    [2023, 3, '2023-09-28', 'Q3 2023: 中秋+国庆 start on 09-29', []],
    [2023, 4, '2023-12-22', 'Q4 2023: last working day Friday 12-29, minus 7', []],
    [2026, 4, '2026-12-23', 'Q4 with 12-24 declared a rest day: the working day before', [{ date: '2026-12-24', kind: 'restday' }]],
    [2026, 4, '2026-12-23', 'Q4 with 12-31 a rest day: 12-30 minus 7', [{ date: '2026-12-31', kind: 'restday' }]],
    [2026, 3, '2026-09-29', 'Q3 with 09-30 a rest day', [{ date: '2026-09-30', kind: 'restday' }]],
  ])('%i Q%i → %s (%s)', (year, q, want, _why, overrides) => {
    expect(quarterlySummaryDate(year, q, withOverrides(overrides))).toBe(want);
  });

  it('R7 reminders at 09:00 on the due day, key_task board only; a report never cancels the written 小结', () => {
    const over = { board: 'key_task' as const, registeredAt: sh('2026-01-05 10:00'), deadlineAt: sh('2026-02-05 10:00'), lastReportAt: sh('2026-09-29 10:00') };
    const rs = plan(over, 'key_task', '2026-01-05 10:00', '2027-01-01 00:00', 'R7');
    expect(rs.map((r) => r.dueAt.toISOString())).toEqual(['2026-03-31 09:00', '2026-06-30 09:00', '2026-09-30 09:00', '2026-12-24 09:00'].map(utc));
    expect(plan({}, 'daily', '2026-03-02 10:00', '2027-01-01 00:00', 'R7')).toEqual([]);
  });
});

describe('R8: fixed report dates per source', () => {
  const workReport = { board: 'key_task' as const, source: 'work_report' as const, registeredAt: sh('2026-03-01 10:00'), deadlineAt: sh('2026-12-31 18:00') };
  const fixed = (rs: PlannedReminder[]) => rs.filter((r) => r.kind === 'fixed_report').map((r) => r.dueAt.toISOString());

  it('政府工作报告: 于每年4月10日、7月10日、10月10日、12月10日 — 10-10 is a 国庆 调休 Saturday, a working day, so it stays', () => {
    expect(fixed(plan(workReport, 'composed', '2026-03-01 10:00', '2027-01-01 00:00'))).toEqual(
      ['2026-04-10 09:00', '2026-07-10 09:00', '2026-10-10 09:00', '2026-12-10 09:00'].map(utc),
    );
  });

  it('R3: a report on 06-01 answers the 07-10 date only', () => {
    const rs = plan({ ...workReport, lastReportAt: sh('2026-06-01 10:00') }, 'composed', '2026-03-01 10:00', '2027-01-01 00:00');
    expect(fixed(rs)).toEqual(['2026-04-10 09:00', '2026-10-10 09:00', '2026-12-10 09:00'].map(utc));
  });

  it('十件实事 于每月10日、每月15日: a date on a rest day is reminded on the working day before (01-10 Sat → 01-09; 02-15 春节 → 02-14 调休 Saturday; 03-15 Sun → 03-13; 05-10 Sun → 05-09 调休 Saturday)', () => {
    const over = { source: 'livelihood' as const, registeredAt: sh('2025-12-20 10:00'), deadlineAt: sh('2026-12-20 18:00') };
    expect(fixed(plan(over, 'composed', '2026-01-01 00:00', '2026-06-01 00:00'))).toEqual(
      ['01-09', '01-15', '02-10', '02-14', '03-10', '03-13', '04-10', '04-15', '05-09', '05-15'].map((d) => utc(`2026-${d} 09:00`)),
    );
  });

  it('fixedReportDays: the seed’s 每月10日、每月15日 variant, clamping to the month end, and bad data refused', () => {
    const both = fixedReportDays({ monthly: [15, 10] }, 2026);
    expect([both.length, ...both.slice(0, 3)]).toEqual([24, '2026-01-10', '2026-01-15', '2026-02-10']);
    expect(fixedReportDays([{ months: [2], day: 31 }], 2028)).toEqual(['2028-02-29']);
    expect(() => fixedReportDays([{ months: [13], day: 10 }], 2026)).toThrow(RangeError);
  });
});

describe('R9: 整改时限为2个工作日(48小时)，并于第3日12:00前…报送，逾期不报视为未整改', () => {
  it.each([
    ['2026-03-02 10:00', '2026-03-05 12:00', 'ordered Monday → Tue, Wed (2 working days from the day after), Thursday (第3日) 12:00'],
    ['2026-02-13 16:00', '2026-02-25 12:00', 'ordered Friday before 春节 → 调休 Saturday 02-14, Tuesday 02-24, then Wednesday 02-25 12:00'],
    ['2026-03-06 23:30', '2026-03-11 12:00', 'ordered late on a Friday → Monday, Tuesday, Wednesday 12:00'],
  ])('%s → %s (%s)', (ordered, due) => {
    expect(rectificationDueAt(sh(ordered), policy('rectification'), calendar).toISOString()).toBe(utc(due));
  });

  const order = { kind: 'rectification' as const, source: 'other' as const, registeredAt: sh('2026-03-02 10:00'), deadlineAt: sh('2026-03-20 18:00') };

  it('plans the 5 h notice (07:00, delivered 08:00 after R10) and 未整改 at 12:00 on day 3 to the 督查室 and, urged, to the unit (issue 14) — nothing more', () => {
    const rs = plan(order, 'rectification', '2026-03-02 10:00', '2026-04-01 00:00');
    expect(rs.map((r) => [r.dueAt.toISOString(), r.kind, r.audience, r.rule])).toEqual([
      [utc('2026-03-05 07:00'), 'before_deadline', 'unit', 'R1'],
      [utc('2026-03-05 12:00'), 'rectification_due', 'supervision_office', 'R9'],
      [utc('2026-03-05 12:00'), 'rectification_due', 'unit', 'R9'],
    ]);
    expect(rs[0].sendAt.toISOString()).toBe(utc('2026-03-05 08:00'));
  });

  it('R3: the report before 12:00 cancels 未整改', () => {
    const rs = plan({ ...order, lastReportAt: sh('2026-03-05 11:59') }, 'rectification', '2026-03-02 10:00', '2026-04-01 00:00');
    expect(rs.map((r) => r.kind)).toEqual(['before_deadline']);
  });
});
