import { itemActions, ItemActionFacts, refusalOf } from './item-actions.rules';
import type { ActorRelation } from './item.rules';

const none: ActorRelation = { isSupervisor: false, isOwner: false, isLeader: false };
const lead: ActorRelation = { ...none, unitRole: 'lead' };
const co: ActorRelation = { ...none, unitRole: 'co' };
const owner: ActorRelation = { ...none, isOwner: true };
const leader: ActorRelation = { ...none, isLeader: true };
const office: ActorRelation = { ...none, isSupervisor: true };

const facts = (over: Partial<ItemActionFacts> = {}): ItemActionFacts => ({
  number: 'DB2026-0001',
  state: 'in_progress',
  decomposed: false,
  isChild: false,
  relation: lead,
  mySigned: true,
  standingReport: false,
  pendingExtension: null,
  pendingClosure: false,
  servedParty: null,
  keySupervision: false,
  failedClosureAttempts: 0,
  deadline: '2026-03-20T18:00:00+08:00',
  extensionLastDay: '2026-03-18',
  extensionOpen: true,
  extensionMinDaysBefore: 2,
  extensionDaysUnit: 'working_day',
  dayEnd: '18:00',
  ...over,
});
const keys = (f: ItemActionFacts) => itemActions(f).actions.map((a) => a.action);

