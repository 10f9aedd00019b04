/**
 * 责任追究 (DOMAIN A1–A3; seed 001《朔州市政府督查责任追究办法(试行)》§5–§10). Pure: no framework, no database, no
 * clock — `now` arrives in the fact. Refusals are returned, never thrown; the caller maps `kind` to HTTP or a chat reply.
 *
 * Who does what. The seed (§9) splits the work: the 政府督查机构 (our `supervisor`, 督查室) co-ordinates, hands clues
 * over and rechecks; a 主管部门 verifies and audits; the 下级政府/部门 drafts the opinion and carries it out. The product
 * has no role for those outside bodies, so the 督查室 records their steps (`supervisor`), and the 审核 step is the
 * 分管领导's (`leader`) — the one step that reaches a leader, as a one-to-one card. `owner` and `admin` take no step:
 * the 立项主体 reports a trigger, it does not judge it, and an administrator keeps data, not decisions.
 */
import { formatShanghai, DAY_MS, HOUR_MS } from '../shared/shanghai-time';
import { workingTimeBetween, type WorkdayTest } from '../calendar/working-time';
import { OVERDUE_CLUE_AFTER_MS } from '../cases/overdue.rules';
import { Rating, Role } from '../shared/vocabulary';
import {
  ClueDraft,
  DocumentRef,
  Measure,
  MeasureTarget,
  MEASURE_TARGET_LABELS,
  OpinionTarget,
  PERSON_MEASURES,
  PersonMeasure,
  PROCEDURE_ACTION_LABELS,
  PROCEDURE_ACTIONS,
  PROCEDURE_STATE_LABELS,
  ProcedureAction,
  ProcedureState,
  RESULT_SCOPES,
  ResultScope,
  REVIEW_FINDINGS,
  ReviewFinding,
  UNIT_MEASURES,
  UnitMeasure,
} from './accountability.types';

// ───────────────────────── A1: triggers open clues ─────────────────────────

/**
 * A1 (§5(二) 无正当理由超过规定落实时限2天以上): 2 days of working time (a weekend or holiday adds nothing), and 以上
 * includes the number — exactly 2 days late is a clue. The meaning of "late" is cases/overdue.rules.ts.
 */
export { OVERDUE_CLUE_AFTER_MS };

interface UnitRef {
  unitId: number;
  unitName: string;
}

export type ClueFact =
  | (UnitRef & {
      kind: 'overdue';
      itemId: number;
      itemNumber: string;
      deadlineAt: Date;
      now: Date;
      /** When the late report or result finally came; null/absent = still outstanding at `now`. */
      doneAt?: Date | null;
      /** Lateness is working time on this calendar. */
      calendar: WorkdayTest;
      /** An extension granted or a reason the owner accepted (无正当理由 is the condition). */
      acceptedReason: boolean;
      /** The time node missed when it is not the item's deadline, e.g. '2026-05' for an R6 month-end report. */
      node?: string;
    })
  | (UnitRef & { kind: 'rated'; itemId: number; itemNumber: string; rating: Rating })
  | (UnitRef & { kind: 'review_finding'; findingId: string; itemId: number | null; itemNumber?: string; finding: ReviewFinding; description: string })
  | (UnitRef & { kind: 'obstruction'; incidentId: string; itemId: number | null; description: string })
  /** An S11 candidate as the scoring core found it: the consecutive years and its explanation. */
  | (UnitRef & { kind: 'ranking'; years: readonly number[]; explanation: string })
  | (UnitRef & { kind: 'manual'; requestId: string; itemId: number | null; reason: string });

