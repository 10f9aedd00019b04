/**
 * C5 (the life of a 督办事项) and P2–P4 (who may move it), against item.rules.ts.
 * The expected tables below are written out by hand from DOMAIN.md, never derived from ACTION_RULES,
 * so a change to the rule data shows up here as a failing test.
 */
import { ACTION_RULES, ActorRelation, ItemAction, checkAction, illegalTransition, nextState } from './item.rules';
import { ITEM_STATES, ItemState, Rating } from '../shared/vocabulary';

const NO = 'DB2026-0042';

/** Every state, in C5 order, with the label a person reads (hand-written, not STATE_LABELS). */
const STATES: [ItemState, string][] = [
  ['draft', '草稿'],
  ['registered', '已立项'],
  ['assigned', '已交办'],
  ['in_progress', '办理中'],
  ['closure_requested', '已申请办结'],
  ['under_review', '审核中'],
  ['pending_approval', '待审定'],
  ['closed', '已办结'],
  ['archived', '已归档'],
];
const LABEL = Object.fromEntries(STATES) as Record<ItemState, string>;
const OPEN: ItemState[] = ['registered', 'assigned', 'in_progress', 'closure_requested', 'under_review', 'pending_approval'];

/** C5 (+ C4, D1–D3, E1, F2): the states each action is legal in. */
const LEGAL_FROM: Record<ItemAction, ItemState[]> = {
  submit: ['draft'], // 立项: draft → registered
  assign: ['registered'], // 交办: the card is pushed
  decompose: ['registered', 'assigned'], // C4: split before the unit has signed
  sign: ['assigned', 'in_progress'], // co-units may still sign after the lead unit
  report: ['in_progress'], // F1
  return: ['in_progress', 'closure_requested', 'under_review'], // F2: a report or a closure under way
  leader_return: ['pending_approval'], // D3 (issue 14): the leader sends back what he will not approve
  withdraw: ['assigned', 'in_progress', 'closure_requested'], // issue 14: the unit withdraws its own pending request
  request_extension: ['assigned', 'in_progress'], // E1
  decide_extension: ['assigned', 'in_progress'], // E1
  request_closure: ['in_progress'], // D1
  start_review: ['closure_requested'],
  verify: ['in_progress'], // D1: after failed agreement attempts the item is still in progress
  rate: ['closure_requested', 'under_review'], // D2: from the review card, or after review started
  sign_off: ['pending_approval'], // D3
  archive: ['closed'],
  close_by_children: OPEN, // C4: a parent closes from any open state
  reassign: OPEN, // P2, P4 (issue 13): the 督查室 changes the owner, leader or units of an open item; closed ones are history
  urge: ['assigned', 'in_progress'], // R5, 000 §8.3: 催办 while the unit owes the work
  key_supervision: OPEN, // R5, 003 二(三): 重点督办 is a flag on an open item
};

const nobody: ActorRelation = { isSupervisor: false, isOwner: false, isLeader: false };
const ACTORS = {
  supervisor: { ...nobody, isSupervisor: true },
  owner: { ...nobody, isOwner: true },
  leader: { ...nobody, isLeader: true },
  leadUnit: { ...nobody, unitRole: 'lead' },
  coUnit: { ...nobody, unitRole: 'co' },
  system: { ...nobody, system: true },
  stranger: nobody,
} satisfies Record<string, ActorRelation>;
type ActorName = keyof typeof ACTORS;
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

