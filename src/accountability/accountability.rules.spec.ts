/**
 * A1 (clues), A2 (the procedure) and A3 (measures) against accountability.rules.ts. The expected tables are written
 * out by hand from DOMAIN.md and seed 001 追究 §5–§10, never derived from PROCEDURE, so a change to the rule data
 * shows up here as a failing test.
 */
import { ClueFact, decide, availableActions, PROCEDURE, ProcedureInputs, triggerClue, validateMeasures } from './accountability.rules';
import { PROCEDURE_ACTIONS, PROCEDURE_STATES, ProcedureAction, ProcedureState } from './accountability.types';
import { ROLES, Role } from '../shared/vocabulary';
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';

// ───────────────────────── A2 ─────────────────────────

const STATES: [ProcedureState, string][] = [
  ['clue_opened', '问题线索'],
  ['handed_over', '已移交'],
  ['verifying', '核查中'],
  ['opinion', '提出问责处理意见'],
  ['audit', '问责处理意见审核'],
  ['recheck', '督查室复核'],
  ['implementing', '实施问责'],
  ['result_reported', '问责结果已报送'],
  ['applied', '结果已运用'],
  ['dismissed', '不予追究'],
];
const LABEL = Object.fromEntries(STATES) as Record<ProcedureState, string>;

/** A2: where each step is legal, where it leads, and who takes it. */
const TABLE: Record<ProcedureAction, [ProcedureState[], ProcedureState, Role[]]> = {
  hand_over: [['clue_opened'], 'handed_over', ['supervisor']],
  start_verification: [['handed_over'], 'verifying', ['supervisor']],
  skip_verification: [['handed_over'], 'opinion', ['supervisor']], // §10 clear-cut cases
  verify: [['verifying'], 'opinion', ['supervisor']],
  propose_opinion: [['opinion'], 'audit', ['supervisor']],
  audit_approve: [['audit'], 'recheck', ['leader']], // the leader's one-to-one card
  audit_reject: [['audit'], 'opinion', ['leader']],
  recheck_approve: [['recheck'], 'implementing', ['supervisor']],
  recheck_return: [['recheck'], 'opinion', ['supervisor']], // §9(三) 予以退回，重新提出
  implement: [['implementing'], 'implementing', ['supervisor']],
  report_result: [['implementing'], 'result_reported', ['supervisor']],
  apply_result: [['result_reported'], 'applied', ['supervisor']],
  dismiss: [['clue_opened', 'verifying'], 'dismissed', ['supervisor']],
};
const ACTIONS = Object.keys(TABLE) as ProcedureAction[];

const REPORT = { title: '关于某局逾期问题的核查报告', ref: 'HC2026-003' };
/** Input that passes for every action in every state it is legal in. */
const GOOD: { [A in ProcedureAction]: ProcedureInputs[A] } = {
  hand_over: { proposal: '建议对该局予以通报' },
  start_verification: {},
  skip_verification: { reason: '逾期事实经系统记录，证据确凿' },
  verify: { report: REPORT },
  propose_opinion: { targets: [{ target: 'unit', name: '市住建局', measures: ['bulletin', 'talk'] }] },
  audit_approve: {},
  audit_reject: { reason: '处理偏轻' },
  recheck_approve: {},
  recheck_return: { reason: '问责范围不全' },
  implement: { note: '已印发通报' },
  report_result: { result: '已通报并约谈主要负责人' },
  apply_result: { scope: 'internal' },
  dismiss: { reason: '已批准延期', report: REPORT },
};
const by = (a: ProcedureAction): Role[] => [TABLE[a][2][0]];
const run = <A extends ProcedureAction>(state: ProcedureState, a: A, roles: Role[] = by(a), input: ProcedureInputs[A] = GOOD[a]) =>
  decide(state, a, roles, input);

describe('A2: the tables cover the whole vocabulary', () => {
  it('A2: every state and every action of the rule core is in the expected tables', () => {
    expect(STATES.map(([s]) => s)).toEqual([...PROCEDURE_STATES]);
    expect([...ACTIONS].sort()).toEqual([...PROCEDURE_ACTIONS].sort());
    expect(Object.keys(PROCEDURE).sort()).toEqual([...ACTIONS].sort());
  });
});

