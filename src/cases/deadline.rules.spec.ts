/**
 * C3 deadlines, E1 extension requests and E2 moves to 持续跟进, on the REAL working-day calendar
 * (chinese-days data, no fakes). Every working-day date below was checked by hand against
 * node_modules/chinese-days/dist/chinese-days.json (1.5.7):
 *   2025 春节 off 01-28..02-04, make-up Sun 01-26 and Sat 02-08;
 *   2025 国庆/中秋 off 10-01..10-08, make-up Sun 09-28 and Sat 10-11;
 *   2026 春节 off 02-15..02-23, make-up Sat 02-14 and Sat 02-28; no 2027 notice in the data.
 */
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import {
  extensionNeedsConfirmation,
  DEFAULT_DEADLINE_POLICY,
  DeadlinePolicy,
  DeadlineProblem,
  DeadlineSpec,
  ResolvedDeadline,
  checkExtensionRequest,
  lastExtensionDay,
  openEndedDeadline,
  resolveDeadline,
} from './deadline.rules';
import type { Board, Category } from '../shared/vocabulary';

const calendar = new WorkCalendar(chineseDaysSource());
const policy = DEFAULT_DEADLINE_POLICY;
/** Shanghai wall clock → instant; the string carries its own +08:00 offset. */
const sh = (local: string) => new Date(`${local}:00+08:00`);
const NOW = sh('2026-03-02T09:00'); // a Monday

function resolve(
  spec: DeadlineSpec | undefined,
  opts: { now?: Date; board?: Board; category?: Category; reason?: string; policy?: DeadlinePolicy } = {},
): ResolvedDeadline | DeadlineProblem {
  return resolveDeadline(
    { spec, board: opts.board ?? 'daily', category: opts.category ?? 'decision', reason: opts.reason },
    { now: opts.now ?? NOW, calendar, policy: opts.policy ?? policy },
  );
}
function ok(r: ResolvedDeadline | DeadlineProblem): ResolvedDeadline {
  if ('code' in r) throw new Error(`expected a deadline, got ${r.code}: ${r.message}`);
  return r;
}
/** The deadline as a UTC ISO string plus its spec label: one exact comparison. */
const at = (r: ResolvedDeadline | DeadlineProblem) => {
  const d = ok(r);
  return [d.at.toISOString(), d.spec, d.uncoveredYears];
};
const wd = (registered: string, n: number) => ok(resolve({ workingDays: n }, { now: sh(`${registered}T09:00`) })).at.toISOString();

