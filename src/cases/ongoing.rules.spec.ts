/** E2 by board (issue 13 §4): where an approved extension takes an item, on the real 2026 calendar dates. */
import { DEFAULT_DEADLINE_POLICY } from '../settings/deadline-policy';
import { extensionTrack } from './ongoing.rules';

const sh = (s: string) => new Date(`${s}:00+08:00`);
const policy = DEFAULT_DEADLINE_POLICY;
const registeredAt = sh('2026-03-02T09:00');

describe('E2 by board: 7 days for daily items, one month for key tasks and reforms', () => {
  it('E2 — 001 §16: 对在7天或1个月时间节点内无法办结、确需长期推进的事项…转入系统“持续跟进”版块 — a daily item extended past 7 days of registration moves to 持续跟进', () => {
    expect(extensionTrack({ board: 'daily', registeredAt }, sh('2026-03-09T09:00'), policy)).toBeNull();
    expect(extensionTrack({ board: 'daily', registeredAt }, sh('2026-03-09T09:01'), policy)).toBe('ongoing');
  });

  it.each(['key_task', 'reform'] as const)(
    'E2 — 重点工作任务制度: 对在一个月内确实解决不了的事项…转入“持续推进”板块跟踪督办，并逐月反馈，季度小结，年底清零 — %s: one calendar month, not 7 days',
    (board) => {
      expect(extensionTrack({ board, registeredAt }, sh('2026-03-20T18:00'), policy)).toBeNull();
      expect(extensionTrack({ board, registeredAt }, sh('2026-04-02T09:00'), policy)).toBeNull();
      expect(extensionTrack({ board, registeredAt }, sh('2026-04-02T09:01'), policy)).toBe('continuing');
      expect(extensionTrack({ board, registeredAt }, sh('2026-12-31T18:00'), policy)).toBe('continuing');
    },
  );

  it('E2 — an item already on 持续跟进 stays there', () => {
    expect(extensionTrack({ board: 'ongoing', registeredAt }, sh('2026-12-31T18:00'), policy)).toBeNull();
  });

  it('E2 — both thresholds are policy data (默认值可由管理员修改)', () => {
    expect(DEFAULT_DEADLINE_POLICY.ongoingAfterDays).toBe(7);
    expect(DEFAULT_DEADLINE_POLICY.keyTaskOngoingAfterMonths).toBe(1);
    expect(extensionTrack({ board: 'daily', registeredAt }, sh('2026-03-20T18:00'), { ...policy, ongoingAfterDays: 30 })).toBeNull();
    expect(extensionTrack({ board: 'key_task', registeredAt }, sh('2026-04-30T18:00'), { ...policy, keyTaskOngoingAfterMonths: 2 })).toBeNull();
    expect(extensionTrack({ board: 'key_task', registeredAt }, sh('2026-05-02T09:01'), { ...policy, keyTaskOngoingAfterMonths: 2 })).toBe('continuing');
  });
});
