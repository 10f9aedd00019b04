/**
 * R6, R7, R8, R10 — which policy an item is reminded by when its board and its source both have one. Issue 13 §4: a
 * 政府工作报告 key task got the source's policy and so lost 逐月反馈 and 季度小结. Now the base policy is chosen by
 * kind, board (or a source policy that replaces), and source policies that only add fixed report dates are layered on
 * top of it ("add-on"). Real 2026 calendar.
 */
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import type { Board, Source } from '../shared/vocabulary';
import { DEFAULT_POLICIES, PolicyRow, policyFor, policyLabel, ReminderPolicy } from './reminder.policy';
import { planReminders, PlannedReminder } from './schedule.rules';

const calendar = new WorkCalendar(chineseDaysSource());
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const utc = (s: string) => sh(s).toISOString();
const dates = (rs: PlannedReminder[], rule: string) => rs.filter((r) => r.rule === rule && r.audience === 'unit').map((r) => r.dueAt.toISOString());

function plan(
  item: { board: Board; source: Source; kind?: 'rectification' },
  from: string,
  until: string,
  policies: PolicyRow[] = DEFAULT_POLICIES,
  registeredAt = '2026-03-02 10:00',
) {
  const policy = policyFor(item, policies);
  const rs = planReminders({
    item: {
      id: 1,
      ...item,
      state: 'in_progress',
      registeredAt: sh(registeredAt),
      deadlineAt: sh('2026-12-31 18:00'),
      lastReportAt: null,
    },
    policy,
    calendar,
    from: sh(from),
    until: sh(until),
  });
  return { policy, rs };
}