describe('item actions: the buttons a person may press now (issue 15)', () => {
  it('a lead-unit contact on an assigned item it has not signed: 签收 and 申请延期 — not 反馈 before signing', () => {
    expect(keys(facts({ state: 'assigned', mySigned: false }))).toEqual(['sign', 'request_extension']);
  });

  it('the lead unit in progress: 反馈, 申请办结, 申请延期; 签收 is gone once signed', () => {
    expect(keys(facts())).toEqual(['report', 'request_closure', 'request_extension']);
  });

  it('E1: past the last day to ask, 申请延期 is not offered and the refusal names the last day', () => {
    const f = facts({ extensionOpen: false });
    expect(keys(f)).not.toContain('request_extension');
    expect(itemActions(f).unavailable.find((u) => u.action === 'request_extension')?.message).toContain('2026年3月18日（含当日）');
  });

  it('the extension form carries the current deadline and the cut-off', () => {
    const ext = itemActions(facts()).actions.find((a) => a.action === 'request_extension')!;
    expect(ext.form).toMatchObject({ currentDeadline: '2026-03-20T18:00:00+08:00', lastDay: '2026-03-18', minDaysBefore: 2 });
    expect(ext.hint).toContain('2026年3月18日');
  });

  it('a pending extension: the unit may withdraw it instead of filing another; the owner decides it', () => {
    const pendingExtension = { id: 7, proposedDeadline: '2026-04-01T18:00:00+08:00', reason: '材料未齐', plan: '下周补齐', requestedAt: null };
    expect(keys(facts({ pendingExtension }))).toEqual(['report', 'request_closure', 'withdraw']);
    const own = itemActions(facts({ relation: owner, pendingExtension }));
    expect(own.actions.map((a) => a.action)).toEqual(['decide_extension', 'urge']);
    expect(own.actions[0].form).toEqual({ request: pendingExtension });
  });

  it('a co-unit signs for itself and then has nothing to press; asked to report it is told to go through the lead unit', () => {
    expect(keys(facts({ relation: co, mySigned: false }))).toEqual(['sign']);
    const after = itemActions(facts({ relation: co }));
    expect(after.actions).toEqual([]);
    expect(after.unavailable.find((u) => u.action === 'report')?.message).toContain('协办单位');
  });

  it('the owner: 退回 needs a standing report while in progress; 评定 with the four grades and 退回 on a closure request', () => {
    expect(keys(facts({ relation: owner }))).toEqual(['urge']);
    expect(keys(facts({ relation: owner, standingReport: true }))).toEqual(['return', 'urge']);
    const closure = itemActions(facts({ relation: owner, state: 'closure_requested', pendingClosure: true }));
    expect(closure.actions.map((a) => a.action)).toEqual(['rate', 'return']);
    expect(closure.actions[0].form).toEqual({
      grades: [
        { value: 'excellent', label: '优秀' },
        { value: 'good', label: '良好' },
        { value: 'pass', label: '合格' },
        { value: 'fail', label: '不合格' },
      ],
    });
    expect(closure.actions[1].label).toBe('退回办结申请');
  });

  it('the lead unit may withdraw its closure request until the owner starts the review', () => {
    expect(keys(facts({ state: 'closure_requested', pendingClosure: true }))).toEqual(['withdraw']);
    expect(keys(facts({ state: 'under_review', pendingClosure: true }))).toEqual([]);
  });

  it('the leader: 审定 and 退回 only while the item awaits 审定; nothing while it is in progress', () => {
    expect(keys(facts({ relation: leader, state: 'pending_approval' }))).toEqual(['sign_off', 'leader_return']);
    expect(keys(facts({ relation: leader }))).toEqual([]);
    // ?do=退回 names the leader's own rule while the item awaits 审定, the owner's otherwise.
    const unit = itemActions(facts({ state: 'pending_approval' }));
    expect(unit.unavailable.find((u) => u.action === 'return')?.message).toContain('分管领导');
  });

  it('the 督查室: 交办 a registered item; 催办, 重点督办 and 调整 an open one; 归档 a closed one', () => {
    expect(keys(facts({ relation: office, state: 'registered' }))).toEqual(['assign', 'decompose', 'key_supervision', 'reassign']);
    const open = itemActions(facts({ relation: office, keySupervision: true }));
    expect(open.actions.map((a) => a.action)).toEqual(['urge', 'key_supervision', 'reassign']);
    expect(open.actions[1]).toMatchObject({ label: '取消重点督办', form: { on: false } });
    expect(keys(facts({ relation: office, state: 'closed' }))).toEqual(['archive']);
    expect(keys(facts({ relation: office, state: 'archived' }))).toEqual([]);
  });

  it('a person with no part in the item has nothing to press, and every link says why', () => {
    const r = itemActions(facts({ relation: none }));
    expect(r.actions).toEqual([]);
    expect(r.unavailable.map((u) => u.action)).toEqual(['report', 'request_extension', 'request_closure', 'return']);
    for (const u of r.unavailable) expect(u.message).not.toMatch(/\b[A-Z]\d{1,2}\b/);
  });

  it('分解立项 (C4): offered to the 督查室 and the 立项主体 until the lead unit signs, never on a child item', () => {
    expect(keys(facts({ relation: owner, state: 'assigned' }))).toContain('decompose');
    expect(keys(facts({ relation: owner, state: 'in_progress' }))).not.toContain('decompose');
    expect(keys(facts({ relation: lead, state: 'assigned', mySigned: false }))).not.toContain('decompose');
    expect(keys(facts({ relation: office, state: 'registered', isChild: true }))).not.toContain('decompose');
    expect(refusalOf('decompose', facts({ relation: office, state: 'registered', isChild: true }))).toBe('子事项不能再分解。');
  });

  it('a decomposed item is worked on its children: only 归档 once closed', () => {
    expect(keys(facts({ relation: office, decomposed: true }))).toEqual([]);
    expect(refusalOf('urge', facts({ relation: office, decomposed: true }))).toContain('子事项');
    expect(keys(facts({ relation: office, decomposed: true, state: 'closed' }))).toEqual(['archive']);
  });

  it('核验 only after three failed attempts at the 服务对象 agreement', () => {
    expect(keys(facts({ relation: owner, failedClosureAttempts: 2 }))).not.toContain('verify');
    expect(keys(facts({ relation: owner, failedClosureAttempts: 3 }))).toContain('verify');
  });
});