/** P2–P4: who may take each action, and the reason the refusal gives, in the domain's words (no rule ids: issue 14). */
const ALLOWED: Record<ItemAction, [ActorName[], string]> = {
  submit: [['supervisor', 'owner'], '立项由督查室或立项主体办理'], // P2
  assign: [['supervisor', 'owner'], '交办由督查室或立项主体办理'], // P2
  decompose: [['supervisor', 'owner'], '分解立项由督查室或立项主体办理'], // C4
  sign: [['leadUnit', 'coUnit'], '签收由承办单位的联络员或负责人办理'], // P1
  report: [['leadUnit'], '只有主办单位可以反馈'], // P4
  return: [['owner'], '退回由本事项的立项主体办理'], // F2
  leader_return: [['leader'], '只能由本事项的分管领导退回'], // D3, 001 §17–18
  withdraw: [['leadUnit'], '只能由主办单位撤回'],
  request_extension: [['leadUnit'], '延期由主办单位申请'], // E1
  decide_extension: [['owner'], '延期由本事项的立项主体审批'], // E1
  request_closure: [['leadUnit'], '办结由主办单位申请'], // D1
  start_review: [['owner'], '办结审核由本事项的立项主体办理'], // D2
  verify: [['owner'], '核验由本事项的立项主体组织'], // D1
  rate: [['owner'], '办理结果由本事项的立项主体评定'], // D2
  sign_off: [['leader'], '审定由本事项的分管领导办理'], // D3
  archive: [['supervisor', 'owner'], '归档由督查室或立项主体办理'], // C6
  close_by_children: [['system'], '在子事项全部办结后自动办结'], // C4
  reassign: [['supervisor'], '由督查室办理'], // P2: the 督查室 only, not the owner office itself
  urge: [['supervisor', 'owner'], '催办由督查室或本事项的立项主体办理'], // 001 §13: 督查室, or the 立项主体 (兼为督办主体) by 电话催办
  key_supervision: [['supervisor'], '重点督办由督查室列入或取消'], // 001 §14: 由市政府督查室…进行重点督办
};
const RULE_ID = /[A-Z]\d+[：:]/;
const ACTIONS = Object.keys(LEGAL_FROM) as ItemAction[];
const allowedActor = (a: ItemAction) => ACTORS[ALLOWED[a][0][0]];

describe('C5 state machine: the tables cover the whole vocabulary', () => {
  it('C5: the expected tables name every action and every state of the rule core', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(ACTION_RULES).sort());
    expect(STATES.map(([s]) => s)).toEqual([...ITEM_STATES]);
  });
});

describe('C5: checkAction over every (action × state) pair, by an actor allowed to act', () => {
  const pairs = ACTIONS.flatMap((a) => STATES.map(([s]) => [a, s] as const));
  it.each(pairs)('C5: %s in %s', (action, state) => {
    const got = checkAction(action, state, allowedActor(action), NO);
    if (LEGAL_FROM[action].includes(state)) {
      expect(got).toBeNull();
    } else {
      expect(got).not.toBeNull();
      expect(got!.code).toBe('CASE.ILLEGAL_TRANSITION');
      expect(got!.kind).toBe('conflict');
      // Issue 14: what the state means and the next step, in words — no rule id, no state name in quotes.
      expect(got!.message).not.toMatch(RULE_ID);
      expect(got!.message).not.toContain(`「${LABEL[state]}」`);
      expect(got!.message).toContain(NO);
      expect(got!.message).toMatch(/现在不能[^。]+。.+/);
    }
  });

  it('C5 (issue 14): the refusal says what the state means for the person and what to do next', () => {
    expect(checkAction('report', 'closed', ACTORS.leadUnit, NO)).toEqual({
      code: 'CASE.ILLEGAL_TRANSITION',
      kind: 'conflict',
      message: '事项 DB2026-0042 已办结，现在不能反馈。无需再办理。如需查看办理情况，请发送：/查询 DB2026-0042',
    });
    expect(illegalTransition('rate', 'in_progress', 'DB2026-0007').message).toBe(
      '事项 DB2026-0007 正在办理，主办单位尚未申请办结，现在不能评定。待主办单位申请办结后再审核、评定。',
    );
    expect(illegalTransition('report', 'assigned', 'DB2026-0004').message).toBe(
      '事项 DB2026-0004 已交办，主办单位尚未签收，现在不能反馈。请先签收：/签收 DB2026-0004',
    );
    expect(illegalTransition('report', 'closure_requested', 'DB2026-0001').message).toBe(
      '事项 DB2026-0001 已申请办结，正在等待立项主体审核，现在不能反馈。如需补充材料，请联系立项主体。',
    );
    expect(illegalTransition('sign_off', 'under_review', 'DB2026-0001').message).toBe(
      '事项 DB2026-0001 的办结申请正在由立项主体审核，现在不能审定。待立项主体评定后再审定，届时会通知您。',
    );
  });

  it('C5: an archived item accepts nothing, not even from the system', () => {
    const refused = ACTIONS.filter((a) => checkAction(a, 'archived', allowedActor(a), NO) !== null);
    expect(refused).toEqual(ACTIONS);
  });
});