/** A1: does this fact open a clue? null = no. The draft's `dedupeKey` makes a repeated fact a no-op for the store. */
export function triggerClue(fact: ClueFact): ClueDraft | null {
  const base = { unitId: fact.unitId };
  switch (fact.kind) {
    case 'overdue': {
      const late = workingTimeBetween(fact.deadlineAt, fact.doneAt ?? fact.now, fact.calendar);
      if (fact.acceptedReason || late < OVERDUE_CLUE_AFTER_MS) return null;
      const node = fact.node ? `${fact.node} 报送节点` : `时限 ${formatShanghai(fact.deadlineAt)}`;
      const key = `overdue:${fact.itemId}:${fact.unitId}${fact.node ? `:${fact.node}` : ''}`;
      const summary = `${fact.unitName}办理事项 ${fact.itemNumber}（${node}）逾期${spell(late)}（按工作日计），超过规定落实时限2天以上且无正当理由。`;
      return { ...base, trigger: 'overdue', itemId: fact.itemId, summary, dedupeKey: key };
    }
    case 'rated':
      // D2 → A1: a 不合格 result is a review finding; one clue per item and unit, later 不合格 ratings join it.
      if (fact.rating !== 'fail') return null;
      return {
        ...base,
        trigger: 'review_finding',
        itemId: fact.itemId,
        summary: `${fact.unitName}办理事项 ${fact.itemNumber} 的结果被评定为「不合格」。`,
        dedupeKey: `review_finding:rating:${fact.itemId}:${fact.unitId}`,
      };
    case 'review_finding': {
      const item = fact.itemNumber ? `（事项 ${fact.itemNumber}）` : '';
      return {
        ...base,
        trigger: 'review_finding',
        itemId: fact.itemId,
        summary: `督查发现${fact.unitName}${REVIEW_FINDINGS[fact.finding]}${item}${tail(fact.description)}`,
        dedupeKey: `review_finding:${fact.findingId}:${fact.unitId}`,
      };
    }
    case 'obstruction':
      return {
        ...base,
        trigger: 'obstruction',
        itemId: fact.itemId,
        summary: `${fact.unitName}拒绝、阻碍督查${tail(fact.description)}`,
        dedupeKey: `obstruction:${fact.incidentId}:${fact.unitId}`,
      };
    case 'ranking':
      return rankingClue(fact);
    case 'manual': {
      const reason = fact.reason.trim();
      if (!reason) return null; // a manual clue is its reason; the DTO refuses a blank one
      return {
        ...base,
        trigger: 'manual',
        itemId: fact.itemId,
        summary: `督查室移交线索（${fact.unitName}）：${reason}`,
        dedupeKey: `manual:${fact.requestId}`,
      };
    }
  }
}

/**
 * S11 → A1: whether a unit is below the baseline and in the bottom two for two years running is the scoring core's
 * judgement (`s11Candidates` in scoring/score.rules.ts, which owns the baseline, the table and ties); this only turns a
 * candidate into a clue, one per window of years. §14 also wants 市政府同意 — that is the 审核 step, not the clue.
 */
function rankingClue(fact: Extract<ClueFact, { kind: 'ranking' }>): ClueDraft | null {
  const years = [...fact.years].sort((a, b) => a - b);
  if (years.length < 2 || years.some((y, i) => i > 0 && y !== years[i - 1] + 1)) return null; // §5(五) 连续2年
  return {
    unitId: fact.unitId,
    trigger: 'ranking',
    itemId: null,
    summary: `${fact.unitName}激励积分${years.join('、')}年连续倒数后2位${tail(fact.explanation)}`,
    dedupeKey: `ranking:${fact.unitId}:${years[years.length - 1]}`,
  };
}

function spell(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  const h = Math.floor((ms % DAY_MS) / HOUR_MS);
  const m = Math.floor((ms % HOUR_MS) / 60_000);
  return `${d}天${h || m ? `${h}小时` : ''}${m ? `${m}分钟` : ''}`;
}

const tail = (text: string) => (text.trim() ? `：${text.trim()}。` : '。');

// ───────────────────────── A3: measures ─────────────────────────

export interface Problem {
  code: string;
  message: string;
}
export type MeasuresCheck<M extends Measure> = { ok: true; measures: M[] } | { ok: false; problems: Problem[] };

const MEASURES_FOR = { unit: UNIT_MEASURES, person: PERSON_MEASURES } as const;
const ALL_MEASURE_LABELS: Record<Measure, string> = { ...UNIT_MEASURES, ...PERSON_MEASURES };

