import type { Board, Source } from '../shared/vocabulary';
import { DEFAULT_POLICIES, isAddOn, LANDED_POLICY_VERSIONS, policyFor, ReminderPolicy, specificity } from './reminder.policy';

const byId = (id: string): ReminderPolicy => {
  const p = DEFAULT_POLICIES.find((x) => x.id === id);
  if (!p || isAddOn(p)) throw new Error(`no whole seed policy ${id}`);
  return p;
};

describe('DEFAULT_POLICIES — DOMAIN §4 seeded as data (R10)', () => {
  it('R10: 提醒是数据不是代码 — every policy survives a JSON round trip unchanged (they become editable rows)', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_POLICIES))).toEqual(DEFAULT_POLICIES);
  });

  it('ids are unique, each default is newer than its landed versions, and exactly one catch-all (appliesTo {}) exists', () => {
    const ids = DEFAULT_POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(DEFAULT_POLICIES.map((p) => `${p.id}@${p.version}`)).toEqual([
      'default@1',
      'daily@1',
      'key_task@1',
      'ongoing@1',
      'work_report@2',
      'livelihood@2',
      'rectification@1',
      'open_ended@1',
    ]);
    for (const old of LANDED_POLICY_VERSIONS) expect(DEFAULT_POLICIES.find((p) => p.id === old.id)!.version).toBeGreaterThan(old.version);
    expect(DEFAULT_POLICIES.filter((p) => Object.keys(p.appliesTo).length === 0).map((p) => p.id)).toEqual(['default']);
  });

  it('policies do not share nested objects (editing one row must not change another)', () => {
    byId('daily').afterDeadline.push({ hours: 99 });
    try {
      expect(byId('key_task').afterDeadline).toEqual([{ hours: 5 }, { hours: 24 }, { hours: 48 }]);
    } finally {
      byId('daily').afterDeadline.pop();
    }
  });

  it.each(['default', 'daily', 'key_task', 'ongoing'])(
    'R1/R4/R5 in %s: 截止时限前5小时和逾期5小时、1天、2天; 逾期1天内每3小时、逾期2天内每2小时; 逾期3天重点督办',
    (id) => {
      const p = byId(id);
      expect(p.beforeDeadline).toEqual([{ hours: 5 }]);
      expect(p.afterDeadline).toEqual([{ hours: 5 }, { hours: 24 }, { hours: 48 }]);
      expect(p.overdueCadence).toEqual([
        { untilHours: 24, everyHours: 3 },
        { untilHours: 48, everyHours: 2 },
      ]);
      expect(p.escalateToLeaderAfterHours).toBe(48);
      expect(p.keySupervisionAfterHours).toBe(72);
      expect(p.quietHours).toEqual({ start: '22:00', end: '08:00' });
    },
  );

  it.each([
    ['daily', 'R2: 对推进1个月以上的事项，由"1"版块每周短信提醒一次 (以上 includes a 28-day 1m node)', 28],
    ['ongoing', 'E2: 转入"持续跟进"版块…每周发送短信提醒', 0],
    ['key_task', 'R2: "2"版块按照各自督办制度予以提醒 — no weekly', undefined],
    ['default', 'catch-all: node rules only', undefined],
  ])('%s — %s', (id, _why, days) => {
    expect(byId(id).weeklyWhenLongerThanDays).toBe(days);
  });

  it('R6: 从下月1日开始，每日8时、15时分别催办一次，连续提醒2日…超过时限2日未上报的事项，交由市政府督查室核查问责', () => {
    const want = { urgeAt: ['08:00', '15:00'], urgeDays: 2, escalateAfterDays: 2 };
    expect(byId('key_task').monthEndReport).toEqual(want);
    expect(byId('ongoing').monthEndReport).toEqual(want); // E2: 按月报告进展情况
    expect(byId('daily').monthEndReport).toBeUndefined();
  });

  it('R7: 季度小结 only on the key_task/reform boards (重点工作任务、重大改革事项制度)', () => {
    expect(DEFAULT_POLICIES.filter((p) => !isAddOn(p) && p.quarterlySummary).map((p) => p.id)).toEqual(['key_task']);
    expect(byId('key_task').appliesTo).toEqual({ boards: ['key_task', 'reform'] });
  });

  it('R8: 政府工作报告 于每年4月10日、7月10日、10月10日、12月10日; 十件实事 于每月10日、每月15日 — add-ons on top of the item’s own policy', () => {
    const addOn = (id: string) => DEFAULT_POLICIES.find((p) => p.id === id)!;
    expect(addOn('work_report')).toEqual({
      id: 'work_report',
      version: 2,
      layer: 'add_on',
      appliesTo: { sources: ['work_report'] },
      fixedReportDates: [{ months: [4, 7, 10, 12], day: 10 }],
    });
    expect(addOn('livelihood')).toEqual({
      id: 'livelihood',
      version: 2,
      layer: 'add_on',
      appliesTo: { sources: ['livelihood'] },
      fixedReportDates: { monthly: [10, 15] },
    });
  });

  it('R9: 整改时限为2个工作日(48小时)，并于第3日12:00前报送 — no cadence, no leader, no 重点督办', () => {
    const p = byId('rectification');
    expect([p.rectificationHours, p.rectificationReportBy]).toEqual([48, '12:00']);
    expect([p.afterDeadline, p.overdueCadence, p.escalateToLeaderAfterHours, p.keySupervisionAfterHours]).toEqual([[], [], null, null]);
  });

  it('C3 / 000 §12: 对未明确办理时限的…年终做出书面综合报告 — one notice a week before the year-end report; no cadence, no leader, no 重点督办', () => {
    const p = byId('open_ended');
    expect(p.appliesTo).toEqual({ kinds: ['open_ended'] });
    expect([p.beforeDeadline, p.afterDeadline, p.overdueCadence, p.escalateToLeaderAfterHours, p.keySupervisionAfterHours]).toEqual([
      [{ hours: 168 }],
      [],
      [],
      null,
      null,
    ]);
    expect([p.monthEndReport, p.quarterlySummary, p.fixedReportDates, p.weeklyWhenLongerThanDays]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('policyFor — the most specific whole policy wins: kind > source > board > default; add-ons layer on top', () => {
  it.each<[Board, Source, 'rectification' | 'open_ended' | undefined, string]>([
    ['daily', 'meeting', undefined, 'daily'],
    ['key_task', 'instruction', undefined, 'key_task'],
    ['reform', 'reform', undefined, 'key_task'],
    ['ongoing', 'hotline', undefined, 'ongoing'],
    ['key_task', 'work_report', undefined, 'key_task+work_report'], // R6/R7 kept, R8 on top
    ['daily', 'livelihood', undefined, 'daily+livelihood'],
    ['ongoing', 'livelihood', undefined, 'ongoing+livelihood'],
    ['daily', 'work_report', 'rectification', 'rectification'], // kind beats source
    ['key_task', 'meeting', 'rectification', 'rectification'],
    ['key_task', 'livelihood', 'open_ended', 'open_ended'], // an item without a time limit, whatever its board and source
  ])('board=%s source=%s kind=%s → %s', (board, source, kind, want) => {
    expect(policyFor({ board, source, kind }, DEFAULT_POLICIES).id).toBe(want);
  });

  it('a board nobody configured falls back to the catch-all', () => {
    expect(policyFor({ board: 'special' as Board, source: 'other' }, DEFAULT_POLICIES).id).toBe('default');
  });

  it('specificity: weights 4/2/1, a mismatch on any constrained field excludes, empty lists do not constrain', () => {
    const item = { board: 'daily' as Board, source: 'meeting' as Source };
    expect(specificity(item, {})).toBe(0);
    expect(specificity(item, { boards: ['daily'] })).toBe(1);
    expect(specificity(item, { sources: ['meeting'] })).toBe(2);
    expect(specificity(item, { sources: ['meeting'], boards: ['daily'] })).toBe(3);
    expect(specificity({ ...item, kind: 'rectification' }, { kinds: ['rectification'] })).toBe(4);
    expect(specificity(item, { kinds: ['rectification'] })).toBe(-1);
    expect(specificity(item, { sources: ['meeting'], boards: ['key_task'] })).toBe(-1);
    expect(specificity(item, { boards: [], sources: [] })).toBe(0);
  });

  const base: ReminderPolicy = { ...byId('default'), id: 'x', appliesTo: {} };

  it('a policy constraining source and board beats one constraining the source only', () => {
    const both = { ...base, id: 'both', appliesTo: { sources: ['work_report' as Source], boards: ['key_task' as Board] } };
    const policies = [...DEFAULT_POLICIES, both];
    expect(policyFor({ board: 'key_task', source: 'work_report' }, policies).id).toBe('both+work_report');
    const bySource = { ...base, id: 'by_source', appliesTo: { sources: ['work_report' as Source] } };
    expect(policyFor({ board: 'daily', source: 'work_report' }, [...policies, bySource]).id).toBe('by_source+work_report');
  });

  it('only the highest version of an id counts, wherever it is listed', () => {
    const v1 = { ...base, id: 'daily', version: 1, appliesTo: { boards: ['daily' as Board] }, notifyAt: '09:00' };
    const v2 = { ...v1, version: 2, notifyAt: '10:00' };
    expect(policyFor({ board: 'daily', source: 'meeting' }, [v2, v1, base]).notifyAt).toBe('10:00');
    expect(policyFor({ board: 'daily', source: 'meeting' }, [v1, v2, base]).notifyAt).toBe('10:00');
    // v2 narrowed away from the board: the older v1 must not come back.
    const v3 = { ...v1, version: 3, appliesTo: { boards: ['reform' as Board] } };
    expect(policyFor({ board: 'daily', source: 'meeting' }, [v1, v2, v3, base]).id).toBe('x');
  });

  it('on a tie the policy listed first wins (deterministic from the data alone)', () => {
    const a = { ...base, id: 'a', appliesTo: { boards: ['daily' as Board] } };
    const b = { ...base, id: 'b', appliesTo: { boards: ['daily' as Board] } };
    expect(policyFor({ board: 'daily', source: 'meeting' }, [a, b]).id).toBe('a');
    expect(policyFor({ board: 'daily', source: 'meeting' }, [b, a]).id).toBe('b');
  });

  it('no matching policy is a data error, reported with the item', () => {
    expect(() => policyFor({ board: 'daily', source: 'meeting' }, [])).toThrow(/no reminder policy applies to board=daily source=meeting/);
    const onlyReform = { ...base, appliesTo: { boards: ['reform' as Board] } };
    expect(() => policyFor({ board: 'daily', source: 'meeting' }, [onlyReform])).toThrow(RangeError);
  });
});