describe('C5: nextState for each legal transition', () => {
  it('C5: the full path draft → … → archived', () => {
    const path: [ItemAction, ItemState, ItemState][] = [
      ['submit', 'draft', 'registered'],
      ['assign', 'registered', 'assigned'],
      ['sign', 'assigned', 'in_progress'],
      ['request_closure', 'in_progress', 'closure_requested'],
      ['start_review', 'closure_requested', 'under_review'],
      ['rate', 'under_review', 'pending_approval'],
      ['sign_off', 'pending_approval', 'closed'],
      ['archive', 'closed', 'archived'],
    ];
    let state: ItemState = 'draft';
    for (const [action, from, to] of path) {
      expect(state).toBe(from);
      expect(checkAction(action, state, allowedActor(action), NO)).toBeNull();
      state = nextState(action, state, { leadSigned: true, rating: 'good' });
      expect([action, state]).toEqual([action, to]);
    }
  });

  it('D2: 优秀/良好/合格 go to the leader, 不合格 returns the item to the unit', () => {
    const rated = (r: Rating, from: ItemState) => nextState('rate', from, { rating: r });
    expect(['excellent', 'good', 'pass', 'fail'].map((r) => rated(r as Rating, 'under_review'))).toEqual([
      'pending_approval',
      'pending_approval',
      'pending_approval',
      'in_progress',
    ]);
    expect(rated('fail', 'closure_requested')).toBe('in_progress');
    expect(rated('excellent', 'closure_requested')).toBe('pending_approval');
  });

  it('F2, C5: return sends the item back to in_progress from every state it is legal in', () => {
    expect(LEGAL_FROM.return.map((s) => nextState('return', s))).toEqual(['in_progress', 'in_progress', 'in_progress']);
  });

  it('D1: a passed verification goes to review, a failed one leaves the item in progress', () => {
    expect(nextState('verify', 'in_progress', { verified: true })).toBe('under_review');
    expect(nextState('verify', 'in_progress', { verified: false })).toBe('in_progress');
    expect(nextState('verify', 'in_progress')).toBe('in_progress');
  });

  it('C5: a co-unit signing leaves the item assigned; the lead unit signing moves it to in_progress', () => {
    expect(nextState('sign', 'assigned', { leadSigned: false })).toBe('assigned');
    expect(nextState('sign', 'assigned')).toBe('assigned');
    expect(nextState('sign', 'assigned', { leadSigned: true })).toBe('in_progress');
    expect(nextState('sign', 'in_progress', { leadSigned: false })).toBe('in_progress');
    expect(nextState('sign', 'in_progress', { leadSigned: true })).toBe('in_progress');
  });

  it('C4: close_by_children closes the parent from every open state', () => {
    expect(OPEN.map((s) => nextState('close_by_children', s))).toEqual(OPEN.map(() => 'closed'));
  });

  it('F1, E1, C4: report, extensions and decomposition leave the state as it is', () => {
    expect(nextState('report', 'in_progress')).toBe('in_progress');
    expect(nextState('request_extension', 'assigned')).toBe('assigned');
    expect(nextState('decide_extension', 'in_progress')).toBe('in_progress');
    expect(nextState('decompose', 'registered')).toBe('registered');
    expect(nextState('decompose', 'assigned')).toBe('assigned');
  });
});