describe('policy composition: the base policy by kind and board, R8 add-ons on top', () => {
  it('R6+R7+R8 — 001 重点工作任务制度: 《政府工作报告》确定的重点工作任务…逐月反馈，季度小结; 002: 于每年4月10日、7月10日、10月10日、12月10日分四次反馈 — a work_report key task gets all three in 2026', () => {
    const { policy, rs } = plan({ board: 'key_task', source: 'work_report' }, '2026-03-02 10:00', '2027-01-01 00:00');
    expect(policy.id).toBe('key_task+work_report');
    expect(policyLabel(policy)).toBe('key_task@1+work_report@2');
    // R6: 每月底前反馈 — a notice on the last working day of every month after the month of registration.
    expect(dates(rs, 'R6').filter((d) => rs.find((r) => r.dueAt.toISOString() === d && r.kind === 'month_end_report'))).toEqual(
      ['04-30', '05-29', '06-30', '07-31', '08-31', '09-30', '10-30', '11-30', '12-31'].map((d) => utc(`2026-${d} 09:00`)),
    );
    // R7: 每季度最后一个工作日(第四季度提前一周).
    expect(dates(rs, 'R7')).toEqual(['2026-03-31 09:00', '2026-06-30 09:00', '2026-09-30 09:00', '2026-12-24 09:00'].map(utc));
    // R8 on top (10-10 is a 国庆 调休 Saturday, a working day).
    expect(dates(rs, 'R8')).toEqual(['2026-04-10 09:00', '2026-07-10 09:00', '2026-10-10 09:00', '2026-12-10 09:00'].map(utc));
  });

  it('R6+R7 — a reform item (重大改革事项) from a source with a date add-on keeps its board policy too', () => {
    const { policy, rs } = plan({ board: 'reform', source: 'livelihood' }, '2026-03-02 10:00', '2026-07-01 00:00');
    expect(policy.id).toBe('key_task+livelihood');
    expect(policy.monthEndReport).toBeDefined();
    expect(policy.quarterlySummary).toBe(true);
    expect(dates(rs, 'R7')).toEqual(['2026-03-31 09:00', '2026-06-30 09:00'].map(utc));
  });

  it('R8 — 002: 十件实事落实情况于每月10日、每月15日向县政府督查室反馈; a date on a rest day is reminded on the working day before (01-10 Sat → 01-09, 02-15 春节 → 02-14 调休 Saturday, 03-15 Sun → 03-13, 05-10 → 05-09 调休 Saturday, 08-15 → 08-14, 11-15 → 11-13)', () => {
    const { policy, rs } = plan({ board: 'daily', source: 'livelihood' }, '2026-03-02 10:00', '2027-01-01 00:00');
    expect(policy.id).toBe('daily+livelihood');
    const r8 = dates(rs, 'R8');
    expect(r8).toEqual(
      [
        '03-10', '03-13', '04-10', '04-15', '05-09', '05-15', '06-10', '06-15', '07-10', '07-15', '08-10', '08-14',
        '09-10', '09-15', '10-10', '10-15', '11-10', '11-13', '12-10', '12-15',
      ].map((d) => utc(`2026-${d} 09:00`)),
    ); // prettier-ignore
    // The daily board's own rule stays: R2 对推进1个月以上的事项…每周短信提醒一次.
    expect(rs.some((r) => r.rule === 'R2')).toBe(true);
    const early = plan({ board: 'daily', source: 'livelihood' }, '2026-01-01 00:00', '2026-03-01 00:00', DEFAULT_POLICIES, '2025-12-20 10:00');
    expect(dates(early.rs, 'R8')).toEqual(['2026-01-09 09:00', '2026-01-15 09:00', '2026-02-10 09:00', '2026-02-14 09:00'].map(utc));
  });

  it('R8 — the livelihood default is 每月10日、每月15日 (a new version; version 1 had only the 10th)', () => {
    const live = DEFAULT_POLICIES.find((p) => p.id === 'livelihood')!;
    expect(live).toMatchObject({ version: 2, layer: 'add_on', fixedReportDates: { monthly: [10, 15] } });
    expect(DEFAULT_POLICIES.find((p) => p.id === 'work_report')).toMatchObject({ version: 2, layer: 'add_on' });
  });

  it('R9 — a kind policy (整改) replaces everything: no add-on dates, whatever the source', () => {
    const { policy, rs } = plan({ board: 'key_task', source: 'work_report', kind: 'rectification' }, '2026-03-02 10:00', '2027-01-01 00:00');
    expect(policy.id).toBe('rectification');
    expect(rs.some((r) => ['R6', 'R7', 'R8'].includes(r.rule))).toBe(false);
  });

  it('items with no add-on keep a plain policy id (no composition when there is nothing to add)', () => {
    expect(policyLabel(policyFor({ board: 'key_task', source: 'meeting' }, DEFAULT_POLICIES))).toBe('key_task@1');
    expect(policyFor({ board: 'daily', source: 'hotline' }, DEFAULT_POLICIES).id).toBe('daily');
  });

  it('R10 — a source policy stored as a full policy (layer base) still replaces the board policy: the administrator chose it', () => {
    const base = DEFAULT_POLICIES.find((p) => p.id === 'default') as ReminderPolicy;
    const full: ReminderPolicy = { ...base, id: 'hotline_full', appliesTo: { sources: ['hotline'] }, notifyAt: '10:00' };
    expect(policyFor({ board: 'key_task', source: 'hotline' }, [...DEFAULT_POLICIES, full]).id).toBe('hotline_full');
  });

  it('R8 — two add-ons and the base policy’s own dates merge; the same day is reminded once', () => {
    const extra: PolicyRow = {
      id: 'mid_year',
      version: 1,
      layer: 'add_on',
      appliesTo: { boards: ['key_task'] },
      fixedReportDates: [{ months: [4, 6], day: 10 }],
    };
    const { policy, rs } = plan({ board: 'key_task', source: 'work_report' }, '2026-03-02 10:00', '2026-08-01 00:00', [...DEFAULT_POLICIES, extra]);
    expect(policyLabel(policy)).toBe('key_task@1+work_report@2+mid_year@1');
    expect(dates(rs, 'R8')).toEqual(['2026-04-10 09:00', '2026-06-10 09:00', '2026-07-10 09:00'].map(utc));
  });
});
