import { policyProblems } from './policy.validation';
import { DEFAULT_POLICIES, ReminderPolicy } from './reminder.policy';

const daily = DEFAULT_POLICIES.find((p) => p.id === 'daily')! as ReminderPolicy;

describe('R10: a policy is checked before it is saved', () => {
  it('every seeded policy passes', () => {
    expect(DEFAULT_POLICIES.flatMap((p) => policyProblems(p))).toEqual([]);
  });

  it('issue 13: overdueClock is working or calendar, quietDays is yes or no; both may be left out (defaults: working, yes)', () => {
    expect(policyProblems({ ...daily, overdueClock: 'calendar', quietDays: false })).toEqual([]);
    const { overdueClock: _c, quietDays: _q, ...old } = daily;
    expect(policyProblems(old)).toEqual([]);
    expect(policyProblems({ ...daily, overdueClock: 'hours', quietDays: 'yes' })).toEqual([
      { field: 'overdueClock', message: '「逾期计时方式」须为 working（只计工作日）或 calendar（按自然时间）。' },
      { field: 'quietDays', message: '「节假日不发送」须为 true 或 false。' },
    ]);
  });

  it('messages name the field in Chinese and carry no rule id', () => {
    const problems = policyProblems({ ...daily, overdueCadence: [{ untilHours: 24, everyHours: 0 }], quietHours: { start: '25:00', end: '08:00' } });
    expect(problems.map((p) => p.field)).toEqual(['overdueCadence[0]', 'quietHours']);
    for (const p of problems) {
      expect(p.message).not.toMatch(/R\d+：|[a-zA-Z]{6,}/);
    }
  });
});