describe('P2–P4: who may do what', () => {
  const pairs = ACTIONS.flatMap((a) => ACTOR_NAMES.map((n) => [a, n] as const));
  it.each(pairs)('P2–P4: %s by %s', (action, name) => {
    const [allowed, why] = ALLOWED[action];
    const got = checkAction(action, LEGAL_FROM[action][0], ACTORS[name], NO);
    if (allowed.includes(name)) {
      expect(got).toBeNull();
    } else {
      expect(got).not.toBeNull();
      expect(got!.code).toBe('CASE.FORBIDDEN');
      expect(got!.kind).toBe('forbidden');
      expect(got!.message).toContain(why);
      expect(got!.message).not.toMatch(RULE_ID);
      expect(got!.message).toContain(NO);
    }
  });

  const forbiddenIn = (action: ItemAction, who: ActorRelation) => checkAction(action, LEGAL_FROM[action][0], who, NO);

  it('P4: only the lead unit reports (谁主办谁反馈)', () => {
    expect(forbiddenIn('report', ACTORS.leadUnit)).toBeNull();
    expect(forbiddenIn('report', ACTORS.coUnit)).toEqual({
      code: 'CASE.FORBIDDEN',
      kind: 'forbidden',
      message: '只有主办单位可以反馈事项 DB2026-0042；贵单位是协办单位，请把材料交主办单位汇总后反馈。',
    });
    expect(checkAction('report', 'in_progress', ACTORS.coUnit, NO, { leadUnitName: '市住建局' })?.message).toBe(
      '只有主办单位可以反馈事项 DB2026-0042；贵单位是协办单位，请把材料交主办单位（市住建局）汇总后反馈。',
    );
    expect(forbiddenIn('report', ACTORS.owner)?.message).toBe('只有主办单位可以反馈事项 DB2026-0042。如需了解进展，请发送：/查询 DB2026-0042');
  });

  it('P4: a co-unit cannot report, request an extension or request closure, but may sign', () => {
    const codes = (['report', 'request_extension', 'request_closure', 'sign'] as const).map((a) => forbiddenIn(a, ACTORS.coUnit)?.code ?? null);
    expect(codes).toEqual(['CASE.FORBIDDEN', 'CASE.FORBIDDEN', 'CASE.FORBIDDEN', null]);
  });

  it('P2: a unit contact (lead or co) cannot rate or sign off', () => {
    for (const unit of [ACTORS.leadUnit, ACTORS.coUnit]) {
      expect(forbiddenIn('rate', unit)?.message).toBe('办理结果由本事项的立项主体评定，您不能评定事项 DB2026-0042。如有需要，请联系本事项的立项主体。');
      expect(forbiddenIn('sign_off', unit)?.message).toBe('审定由本事项的分管领导办理，您不能审定事项 DB2026-0042。请等待分管领导审定，审定后会通知有关单位。');
    }
  });

  it("D3: the owner cannot sign off — only the item's leader", () => {
    expect(forbiddenIn('sign_off', ACTORS.owner)?.code).toBe('CASE.FORBIDDEN');
    expect(forbiddenIn('sign_off', ACTORS.supervisor)?.code).toBe('CASE.FORBIDDEN');
    expect(forbiddenIn('sign_off', ACTORS.leader)).toBeNull();
  });

  it('P4: a supervisor who is not the owner cannot rate (谁立项、谁督办)', () => {
    expect(forbiddenIn('rate', ACTORS.supervisor)?.message).toBe(
      '办理结果由本事项的立项主体评定，您不能评定事项 DB2026-0042。如有需要，请联系本事项的立项主体。',
    );
    expect(forbiddenIn('rate', { ...ACTORS.supervisor, isOwner: true })).toBeNull();
  });

  it('C4: nobody but the system can close_by_children', () => {
    const humans: ActorRelation[] = [
      ...ACTOR_NAMES.filter((n) => n !== 'system').map((n) => ACTORS[n]),
      { isSupervisor: true, isOwner: true, isLeader: true, unitRole: 'lead' },
    ];
    expect(humans.map((h) => forbiddenIn('close_by_children', h)?.code)).toEqual(humans.map(() => 'CASE.FORBIDDEN'));
    expect(forbiddenIn('close_by_children', ACTORS.system)).toBeNull();
  });

  it('R5 — 由督办主体进行电话催办 / 由市政府督查室…进行重点督办: a unit or a leader is refused in Chinese and told whom to ask', () => {
    expect(forbiddenIn('urge', ACTORS.leadUnit)?.message).toBe('催办由督查室或本事项的立项主体办理，您不能催办事项 DB2026-0042。如需催办，请联系督查室。');
    expect(forbiddenIn('key_supervision', ACTORS.leader)?.message).toBe(
      '重点督办由督查室列入或取消，您不能调整事项 DB2026-0042 的重点督办。如需列入重点督办，请告知督查室，由督查室按您的要求办理。',
    );
    expect(forbiddenIn('key_supervision', ACTORS.owner)?.code).toBe('CASE.FORBIDDEN');
  });

  it('a reason written as a plain string still names the action and the number, and the next step follows', () => {
    const saved = ACTION_RULES.urge;
    try {
      ACTION_RULES.urge = { ...saved, whoRule: '催办由督查室办理', next: '如需催办，请联系督查室。' };
      expect(forbiddenIn('urge', ACTORS.leadUnit)?.message).toBe('催办由督查室办理，您不能催办事项 DB2026-0042。如需催办，请联系督查室。');
    } finally {
      ACTION_RULES.urge = saved;
    }
  });

  it('P2: one person may hold several roles (owner and leader may both rate and sign off)', () => {
    const both: ActorRelation = { ...nobody, isOwner: true, isLeader: true };
    expect([forbiddenIn('rate', both), forbiddenIn('sign_off', both)]).toEqual([null, null]);
  });

  it('P2–P4 before C5: a person who may not act is told so, whatever the state', () => {
    expect(checkAction('sign_off', 'draft', ACTORS.owner, NO)?.code).toBe('CASE.FORBIDDEN');
    expect(checkAction('sign_off', 'draft', ACTORS.leader, NO)?.code).toBe('CASE.ILLEGAL_TRANSITION');
  });
});