describe('A2: decide over every (action × state) pair, by a role allowed to act', () => {
  const pairs = ACTIONS.flatMap((a) => STATES.map(([s]) => [a, s] as const));
  it.each(pairs)('A2: %s in %s', (action, state) => {
    const got = run(state, action);
    if (TABLE[action][0].includes(state)) {
      expect(got).toMatchObject({ ok: true, next: TABLE[action][1] });
    } else {
      expect(got).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION', kind: 'conflict' });
      expect(!got.ok && got.message).toContain(`该责任追究目前处于“${LABEL[state]}”阶段`);
      expect(!got.ok && got.message).not.toMatch(/[A-Z]\d+[：:]/);
    }
  });

  it('A2: the refusal names the state, the step and where it would be legal', () => {
    expect(run('handed_over', 'propose_opinion')).toEqual({
      ok: false,
      code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION',
      kind: 'conflict',
      message: '该责任追究目前处于“已移交”阶段，现在不能提出问责处理意见；提出问责处理意见须在“提出问责处理意见”阶段办理。',
    });
    expect(run('opinion', 'dismiss')).toMatchObject({
      message: '该责任追究目前处于“提出问责处理意见”阶段，现在不能不予追究；不予追究须在“问题线索或核查中”阶段办理。',
    });
  });

  it('A2: applied and dismissed are terminal — no step is legal from them, for anyone', () => {
    const everyone: Role[] = [...ROLES];
    for (const end of ['applied', 'dismissed'] as const) {
      expect(ACTIONS.map((a) => run(end, a, everyone))).toEqual(ACTIONS.map(() => expect.objectContaining({ code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION' })));
      expect(availableActions(end, everyone)).toEqual([]);
    }
  });

  it('A2: 核查 cannot be skipped once it has started, and a clear-cut case cannot be dismissed', () => {
    expect(run('verifying', 'skip_verification')).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION' });
    expect(run('handed_over', 'dismiss')).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION' });
    expect(run('opinion', 'dismiss')).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION' });
  });
});

describe('A2: the paths through the procedure', () => {
  const walk = (steps: ProcedureAction[], from: ProcedureState = 'clue_opened') => {
    const visited: ProcedureState[] = [from];
    let state = from;
    for (const a of steps) {
      const got = run(state, a);
      if (!got.ok) throw new Error(`${a} in ${state}: ${got.message}`);
      state = got.next;
      visited.push(state);
    }
    return visited;
  };

  it('A2: the full path with 核查 visits every state but dismissed, in order', () => {
    const visited = walk([
      'hand_over',
      'start_verification',
      'verify',
      'propose_opinion',
      'audit_approve',
      'recheck_approve',
      'implement',
      'implement',
      'report_result',
      'apply_result',
    ]);
    expect(visited).toEqual([
      'clue_opened',
      'handed_over',
      'verifying',
      'opinion',
      'audit',
      'recheck',
      'implementing',
      'implementing',
      'implementing',
      'result_reported',
      'applied',
    ]);
    expect([...new Set(visited)]).toEqual(PROCEDURE_STATES.filter((s) => s !== 'dismissed'));
  });

  it('A2: a clear-cut case skips 核查 and goes straight to the opinion (§10)', () => {
    expect(walk(['hand_over', 'skip_verification', 'propose_opinion'])).toEqual(['clue_opened', 'handed_over', 'opinion', 'audit']);
    expect(run('handed_over', 'skip_verification')).toEqual({
      ok: true,
      next: 'opinion',
      timelineSummary: '事实清楚、证据确凿，不进行核查，直接提出问责处理意见（理由：逾期事实经系统记录，证据确凿）',
    });
  });

  it('A2: the 督查室 returns an unfit opinion at 复核; it is proposed, audited and rechecked again', () => {
    const visited = walk(['propose_opinion', 'audit_approve', 'recheck_return', 'propose_opinion', 'audit_approve', 'recheck_approve'], 'opinion');
    expect(visited).toEqual(['opinion', 'audit', 'recheck', 'opinion', 'audit', 'recheck', 'implementing']);
    expect(run('recheck', 'recheck_return')).toEqual({
      ok: true,
      next: 'opinion',
      timelineSummary: '督查室复核认为问责处理意见不当，退回重新提出（理由：问责范围不全）',
    });
  });

  it('A2: the leader may refuse the opinion at 审核, which sends it back to the opinion', () => {
    expect(run('audit', 'audit_reject')).toEqual({
      ok: true,
      next: 'opinion',
      timelineSummary: '分管领导审核不同意，退回重新提出问责处理意见（理由：处理偏轻）',
    });
  });

  it('A2: a clue is dismissed before hand-over on a reason, after 核查 only on the report', () => {
    expect(run('clue_opened', 'dismiss', ['supervisor'], { reason: '已批准延期' })).toEqual({
      ok: true,
      next: 'dismissed',
      timelineSummary: '线索不予追究（理由：已批准延期）',
    });
    expect(run('verifying', 'dismiss', ['supervisor'], { reason: '线索不实' })).toEqual({
      ok: false,
      code: 'ACCOUNTABILITY.INVALID_INPUT',
      kind: 'invalid',
      message: '核查后不予追究须附核查报告。',
    });
    expect(run('verifying', 'dismiss', ['supervisor'], { reason: '线索不实', report: REPORT })).toMatchObject({
      ok: true,
      next: 'dismissed',
      timelineSummary: '经核查线索不实，不予追究（理由：线索不实；核查报告《关于某局逾期问题的核查报告》）',
    });
  });

  it('A2: each step writes its timeline line', () => {
    expect(run('clue_opened', 'hand_over')).toMatchObject({ timelineSummary: '督查室移交问题线索，问责建议：建议对该局予以通报' });
    expect(run('verifying', 'verify')).toMatchObject({ timelineSummary: '核查完成，核查报告《关于某局逾期问题的核查报告》（HC2026-003）' });
    expect(
      run('opinion', 'propose_opinion', ['supervisor'], {
        targets: [
          { target: 'unit', name: '市住建局', measures: ['bulletin', 'talk'] },
          { target: 'person', name: '张三', measures: ['admonition', 'self_examination'] },
        ],
      }),
    ).toMatchObject({ next: 'audit', timelineSummary: '提出问责处理意见——单位「市住建局」：通报、约谈主要负责人；工作人员「张三」：诫勉、检查' });
    expect(run('audit', 'audit_approve')).toMatchObject({ timelineSummary: '分管领导审核同意问责处理意见，报督查室复核' });
    expect(run('result_reported', 'apply_result', ['supervisor'], { scope: 'public' })).toMatchObject({
      timelineSummary: '结果运用：抄送组织部门，并公开通报（政府门户网站、新闻媒体）',
    });
  });
});

describe('A2: who takes each step', () => {
  const singles: Role[][] = [[], ...ROLES.map((r) => [r])];
  const cases = ACTIONS.flatMap((a) => singles.map((roles) => [a, roles.join('+') || 'nobody', roles] as const));
  it.each(cases)('A2: %s by %s', (action, _name, roles) => {
    const got = run(TABLE[action][0][0], action, roles);
    if (roles.some((r) => TABLE[action][2].includes(r))) {
      expect(got).toMatchObject({ ok: true, next: TABLE[action][1] });
    } else {
      expect(got).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.FORBIDDEN', kind: 'forbidden' });
      expect(!got.ok && got.message).not.toMatch(/[A-Z]\d+[：:]/);
      expect(!got.ok && got.message).toContain('如有需要，请联系督查室。');
    }
  });

  it('A2: the owner, a unit and the admin take no step at all', () => {
    for (const r of ['owner', 'unit_contact', 'unit_head', 'admin'] as Role[]) {
      for (const [s] of STATES) expect(availableActions(s, [r])).toEqual([]);
    }
  });

  it("A2: 审核 is the leader's alone — the 督查室 is told so", () => {
    expect(run('audit', 'audit_approve', ['supervisor'])).toEqual({
      ok: false,
      code: 'ACCOUNTABILITY.FORBIDDEN',
      kind: 'forbidden',
      message: '问责处理意见由分管领导审核，您不能办理“审核同意”。如有需要，请联系督查室。',
    });
    expect(availableActions('audit', ['leader'])).toEqual(['audit_approve', 'audit_reject']);
    expect(availableActions('audit', ['supervisor'])).toEqual([]);
  });

  it('A2: a leader cannot hand over, recheck or dismiss', () => {
    expect(['hand_over', 'recheck_return', 'dismiss'].map((a) => run(TABLE[a as ProcedureAction][0][0], a as ProcedureAction, ['leader']).ok)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('P2: one person may hold several roles', () => {
    expect(availableActions('audit', ['supervisor', 'leader'])).toEqual(['audit_approve', 'audit_reject']);
    expect(availableActions('handed_over', ['leader', 'supervisor'])).toEqual(['start_verification', 'skip_verification']);
    expect(availableActions('verifying', ['supervisor'])).toEqual(['verify', 'dismiss']);
  });

  it('A2 role before state: a person who may not act is told so, whatever the state', () => {
    expect(run('applied', 'audit_approve', ['owner'])).toMatchObject({ code: 'ACCOUNTABILITY.FORBIDDEN' });
    expect(run('applied', 'audit_approve', ['leader'])).toMatchObject({ code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION' });
  });
});

describe('A2: each step checks what it needs', () => {
  const missing: [ProcedureAction, object, string][] = [
    ['hand_over', { proposal: '  ' }, '移交问题线索须同时提出问责建议。'],
    ['skip_verification', {}, '不经核查直接处理须说明事实清楚、证据确凿的理由。'],
    ['verify', { report: { title: '核查报告', ref: '' } }, '核查须形成核查报告（标题和文件）。'],
    ['verify', {}, '核查须形成核查报告（标题和文件）。'],
    ['audit_reject', { reason: '' }, '审核不同意须说明理由。'],
    ['recheck_return', {}, '复核退回须说明理由。'],
    ['implement', { note: '' }, '请写明实施了哪项问责。'],
    ['report_result', {}, '报送问责结果须写明结果。'],
    ['apply_result', { scope: 'website' }, '结果运用须选择内部通报或公开通报。'],
    ['dismiss', {}, '不予追究须说明理由。'],
    ['propose_opinion', { targets: [] }, '问责处理意见须列明问责对象及问责方式。'],
    ['propose_opinion', {}, '问责处理意见须列明问责对象及问责方式。'],
  ];
  it.each(missing)('A2: %s with %j is refused', (action, input, message) => {
    const got = decide(TABLE[action][0][0], action, by(action), input as never);
    expect(got).toEqual({
      ok: false,
      code: action === 'propose_opinion' ? 'ACCOUNTABILITY.NO_TARGET' : 'ACCOUNTABILITY.INVALID_INPUT',
      kind: 'invalid',
      message,
    });
  });

  it("A3: an opinion with bad measures is refused with every problem, the first one's code", () => {
    const got = run('opinion', 'propose_opinion', ['supervisor'], {
      targets: [
        { target: 'unit', name: '市住建局', measures: ['talk'] },
        { target: 'person', name: '张三', measures: ['talk', 'fine'] },
      ],
    });
    expect(got).toEqual({
      ok: false,
      code: 'ACCOUNTABILITY.TALK_WITHOUT_BULLETIN',
      kind: 'invalid',
      message:
        '对单位「市住建局」约谈主要负责人须与通报同时使用。' +
        '「约谈主要负责人」不适用于工作人员「张三」，可选：检查、通报、诫勉、组织调整或组织处理、纪律处分。' +
        '「fine」不是问责方式，对工作人员「张三」可选：检查、通报、诫勉、组织调整或组织处理、纪律处分。',
    });
  });

  it('A3: the same target twice, or a target with no kind or name, is refused', () => {
    const twice = run('opinion', 'propose_opinion', ['supervisor'], {
      targets: [
        { target: 'person', name: '张三', measures: ['bulletin'] },
        { target: 'person', name: ' 张三 ', measures: ['admonition'] },
      ],
    });
    expect(twice).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.DUPLICATE_TARGET', message: '工作人员「张三」重复列出，请合并其问责方式。' });
    const nameless = run('opinion', 'propose_opinion', ['supervisor'], { targets: [{ target: 'person', name: '', measures: ['bulletin'] }] });
    expect(nameless).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.INVALID_INPUT' });
    const kindless = decide('opinion', 'propose_opinion', ['supervisor'], { targets: [{ target: 'team', name: '某组', measures: ['bulletin'] }] } as never);
    expect(kindless).toMatchObject({ ok: false, code: 'ACCOUNTABILITY.INVALID_INPUT' });
  });
});

// ───────────────────────── A3 ─────────────────────────

describe('A3: validateMeasures', () => {
  const ok: [string, 'unit' | 'person', string[]][] = [
    ['a unit: 检查 alone', 'unit', ['self_examination']],
    ['a unit: 通报 alone', 'unit', ['bulletin']],
    ['a unit: 通报 + 约谈', 'unit', ['bulletin', 'talk']],
    ['a unit: all three combined (§8)', 'unit', ['talk', 'self_examination', 'bulletin']],
    ['a person: each measure alone', 'person', ['discipline']],
    ['a person: all five combined (§8)', 'person', ['self_examination', 'bulletin', 'admonition', 'organisational', 'discipline']],
  ];
  it.each(ok)('A3: %s is accepted', (_name, target, measures) => {
    expect(validateMeasures(target, measures)).toEqual({ ok: true, measures });
  });

  const refused: [string, 'unit' | 'person', string[], string[]][] = [
    ['no measure for a unit', 'unit', [], ['ACCOUNTABILITY.NO_MEASURE']],
    ['no measure for a person', 'person', [], ['ACCOUNTABILITY.NO_MEASURE']],
    ['an unknown measure', 'person', ['fine'], ['ACCOUNTABILITY.UNKNOWN_MEASURE']],
    ['诫勉 for a unit', 'unit', ['admonition'], ['ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET']],
    ['纪律处分 for a unit', 'unit', ['discipline'], ['ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET']],
    ['组织处理 for a unit', 'unit', ['organisational'], ['ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET']],
    ['约谈 for a person', 'person', ['talk'], ['ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET']],
    ['约谈 without 通报', 'unit', ['talk'], ['ACCOUNTABILITY.TALK_WITHOUT_BULLETIN']],
    ['约谈 with 检查 but no 通报', 'unit', ['self_examination', 'talk'], ['ACCOUNTABILITY.TALK_WITHOUT_BULLETIN']],
    ['a measure twice', 'person', ['bulletin', 'admonition', 'bulletin'], ['ACCOUNTABILITY.DUPLICATE_MEASURE']],
    [
      'several problems at once',
      'unit',
      ['talk', 'talk', 'discipline', '??'],
      ['ACCOUNTABILITY.DUPLICATE_MEASURE', 'ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET', 'ACCOUNTABILITY.UNKNOWN_MEASURE', 'ACCOUNTABILITY.TALK_WITHOUT_BULLETIN'],
    ],
  ];
  it.each(refused)('A3: %s is refused', (_name, target, measures, codes) => {
    const got = validateMeasures(target, measures);
    expect(got.ok).toBe(false);
    expect(!got.ok && got.problems.map((p) => p.code)).toEqual(codes);
  });

  it('A3: the messages say what is wrong and what may be chosen, in Chinese', () => {
    expect(validateMeasures('unit', [])).toEqual({
      ok: false,
      problems: [{ code: 'ACCOUNTABILITY.NO_MEASURE', message: '对单位须至少提出一种问责方式（可选：检查、通报、约谈主要负责人）。' }],
    });
    expect(validateMeasures('unit', ['admonition'], '市住建局')).toEqual({
      ok: false,
      problems: [{ code: 'ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET', message: '「诫勉」不适用于单位「市住建局」，可选：检查、通报、约谈主要负责人。' }],
    });
    expect(validateMeasures('person', ['bulletin', 'bulletin'], '张三')).toEqual({
      ok: false,
      problems: [{ code: 'ACCOUNTABILITY.DUPLICATE_MEASURE', message: '对工作人员「张三」的问责方式「通报」重复。' }],
    });
  });
});

// ───────────────────────── A1 ─────────────────────────

describe('A1: triggerClue', () => {
  const H = 3600_000;
  const cal = new WorkCalendar(chineseDaysSource());
  const deadline = new Date('2026-05-11T10:00:00Z'); // Monday 18:00 in Shanghai
  const unit = { unitId: 7, unitName: '市住建局' };
  const overdue = (lateMs: number, more: Partial<Extract<ClueFact, { kind: 'overdue' }>> = {}): ClueFact => ({
    kind: 'overdue',
    ...unit,
    itemId: 42,
    itemNumber: 'DB2026-0042',
    deadlineAt: deadline,
    now: new Date(deadline.getTime() + lateMs),
    acceptedReason: false,
    calendar: cal,
    ...more,
  });

  it('A1 — 无正当理由超过规定落实时限2天以上 opens a clue; its summary names no rule and says what to do next', () => {
    expect(triggerClue(overdue(2 * 24 * H + 5 * H))).toEqual({
      trigger: 'overdue',
      unitId: 7,
      itemId: 42,
      summary: '市住建局办理事项 DB2026-0042（时限 2026-05-11 18:00）逾期2天5小时（按工作日计），超过规定落实时限2天以上且无正当理由。',
      dedupeKey: 'overdue:42:7',
    });
  });

  it.each([
    ['exactly 2 working days late (以上 includes the number)', 48 * H, true],
    ['47:59 late', 48 * H - 60_000, false],
    ['48:01 late', 48 * H + 60_000, true],
    ['one day late', 24 * H, false],
    ['before the deadline', -H, false],
    ['three days late', 72 * H, true],
  ])('A1 — 超过规定落实时限2天以上, boundary — %s', (_name, late, opens) => {
    expect(triggerClue(overdue(late as number)) !== null).toBe(opens);
  });

  it('A1 — the 2 days are working days: a deadline of Friday 18:00 is 2 days late on Tuesday 18:00, not on Sunday', () => {
    const friday = new Date('2026-05-15T10:00:00Z');
    expect(triggerClue(overdue(0, { deadlineAt: friday, now: new Date('2026-05-17T10:00:00Z') }))).toBeNull();
    expect(triggerClue(overdue(0, { deadlineAt: friday, now: new Date('2026-05-19T09:59:00Z') }))).toBeNull();
    expect(triggerClue(overdue(0, { deadlineAt: friday, now: new Date('2026-05-19T10:00:00Z') }))?.summary).toContain('逾期2天（按工作日计）');
  });

  it('A1: an accepted reason (无正当理由 is the condition) opens no clue', () => {
    expect(triggerClue(overdue(5 * 24 * H, { acceptedReason: true }))).toBeNull();
  });

  it('A1: lateness is measured to when the report came, if it came (working time)', () => {
    const now = new Date(deadline.getTime() + 10 * 24 * H); // Thursday 05-21: 8 working days (the weekend adds nothing)
    expect(triggerClue(overdue(0, { now, doneAt: new Date(deadline.getTime() + 47 * H) }))).toBeNull();
    expect(triggerClue(overdue(0, { now, doneAt: new Date(deadline.getTime() + 72 * H) }))?.summary).toContain('逾期3天（');
    expect(triggerClue(overdue(0, { now, doneAt: null }))?.summary).toContain('逾期8天（');
  });

  it('A1: an R6 month-end node gets its own clue key', () => {
    expect(triggerClue(overdue(49 * H + 30 * 60_000, { node: '2026-05' }))).toMatchObject({
      dedupeKey: 'overdue:42:7:2026-05',
      summary: '市住建局办理事项 DB2026-0042（2026-05 报送节点）逾期2天1小时30分钟（按工作日计），超过规定落实时限2天以上且无正当理由。',
    });
  });

  it('A1: the same overdue fact seen twice yields the same key, so it opens one clue', () => {
    expect(triggerClue(overdue(50 * H))?.dedupeKey).toBe(triggerClue(overdue(90 * H))?.dedupeKey);
  });

  it('A1, D2: only a 不合格 rating is a review finding', () => {
    const rated = (rating: 'excellent' | 'good' | 'pass' | 'fail') => triggerClue({ kind: 'rated', ...unit, itemId: 42, itemNumber: 'DB2026-0042', rating });
    expect([rated('excellent'), rated('good'), rated('pass')]).toEqual([null, null, null]);
    expect(rated('fail')).toEqual({
      trigger: 'review_finding',
      unitId: 7,
      itemId: 42,
      summary: '市住建局办理事项 DB2026-0042 的结果被评定为「不合格」。',
      dedupeKey: 'review_finding:rating:42:7',
    });
  });

  it('A1: 不作为/慢作为/假落实 found in review opens a clue per finding', () => {
    expect(
      triggerClue({ kind: 'review_finding', ...unit, findingId: 'F9', itemId: null, finding: 'false_implementation', description: '台账与现场不符' }),
    ).toEqual({
      trigger: 'review_finding',
      unitId: 7,
      itemId: null,
      summary: '督查发现市住建局假落实：台账与现场不符。',
      dedupeKey: 'review_finding:F9:7',
    });
    expect(
      triggerClue({ kind: 'review_finding', ...unit, findingId: 'F10', itemId: 42, itemNumber: 'DB2026-0042', finding: 'slow_action', description: ' ' })
        ?.summary,
    ).toBe('督查发现市住建局慢作为（事项 DB2026-0042）。');
  });

  it('A1: refusing or obstructing the 督查 opens a clue per incident', () => {
    expect(triggerClue({ kind: 'obstruction', ...unit, incidentId: 'X1', itemId: null, description: '拒绝提供材料' })).toEqual({
      trigger: 'obstruction',
      unitId: 7,
      itemId: null,
      summary: '市住建局拒绝、阻碍督查：拒绝提供材料。',
      dedupeKey: 'obstruction:X1:7',
    });
  });

  describe('A1, S11: a scoring S11 candidate (bottom two, below base, two years running) opens a clue', () => {
    const EXPL = '连续2年得分低于基础分100且位列倒数2名以内（2025年95分、第20名/共20名；2026年92.5分、第19名/共20名），移交责任追究线索';
    const ranking = (years: number[], explanation = EXPL) => triggerClue({ kind: 'ranking', ...unit, years, explanation });

    it('A1, S11: one clue per window of years, keyed by its last year', () => {
      expect(ranking([2025, 2026])).toEqual({
        trigger: 'ranking',
        unitId: 7,
        itemId: null,
        summary: `市住建局激励积分2025、2026年连续倒数后2位：${EXPL}。`,
        dedupeKey: 'ranking:7:2026',
      });
      expect(ranking([2026, 2027])?.dedupeKey).toBe('ranking:7:2027');
      expect(ranking([2026, 2025])?.dedupeKey).toBe('ranking:7:2026');
    });

    it.each([
      ['a single year', [2026]],
      ['no years', []],
      ['years that are not consecutive', [2024, 2026]],
      ['the same year twice', [2026, 2026]],
    ])('A1, S11: no clue for %s (§5(五) 连续2年)', (_name, years) => {
      expect(ranking(years)).toBeNull();
    });
  });

  it('A1: a manual clue needs its reason', () => {
    expect(triggerClue({ kind: 'manual', ...unit, requestId: 'M3', itemId: 42, reason: ' 群众反映推诿 ' })).toEqual({
      trigger: 'manual',
      unitId: 7,
      itemId: 42,
      summary: '督查室移交线索（市住建局）：群众反映推诿',
      dedupeKey: 'manual:M3',
    });
    expect(triggerClue({ kind: 'manual', ...unit, requestId: 'M4', itemId: null, reason: '  ' })).toBeNull();
  });
});