describe('C3: time nodes count days and end at the day end of a working day (001 §13: 按照1天、3天、7天、1个月的时间节点)', () => {
  it('C3: 1d/3d/7d are 1/3/7 working days after the registration day, at 18:00 — Mon 03-02 → Tue 03-03, Thu 03-05, Wed 03-11', () => {
    expect(at(resolve({ node: '1d' }))).toEqual(['2026-03-03T10:00:00.000Z', '1d', []]);
    expect(at(resolve({ node: '3d' }))).toEqual(['2026-03-05T10:00:00.000Z', '3d', []]);
    expect(at(resolve({ node: '7d' }))).toEqual(['2026-03-11T10:00:00.000Z', '7d', []]);
  });

  it('C3: a 1d item registered 2026-04-30 10:00 is due 05-06 18:00, after 劳动节 (not 05-01 10:00, in the holiday)', () => {
    expect(at(resolve({ node: '1d' }, { now: sh('2026-04-30T10:00') }))).toEqual(['2026-05-06T10:00:00.000Z', '1d', []]);
  });

  it('C3: a 1d item registered Friday 2026-03-06 20:30 is due Monday 03-09 18:00 (not Saturday 20:30)', () => {
    expect(at(resolve({ node: '1d' }, { now: sh('2026-03-06T20:30') }))).toEqual(['2026-03-09T10:00:00.000Z', '1d', []]);
  });

  it('C3: a 3d item registered Monday 2026-03-02 09:00 is due Thursday 03-05 18:00, so R1 "截止时限前5小时" is 13:00, not 04:00', () => {
    const due = ok(resolve({ node: '3d' }, { now: sh('2026-03-02T09:00') })).at;
    expect(due.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    expect(new Date(due.getTime() - 5 * 3600_000).toISOString()).toBe(sh('2026-03-05T13:00').toISOString());
  });

  it('C3: 1m is one calendar month after the registration day at 18:00 — 2026-09-15 → 10-15 (a working day)', () => {
    expect(at(resolve({ node: '1m' }, { now: sh('2026-09-15T10:00') }))).toEqual(['2026-10-15T10:00:00.000Z', '1m', []]);
    expect(at(resolve({ node: '1m' }))).toEqual(['2026-04-02T10:00:00.000Z', '1m', []]);
    // 07:00 on 31 March in Shanghai is still 30 March in UTC: the month is counted on the local date.
    expect(ok(resolve({ node: '1m' }, { now: sh('2026-03-31T07:00') })).at.toISOString()).toBe('2026-04-30T10:00:00.000Z');
  });

  it('C3: a 1m node that ends in 国庆 (2026-09-04 → 10-04) moves to the next working day, 10-08 18:00', () => {
    expect(calendar.isWorkday('2026-10-07')).toBe(false);
    expect(calendar.isWorkday('2026-10-08')).toBe(true);
    expect(at(resolve({ node: '1m' }, { now: sh('2026-09-04T10:00') }))).toEqual(['2026-10-08T10:00:00.000Z', '1m', []]);
  });

  it('C3: Jan 31 + 1m clamps to the last day of February (2026-02-28 is a 调休 working Saturday; 2028-02-29)', () => {
    expect(ok(resolve({ node: '1m' }, { now: sh('2026-01-31T10:30') })).at.toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(ok(resolve({ node: '1m' }, { now: sh('2028-01-31T10:30') })).at.toISOString()).toBe('2028-02-29T10:00:00.000Z');
  });

  it('C3: what a node means is policy data — 3 calendar days from Wed 03-04 end on Saturday 03-07 and move to Monday 03-09', () => {
    const calendarDays = { ...policy, nodes: { ...policy.nodes, '3d': { n: 3, unit: 'calendar_day' as const } } };
    expect(ok(resolve({ node: '3d' }, { now: sh('2026-03-04T09:00'), policy: calendarDays })).at.toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect(ok(resolve({ node: '3d' }, { now: sh('2026-03-02T09:00'), policy: calendarDays })).at.toISOString()).toBe('2026-03-05T10:00:00.000Z');
  });

  it('C3: with no spec, the default node of the board applies (daily → 7d, key_task/reform/ongoing → 1m)', () => {
    expect(at(resolve(undefined, { board: 'daily' }))).toEqual(['2026-03-11T10:00:00.000Z', '7d', []]);
    for (const board of ['key_task', 'reform', 'ongoing'] as const) {
      expect(at(resolve(undefined, { board }))).toEqual(['2026-04-02T10:00:00.000Z', '1m', []]);
    }
  });

  it('C3: 专项督查 with no spec → 10 working days (18:00 on the day); an explicit spec wins', () => {
    // Mon 2026-03-02: 03-03..03-06 (4), 03-09..03-13 (9), Mon 03-16 (10).
    expect(at(resolve(undefined, { category: 'special', board: 'key_task' }))).toEqual(['2026-03-16T10:00:00.000Z', 'wd:10', []]);
    expect(at(resolve({ node: '3d' }, { category: 'special' }))).toEqual(['2026-03-05T10:00:00.000Z', '3d', []]);
  });
});

describe('C3: 专项督查 — 承办时限一般要求10个工作日内反馈，个别特殊事项不得超过1个月 (000 §8.2)', () => {
  it('C3: one month is the ceiling — Mon 03-02 + 23 working days (Thu 04-02) passes; 24 (04-03) is refused, even with a reason, unless the 督查室 records it', () => {
    expect(ok(resolve({ workingDays: 23 }, { category: 'special' })).at.toISOString()).toBe('2026-04-02T10:00:00.000Z');
    const r = resolve({ workingDays: 24 }, { category: 'special', reason: '涉及多部门' }) as DeadlineProblem;
    expect(r).toEqual({
      code: 'DEADLINE.SPECIAL_CEILING',
      field: 'deadlineReason',
      message: '专项督查事项办理期限不得超过1个月（最迟 2026-04-02 18:00），本次期限为 2026-04-03 18:00。请缩短期限；确属特殊情况的，请报督查室登记例外。',
    });
    expect((resolve({ workingDays: 60 }, { category: 'special', reason: '涉及多部门' }) as DeadlineProblem).code).toBe('DEADLINE.SPECIAL_CEILING');
  });

  it('C3: the 督查室 records an exception with a reason; without a reason even the 督查室 is refused', () => {
    const r = ok(
      resolveDeadline(
        { spec: { workingDays: 60 }, board: 'daily', category: 'special', reason: '需省级部门会签', mayRecordException: true },
        { now: NOW, calendar, policy },
      ),
    );
    expect(r.ceilingException).toBe('需省级部门会签');
    const none = resolveDeadline(
      { spec: { workingDays: 60 }, board: 'daily', category: 'special', mayRecordException: true },
      { now: NOW, calendar, policy },
    ) as DeadlineProblem;
    expect([none.code, none.message.endsWith('确属特殊情况的，请填写「期限理由」，作为例外记录在案。')]).toEqual(['DEADLINE.SPECIAL_CEILING', true]);
  });

  it('C3: other items keep "beyond one month needs a reason" — 60 working days with a reason pass', () => {
    expect(ok(resolve({ workingDays: 60 }, { reason: '需协调省级部门' })).ceilingException).toBeUndefined();
  });
});

describe('C3: items without a time limit (000 §12: 对未明确办理时限的，应视情况适时报告办理进展情况，年终做出书面综合报告)', () => {
  it('C3: the deadline is the year-end written report — 18:00 on the last working day of the year (2026-12-31, a Thursday)', () => {
    const r = openEndedDeadline(sh('2026-03-02T09:00'), calendar, policy);
    expect([r.at.toISOString(), r.spec]).toEqual(['2026-12-31T10:00:00.000Z', 'open:2026']);
  });

  it('C3: registered after that, it is next year’s report (2027 has no official data yet: the caller warns)', () => {
    const r = openEndedDeadline(sh('2026-12-31T18:30'), calendar, policy);
    expect([r.at.toISOString(), r.spec, r.uncoveredYears]).toEqual(['2027-12-31T10:00:00.000Z', 'open:2027', [2027]]);
  });
});

describe('C3: absolute dates', () => {
  it('C3: a date falls due that day at policy.dayEnd (18:00 Shanghai = 10:00 UTC)', () => {
    expect(at(resolve({ date: '2026-03-20' }))).toEqual(['2026-03-20T10:00:00.000Z', 'date:2026-03-20', []]);
    expect(at(resolve({ date: '2026-03-02' }))).toEqual(['2026-03-02T10:00:00.000Z', 'date:2026-03-02', []]);
    expect(ok(resolve({ date: '2026-03-20' }, { policy: { ...policy, dayEnd: '17:30' } })).at.toISOString()).toBe('2026-03-20T09:30:00.000Z');
  });

  it('C3: a date on a holiday moves to the next working day’s day end, and the person is told — 2026-05-01 → 05-06 18:00', () => {
    const r = ok(resolve({ date: '2026-05-01' }, { now: sh('2026-04-20T09:00') }));
    expect([r.at.toISOString(), r.spec, r.warnings]).toEqual([
      '2026-05-06T10:00:00.000Z',
      'date:2026-05-01',
      ['办理期限 2026年5月1日 为法定节假日，已顺延至5月6日 18:00。'],
    ]);
  });

  it('C3: a date on a weekend moves to Monday (a 调休 Saturday stays) — 2026-03-07 → 03-09; 2026-02-28 stays', () => {
    const r = ok(resolve({ date: '2026-03-07' }));
    expect([r.at.toISOString(), r.warnings]).toEqual(['2026-03-09T10:00:00.000Z', ['办理期限 2026年3月7日 为休息日，已顺延至3月9日 18:00。']]);
    const made = ok(resolve({ date: '2026-02-28' }, { now: sh('2026-02-10T09:00') }));
    expect([made.at.toISOString(), made.warnings]).toEqual(['2026-02-28T10:00:00.000Z', undefined]);
  });

  it('C3: invalid dates are refused with DEADLINE.BAD_DATE', () => {
    for (const date of ['2026-02-30', '2026-2-3', '2026-13-01', '2026-03-20T18:00', '']) {
      const r = resolve({ date });
      expect(['code' in r ? r.code : null, 'field' in r ? r.field : null]).toEqual(['DEADLINE.BAD_DATE', 'deadlineDate']);
    }
  });

  it('C3: a date already past is refused with DEADLINE.IN_PAST', () => {
    expect(resolve({ date: '2026-02-27' })).toEqual({
      code: 'DEADLINE.IN_PAST',
      field: 'deadlineDate',
      message: '办理期限 2026-02-27 18:00 已过，请给一个将来的期限。',
    });
    // A past Sunday is refused too (not moved forward to today).
    expect((resolve({ date: '2026-03-01' }) as DeadlineProblem).code).toBe('DEADLINE.IN_PAST');
    // Today at 18:00 is past once it is 18:00.
    expect((resolve({ date: '2026-03-02' }, { now: sh('2026-03-02T18:00') }) as DeadlineProblem).code).toBe('DEADLINE.IN_PAST');
  });
});

describe('C3: N working days on the real calendar (the registration day never counts)', () => {
  it('C3: 2026 春节 — 2026-02-10 + 10 working days → 2026-03-02 18:00 (make-up Sat 02-14 and 02-28 count)', () => {
    // 02-11, 02-12, 02-13, Sat 02-14, 02-24, 02-25, 02-26, 02-27, Sat 02-28, Mon 03-02
    expect(at(resolve({ workingDays: 10 }, { now: sh('2026-02-10T09:00') }))).toEqual(['2026-03-02T10:00:00.000Z', 'wd:10', []]);
    expect(wd('2026-02-10', 4)).toBe('2026-02-14T10:00:00.000Z');
    expect(wd('2026-02-10', 5)).toBe('2026-02-24T10:00:00.000Z');
  });

  it('C3: 2025 国庆/中秋 — from Fri 2025-09-26, make-up Sun 09-28 and Sat 10-11 are working days', () => {
    const got = [1, 2, 3, 4, 5, 6, 7].map((n) => wd('2025-09-26', n).slice(0, 10));
    expect(got).toEqual(['2025-09-28', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-13']);
  });

  it('C3: 2025 春节 — from Fri 2025-01-24, make-up Sun 01-26 and Sat 02-08 are working days', () => {
    const got = [1, 2, 3, 4, 6, 7].map((n) => wd('2025-01-24', n).slice(0, 10));
    expect(got).toEqual(['2025-01-26', '2025-01-27', '2025-02-05', '2025-02-06', '2025-02-08', '2025-02-10']);
  });

  it('C3: a deadline in 2027 (no notice yet) follows the weekend rule and reports uncoveredYears [2027]', () => {
    // Fri 2026-12-18: 12-21..12-25 (5), 12-28..12-31 (9), Fri 2027-01-01 (10, a workday by the weekend rule).
    expect(at(resolve({ workingDays: 10 }, { now: sh('2026-12-18T09:00') }))).toEqual(['2027-01-01T10:00:00.000Z', 'wd:10', [2027]]);
    expect(ok(resolve({ workingDays: 10 }, { now: sh('2026-12-18T09:00') })).warnings).toEqual([
      '2027年的法定节假日尚未公布，期限暂按周末休息计算；节假日公布后请管理员录入并核对期限。',
    ]);
    expect(ok(resolve({ workingDays: 9 }, { now: sh('2026-12-18T09:00') })).uncoveredYears).toEqual([]);
  });

  it('C3: counting starts from the Shanghai registration date, not the UTC one', () => {
    // 07:00 Mon 2026-03-02 in Shanghai is still Sun 03-01 in UTC; counted from 03-01 the answer would be 03-13.
    expect(ok(resolve({ workingDays: 10 }, { now: sh('2026-03-02T07:00') })).at.toISOString()).toBe('2026-03-16T10:00:00.000Z');
  });

  it('C3: the count must be a whole number from 1 to 250', () => {
    const codes = [0, -1, 1.5, 251].map((n) => (resolve({ workingDays: n }) as DeadlineProblem).code);
    expect(codes).toEqual(['DEADLINE.BAD_WORKING_DAYS', 'DEADLINE.BAD_WORKING_DAYS', 'DEADLINE.BAD_WORKING_DAYS', 'DEADLINE.BAD_WORKING_DAYS']);
  });
});

describe('C3: more than one month needs a reason', () => {
  it('C3: a deadline beyond one month without a reason → DEADLINE.REASON_REQUIRED', () => {
    expect(resolve({ date: '2026-04-03' })).toEqual({
      code: 'DEADLINE.REASON_REQUIRED',
      field: 'deadlineReason',
      message: '办理期限超过1个月（2026-04-03 18:00），请填写「期限理由」说明原因。',
    });
    expect((resolve({ workingDays: 30 }, { reason: '   ' }) as DeadlineProblem).code).toBe('DEADLINE.REASON_REQUIRED');
  });

  it('C3: with a reason it passes; exactly one month (node 1m) needs none', () => {
    expect(at(resolve({ date: '2026-04-03' }, { reason: '需协调省级部门' }))).toEqual(['2026-04-03T10:00:00.000Z', 'date:2026-04-03', []]);
    expect(ok(resolve({ node: '1m' })).spec).toBe('1m');
    expect('code' in resolve({ date: '2026-04-03' }, { policy: { ...policy, reasonBeyondMonths: 2 } })).toBe(false);
  });
});

describe('E1: extension requests (001 §16: 承办单位须提前2天提出延期办结申请; 004 §20: 应提前…申请延长办理期限)', () => {
  const deadlineAt = sh('2026-03-20T18:00'); // a Friday
  const good = { newDeadline: sh('2026-03-31T18:00'), reason: '需等待省厅批复', plan: '3月25日前报送材料' };
  const check = (now: Date, input = good, p: DeadlinePolicy = policy, due = deadlineAt) =>
    checkExtensionRequest(input, { now, deadlineAt: due, calendar, policy: p });

  it('E1: 提前2天 counts working days before the deadline DAY — a 7d item due Monday 03-09 18:00 may ask until Thursday 03-05 24:00 (not Saturday 18:00)', () => {
    const monday = sh('2026-03-09T18:00');
    expect(lastExtensionDay(monday, calendar, policy)).toBe('2026-03-05');
    expect(check(sh('2026-03-05T23:59'), good, policy, monday)).toBeNull();
    expect(check(sh('2026-03-06T00:00'), { ...good, newDeadline: sh('2026-03-20T18:00') }, policy, monday)).toEqual({
      code: 'EXTENSION.TOO_LATE',
      field: 'newDeadline',
      message:
        '延期须在期限前至少2个工作日提出。本事项期限 2026-03-09 18:00，最迟应于 2026年3月5日（含当日）申请，现已超过，不能再申请延期。请按期申请办结；确实无法按期完成的，请反馈未能按期完成的原因。',
    });
  });

  it('E1: 提前2天 skips 劳动节 — a deadline on 05-06 may be asked for until 04-29', () => {
    expect(lastExtensionDay(sh('2026-05-06T18:00'), calendar, policy)).toBe('2026-04-29');
    expect(check(sh('2026-04-29T20:00'), { ...good, newDeadline: sh('2026-05-20T18:00') }, policy, sh('2026-05-06T18:00'))).toBeNull();
    expect(check(sh('2026-04-30T08:00'), good, policy, sh('2026-05-06T18:00'))?.code).toBe('EXTENSION.TOO_LATE');
  });

  it('E1: the count is policy data — calendar days, or 3 days instead of 2', () => {
    expect(lastExtensionDay(sh('2026-03-09T18:00'), calendar, { ...policy, extensionDaysUnit: 'calendar_day' })).toBe('2026-03-07');
    const three = { ...policy, extensionMinDaysBefore: 3 };
    expect(check(sh('2026-03-18T06:00'))).toBeNull();
    const r = check(sh('2026-03-18T06:00'), good, three);
    expect(r?.code).toBe('EXTENSION.TOO_LATE');
    expect(r?.message).toContain('延期须在期限前至少3个工作日提出');
    expect(r?.message).toContain('最迟应于 2026年3月17日（含当日）申请');
    expect(check(sh('2026-03-17T23:00'), good, three)).toBeNull();
  });

  it('E1: a reason and a plan are required', () => {
    const early = sh('2026-03-10T09:00');
    expect(check(early, { ...good, reason: undefined as unknown as string })).toEqual({
      code: 'EXTENSION.REASON_REQUIRED',
      field: 'reason',
      message: '申请延期须写明理由。',
    });
    expect(check(early, { ...good, reason: ' \n' })?.code).toBe('EXTENSION.REASON_REQUIRED');
    expect(check(early, { ...good, plan: '' })).toEqual({ code: 'EXTENSION.PLAN_REQUIRED', field: 'plan', message: '申请延期须附落实方案。' });
  });

  it('E1: the new deadline must be later than the current one', () => {
    const early = sh('2026-03-10T09:00');
    expect(check(early, { ...good, newDeadline: deadlineAt })).toEqual({
      code: 'EXTENSION.NOT_LATER',
      field: 'newDeadline',
      message: '新期限须晚于现期限 2026-03-20 18:00，请重新填写。',
    });
    expect(check(early, { ...good, newDeadline: sh('2026-03-15T18:00') })?.code).toBe('EXTENSION.NOT_LATER');
    expect(check(early, { ...good, newDeadline: sh('2026-03-20T18:01') })).toBeNull();
  });
});

describe('issue 14: a new deadline typed in chat that is probably not what was meant is asked about first', () => {
  const d = (iso: string) => new Date(`${iso}T10:00:00Z`);
  const base = { now: d('2026-12-02'), deadlineAt: d('2026-12-09'), startedAt: d('2026-12-02') };
  it('a date typed without a year that fell into next year', () => {
    expect(extensionNeedsConfirmation({ ...base, newDeadline: d('2027-12-01'), yearGuessed: true })).toBe(true);
    expect(extensionNeedsConfirmation({ ...base, newDeadline: d('2027-01-05'), yearGuessed: true })).toBe(true);
  });
  it('more than a year away, or more than the whole span so far and more than 30 days', () => {
    expect(extensionNeedsConfirmation({ ...base, newDeadline: d('2027-12-10') })).toBe(true);
    expect(extensionNeedsConfirmation({ ...base, newDeadline: d('2027-02-10') })).toBe(true); // +63 days on a 7-day item
    expect(extensionNeedsConfirmation({ ...base, newDeadline: d('2026-12-31') })).toBe(false); // +22 days: an ordinary slip
    // a half-year item extended by two months: less than its span
    expect(extensionNeedsConfirmation({ now: d('2026-06-01'), deadlineAt: d('2026-07-01'), startedAt: d('2026-01-01'), newDeadline: d('2026-09-01') })).toBe(
      false,
    );
  });
});
