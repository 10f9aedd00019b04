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
  DEFAULT_DEADLINE_POLICY,
  DeadlinePolicy,
  DeadlineProblem,
  DeadlineSpec,
  ResolvedDeadline,
  checkExtensionRequest,
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

describe('C3: time nodes from registration', () => {
  it('C3: 1d/3d/7d are exactly +24h/+72h/+168h', () => {
    expect(at(resolve({ node: '1d' }))).toEqual(['2026-03-03T01:00:00.000Z', '1d', []]);
    expect(at(resolve({ node: '3d' }))).toEqual(['2026-03-05T01:00:00.000Z', '3d', []]);
    expect(at(resolve({ node: '7d' }))).toEqual(['2026-03-09T01:00:00.000Z', '7d', []]);
  });

  it('C3: 1m is the same Shanghai local time one calendar month later', () => {
    expect(at(resolve({ node: '1m' }))).toEqual(['2026-04-02T01:00:00.000Z', '1m', []]);
    // 07:00 on 31 March in Shanghai is still 30 March in UTC: the month is counted on the local date.
    expect(ok(resolve({ node: '1m' }, { now: sh('2026-03-31T07:00') })).at.toISOString()).toBe('2026-04-29T23:00:00.000Z');
  });

  it('C3: Jan 31 + 1m clamps to the last day of February (28, or 29 in a leap year)', () => {
    expect(ok(resolve({ node: '1m' }, { now: sh('2026-01-31T10:30') })).at.toISOString()).toBe('2026-02-28T02:30:00.000Z');
    expect(ok(resolve({ node: '1m' }, { now: sh('2028-01-31T10:30') })).at.toISOString()).toBe('2028-02-29T02:30:00.000Z');
  });

  it('C3: with no spec, the default node of the board applies (daily → 7d, key_task/reform/ongoing → 1m)', () => {
    expect(at(resolve(undefined, { board: 'daily' }))).toEqual(['2026-03-09T01:00:00.000Z', '7d', []]);
    for (const board of ['key_task', 'reform', 'ongoing'] as const) {
      expect(at(resolve(undefined, { board }))).toEqual(['2026-04-02T01:00:00.000Z', '1m', []]);
    }
  });

  it('C3: 专项督查 with no spec → 10 working days (18:00 on the day); an explicit spec wins', () => {
    // Mon 2026-03-02: 03-03..03-06 (4), 03-09..03-13 (9), Mon 03-16 (10).
    expect(at(resolve(undefined, { category: 'special', board: 'key_task' }))).toEqual(['2026-03-16T10:00:00.000Z', 'wd:10', []]);
    expect(at(resolve({ node: '3d' }, { category: 'special' }))).toEqual(['2026-03-05T01:00:00.000Z', '3d', []]);
  });
});

describe('C3: absolute dates', () => {
  it('C3: a date falls due that day at policy.dayEnd (18:00 Shanghai = 10:00 UTC)', () => {
    expect(at(resolve({ date: '2026-03-20' }))).toEqual(['2026-03-20T10:00:00.000Z', 'date:2026-03-20', []]);
    expect(at(resolve({ date: '2026-03-02' }))).toEqual(['2026-03-02T10:00:00.000Z', 'date:2026-03-02', []]);
    expect(ok(resolve({ date: '2026-03-20' }, { policy: { ...policy, dayEnd: '17:30' } })).at.toISOString()).toBe('2026-03-20T09:30:00.000Z');
  });

  it('C3: invalid dates are refused with DEADLINE.BAD_DATE', () => {
    for (const date of ['2026-02-30', '2026-2-3', '2026-13-01', '2026-03-20T18:00', '']) {
      const r = resolve({ date });
      expect(['code' in r ? r.code : null, 'field' in r ? r.field : null]).toEqual(['DEADLINE.BAD_DATE', 'deadlineDate']);
    }
  });

  it('C3: a date already past is refused with DEADLINE.IN_PAST', () => {
    expect(resolve({ date: '2026-03-01' })).toEqual({
      code: 'DEADLINE.IN_PAST',
      field: 'deadlineDate',
      message: '办理期限 2026-03-01 18:00 已过，请给一个将来的期限。',
    });
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
      message: 'C3：办理期限超过1个月（2026-04-03 18:00），须填写「期限说明」写明理由。',
    });
    expect((resolve({ workingDays: 30 }, { reason: '   ' }) as DeadlineProblem).code).toBe('DEADLINE.REASON_REQUIRED');
  });

  it('C3: with a reason it passes; exactly one month (node 1m) needs none', () => {
    expect(at(resolve({ date: '2026-04-03' }, { reason: '需协调省级部门' }))).toEqual(['2026-04-03T10:00:00.000Z', 'date:2026-04-03', []]);
    expect(ok(resolve({ node: '1m' })).spec).toBe('1m');
    expect('code' in resolve({ date: '2026-04-03' }, { policy: { ...policy, reasonBeyondMonths: 2 } })).toBe(false);
  });
});