/**
 * A3 (§6–§8): at least one measure, each a measure for this kind of target, none twice; combinable (§8), except that
 * 约谈 of a unit's head comes only with 通报 (§6(二) 通报……同时对主要负责人进行约谈). `subject` names the target in
 * the messages. Every problem is reported, so a form can mark them all at once.
 */
export function validateMeasures(target: 'unit', measures: readonly string[], subject?: string): MeasuresCheck<UnitMeasure>;
export function validateMeasures(target: 'person', measures: readonly string[], subject?: string): MeasuresCheck<PersonMeasure>;
export function validateMeasures(target: MeasureTarget, measures: readonly string[], subject?: string): MeasuresCheck<Measure>;
export function validateMeasures(target: MeasureTarget, measures: readonly string[], subject?: string): MeasuresCheck<Measure> {
  const allowed: Record<string, string> = MEASURES_FOR[target];
  const who = `${MEASURE_TARGET_LABELS[target]}${subject ? `「${subject}」` : ''}`;
  const choices = Object.values(allowed).join('、');
  const problems: Problem[] = [];
  const seen = new Set<string>();
  if (measures.length === 0) {
    problems.push({ code: 'ACCOUNTABILITY.NO_MEASURE', message: `对${who}须至少提出一种问责方式（可选：${choices}）。` });
  }
  for (const m of measures) {
    if (!Object.prototype.hasOwnProperty.call(ALL_MEASURE_LABELS, m)) {
      problems.push({ code: 'ACCOUNTABILITY.UNKNOWN_MEASURE', message: `「${m}」不是问责方式，对${who}可选：${choices}。` });
    } else if (!Object.prototype.hasOwnProperty.call(allowed, m)) {
      const label = ALL_MEASURE_LABELS[m as Measure];
      problems.push({ code: 'ACCOUNTABILITY.MEASURE_NOT_FOR_TARGET', message: `「${label}」不适用于${who}，可选：${choices}。` });
    } else if (seen.has(m)) {
      problems.push({ code: 'ACCOUNTABILITY.DUPLICATE_MEASURE', message: `对${who}的问责方式「${allowed[m]}」重复。` });
    }
    seen.add(m);
  }
  if (target === 'unit' && seen.has('talk') && !seen.has('bulletin')) {
    problems.push({ code: 'ACCOUNTABILITY.TALK_WITHOUT_BULLETIN', message: `对${who}约谈主要负责人须与通报同时使用。` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, measures: [...seen] as Measure[] };
}

// ───────────────────────── A2: the procedure ─────────────────────────

/** What each action needs; the fields are checked again at run time, since they come from forms and chat. */
export interface ProcedureInputs {
  hand_over: { proposal: string };
  start_verification: { note?: string };
  skip_verification: { reason: string };
  verify: { report: DocumentRef };
  propose_opinion: { targets: readonly OpinionTarget[] };
  audit_approve: { note?: string };
  audit_reject: { reason: string };
  recheck_approve: { note?: string };
  recheck_return: { reason: string };
  implement: { note: string };
  report_result: { result: string };
  apply_result: { scope: ResultScope };
  /** From `verifying` the 核查报告 that found the clue untrue is required too. */
  dismiss: { reason: string; report?: DocumentRef };
}

export interface Step {
  from: readonly ProcedureState[];
  to: ProcedureState;
  roles: readonly Role[];
  /** The rule quoted to a person who may not take this step. */
  whoRule: string;
}

const SUP: readonly Role[] = ['supervisor'];

/** A2: every legal step, as data. The next state depends on the step alone. */
export const PROCEDURE: Record<ProcedureAction, Step> = {
  hand_over: { from: ['clue_opened'], to: 'handed_over', roles: SUP, whoRule: '问题线索由督查室移交并提出问责建议' },
  start_verification: { from: ['handed_over'], to: 'verifying', roles: SUP, whoRule: '核查由督查室登记' },
  skip_verification: { from: ['handed_over'], to: 'opinion', roles: SUP, whoRule: '不经核查直接处理由督查室登记' },
  verify: { from: ['verifying'], to: 'opinion', roles: SUP, whoRule: '核查报告由督查室登记' },
  propose_opinion: { from: ['opinion'], to: 'audit', roles: SUP, whoRule: '问责处理意见由督查室登记' },
  audit_approve: { from: ['audit'], to: 'recheck', roles: ['leader'], whoRule: '问责处理意见由分管领导审核' },
  audit_reject: { from: ['audit'], to: 'opinion', roles: ['leader'], whoRule: '问责处理意见由分管领导审核' },
  recheck_approve: { from: ['recheck'], to: 'implementing', roles: SUP, whoRule: '问责处理意见由督查室复核' },
  recheck_return: { from: ['recheck'], to: 'opinion', roles: SUP, whoRule: '问责处理意见由督查室复核' },
  // Carrying out takes several acts (检查 received, 通报 issued, 约谈 held): each is recorded, the state stays.
  implement: { from: ['implementing'], to: 'implementing', roles: SUP, whoRule: '问责实施情况由督查室登记' },
  report_result: { from: ['implementing'], to: 'result_reported', roles: SUP, whoRule: '问责结果由督查室登记' },
  apply_result: { from: ['result_reported'], to: 'applied', roles: SUP, whoRule: '问责结果运用由督查室办理' },
  // §4 事实清楚、证据确凿: a clue is dropped before hand-over, or on a 核查报告 — not after a clear-cut case skipped
  // 核查 (§10 具备问责条件), and not once an opinion exists (a wrong opinion is returned, never silently dropped).
  dismiss: { from: ['clue_opened', 'verifying'], to: 'dismissed', roles: SUP, whoRule: '不予追究由督查室决定' },
};

export type Refusal = { ok: false; code: string; kind: 'forbidden' | 'conflict' | 'invalid'; message: string };
export type Decision = { ok: true; next: ProcedureState; timelineSummary: string } | Refusal;

/** A2 for the role, then A2 for the state, then the input (A2, A3): may this step be taken, and where does it lead? */
export function decide<A extends ProcedureAction>(state: ProcedureState, action: A, actorRoles: readonly Role[], input: ProcedureInputs[A]): Decision {
  const step = PROCEDURE[action];
  const label = PROCEDURE_ACTION_LABELS[action];
  if (!step.roles.some((r) => actorRoles.includes(r))) {
    const message = `${step.whoRule}，您不能办理“${label}”。如有需要，请联系督查室。`;
    return { ok: false, code: 'ACCOUNTABILITY.FORBIDDEN', kind: 'forbidden', message };
  }
  if (!step.from.includes(state)) {
    // A2, in words: the stage it is at, and the stage this step belongs to.
    const where = step.from.map((s) => PROCEDURE_STATE_LABELS[s]).join('或');
    const message = `该责任追究目前处于“${PROCEDURE_STATE_LABELS[state]}”阶段，现在不能${label}；${label}须在“${where}”阶段办理。`;
    return { ok: false, code: 'ACCOUNTABILITY.ILLEGAL_TRANSITION', kind: 'conflict', message };
  }
  const summary = SUMMARISE[action]((input ?? {}) as Loose, state);
  return typeof summary === 'string' ? { ok: true, next: step.to, timelineSummary: summary } : summary;
}

/** The steps these roles may take now: the buttons of a card. */
export function availableActions(state: ProcedureState, actorRoles: readonly Role[]): ProcedureAction[] {
  return PROCEDURE_ACTIONS.filter((a) => PROCEDURE[a].from.includes(state) && PROCEDURE[a].roles.some((r) => actorRoles.includes(r)));
}

type Loose = Record<string, unknown>;

const invalid = (message: string, code = 'ACCOUNTABILITY.INVALID_INPUT'): Refusal => ({ ok: false, code, kind: 'invalid', message });
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const doc = (v: unknown): DocumentRef | null => {
  const d = (v ?? {}) as Loose;
  const title = text(d.title);
  const ref = text(d.ref);
  return title && ref ? { title, ref } : null;
};
/** A required text field, or the refusal that names it. */
const need = (v: unknown, what: string, then: (t: string) => string): string | Refusal => {
  const t = text(v);
  return t ? then(t) : invalid(`${what}。`);
};

/** Checks a step's input and writes its timeline line (C6), or refuses. */
const SUMMARISE: Record<ProcedureAction, (i: Loose, state: ProcedureState) => string | Refusal> = {
  hand_over: (i) => need(i.proposal, '移交问题线索须同时提出问责建议', (p) => `督查室移交问题线索，问责建议：${p}`),
  start_verification: (i) => `主管部门开始核查${text(i.note) ? `：${text(i.note)}` : ''}`,
  skip_verification: (i) =>
    need(i.reason, '不经核查直接处理须说明事实清楚、证据确凿的理由', (r) => `事实清楚、证据确凿，不进行核查，直接提出问责处理意见（理由：${r}）`),
  verify: (i) => {
    const d = doc(i.report);
    return d ? `核查完成，核查报告《${d.title}》（${d.ref}）` : invalid('核查须形成核查报告（标题和文件）。');
  },
  propose_opinion: (i) => opinionSummary(i.targets),
  audit_approve: (i) => `分管领导审核同意问责处理意见，报督查室复核${text(i.note) ? `（${text(i.note)}）` : ''}`,
  audit_reject: (i) => need(i.reason, '审核不同意须说明理由', (r) => `分管领导审核不同意，退回重新提出问责处理意见（理由：${r}）`),
  recheck_approve: (i) => `督查室复核同意，转有关单位实施问责${text(i.note) ? `（${text(i.note)}）` : ''}`,
  recheck_return: (i) => need(i.reason, '复核退回须说明理由', (r) => `督查室复核认为问责处理意见不当，退回重新提出（理由：${r}）`),
  implement: (i) => need(i.note, '请写明实施了哪项问责', (n) => `实施问责：${n}`),
  report_result: (i) => need(i.result, '报送问责结果须写明结果', (r) => `报送问责结果：${r}`),
  apply_result: (i) =>
    typeof i.scope === 'string' && Object.prototype.hasOwnProperty.call(RESULT_SCOPES, i.scope)
      ? `结果运用：抄送组织部门，并${RESULT_SCOPES[i.scope as ResultScope]}`
      : invalid('结果运用须选择内部通报或公开通报。'),
  dismiss: (i, state) => {
    const reason = text(i.reason);
    if (!reason) return invalid('不予追究须说明理由。');
    if (state !== 'verifying') return `线索不予追究（理由：${reason}）`;
    const d = doc(i.report);
    return d ? `经核查线索不实，不予追究（理由：${reason}；核查报告《${d.title}》）` : invalid('核查后不予追究须附核查报告。');
  },
};

/** A3 on every target of an opinion; all problems are reported together. */
function opinionSummary(raw: unknown): string | Refusal {
  const targets = Array.isArray(raw) ? (raw as Loose[]) : [];
  if (targets.length === 0) return invalid('问责处理意见须列明问责对象及问责方式。', 'ACCOUNTABILITY.NO_TARGET');
  const problems: Problem[] = [];
  const lines: string[] = [];
  const names = new Set<string>();
  for (const t of targets) {
    const name = text(t.name);
    if ((t.target !== 'unit' && t.target !== 'person') || !name) {
      problems.push({ code: 'ACCOUNTABILITY.INVALID_INPUT', message: '每个问责对象须写明是单位还是工作人员，以及名称。' });
      continue;
    }
    const key = `${t.target}:${name}`;
    if (names.has(key)) {
      problems.push({ code: 'ACCOUNTABILITY.DUPLICATE_TARGET', message: `${MEASURE_TARGET_LABELS[t.target]}「${name}」重复列出，请合并其问责方式。` });
      continue;
    }
    names.add(key);
    const check = validateMeasures(t.target, Array.isArray(t.measures) ? (t.measures as string[]) : [], name);
    if (!check.ok) problems.push(...check.problems);
    else lines.push(`${MEASURE_TARGET_LABELS[t.target]}「${name}」：${check.measures.map((m) => ALL_MEASURE_LABELS[m]).join('、')}`);
  }
  if (problems.length) return invalid(problems.map((p) => p.message).join(''), problems[0].code);
  return `提出问责处理意见——${lines.join('；')}`;
}