describe('E1: extension requests', () => {
  const deadlineAt = sh('2026-03-20T18:00');
  const good = { newDeadline: sh('2026-03-31T18:00'), reason: '需等待省厅批复', plan: '3月25日前报送材料' };
  const check = (now: Date, input = good, p: DeadlinePolicy = policy) => checkExtensionRequest(input, { now, deadlineAt, policy: p });

  it('E1: exactly 2 days before the deadline is still allowed', () => {
    expect(check(sh('2026-03-18T18:00'))).toBeNull();
  });

  it('E1: 2 days minus 1 minute before is too late, and the refusal quotes the rule and the deadline', () => {
    expect(check(sh('2026-03-18T18:01'))).toEqual({
      code: 'EXTENSION.TOO_LATE',
      field: 'newDeadline',
      message: 'E1：延期须在期限前至少2天提出。本事项期限 2026-03-20 18:00，最迟应于 2026-03-18 18:00 前申请；请联系立项主体说明情况。',
    });
  });

  it('E1: the minimum is policy data — with 3 days, a request 2.5 days before is too late', () => {
    const three = { ...policy, extensionMinDaysBefore: 3 };
    const now = sh('2026-03-18T06:00');
    expect(check(now)).toBeNull();
    const r = check(now, good, three);
    expect(r?.code).toBe('EXTENSION.TOO_LATE');
    expect(r?.message).toContain('E1：延期须在期限前至少3天提出');
    expect(r?.message).toContain('最迟应于 2026-03-17 18:00 前申请');
    expect(check(sh('2026-03-17T18:00'), good, three)).toBeNull();
  });

  it('E1: a reason and a plan are required', () => {
    const early = sh('2026-03-10T09:00');
    expect(check(early, { ...good, reason: undefined as unknown as string })).toEqual({
      code: 'EXTENSION.REASON_REQUIRED',
      field: 'reason',
      message: 'E1：申请延期须写明理由。',
    });
    expect(check(early, { ...good, reason: ' \n' })?.code).toBe('EXTENSION.REASON_REQUIRED');
    expect(check(early, { ...good, plan: '' })).toEqual({ code: 'EXTENSION.PLAN_REQUIRED', field: 'plan', message: 'E1：申请延期须附落实方案。' });
  });

  it('E1: the new deadline must be later than the current one', () => {
    const early = sh('2026-03-10T09:00');
    expect(check(early, { ...good, newDeadline: deadlineAt })).toEqual({
      code: 'EXTENSION.NOT_LATER',
      field: 'newDeadline',
      message: 'E1：新期限须晚于现期限 2026-03-20 18:00。',
    });
    expect(check(early, { ...good, newDeadline: sh('2026-03-15T18:00') })?.code).toBe('EXTENSION.NOT_LATER');
    expect(check(early, { ...good, newDeadline: sh('2026-03-20T18:01') })).toBeNull();
  });
});
