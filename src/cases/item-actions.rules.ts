/**
 * Issue 15: the buttons a person may press on an item now, and what each form needs — worked out from the very rules
 * the commands apply (item.rules checkAction for who and when, C5; E1's cut-off from deadline.rules; the extra checks the
 * commands make: a unit signs once, a pending extension blocks another, a return needs something to return, 核验 after
 * three failed attempts), so the console never offers what the API would refuse. Pure: no framework, no database, no clock.
 */
import { ActorRelation, CLOSURE_ATTEMPTS_BEFORE_VERIFICATION, checkAction, ItemAction } from './item.rules';
import { RATINGS, type ItemState, type Rating } from '../shared/vocabulary';
import type { DeadlinePolicy } from './deadline.rules';
import { URGE_METHOD_CODES, URGE_METHODS, type UrgeMethod } from './urging.rules';

/** What the console may offer; `return` is the owner's (F2), `leader_return` the leader's (D3) — both POST …/return. */
export type OfferedActionKey =
  | 'submit'
  | 'assign'
  | 'decompose'
  | 'sign'
  | 'report'
  | 'request_extension'
  | 'request_closure'
  | 'withdraw'
  | 'return'
  | 'leader_return'
  | 'decide_extension'
  | 'verify'
  | 'rate'
  | 'sign_off'
  | 'urge'
  | 'key_supervision'
  | 'reassign'
  | 'archive';

export interface PendingExtension {
  id: number;
  /** +08:00 ISO */
  proposedDeadline: string | null;
  reason: string;
  plan: string | null;
  requestedAt: string | null;
}

/** Everything the computation reads, gathered by ItemActionsService. */
export interface ItemActionFacts {
  number: string;
  state: ItemState;
  decomposed: boolean;
  /** A child of a decomposed item (C4: it is not decomposed again). */
  isChild: boolean;
  relation: ActorRelation;
  /** The viewer's unit row on the item (the one `sign` writes) has signed already. */
  mySigned: boolean;
  /** A report that stands (not returned): what the owner's return sends back while the item is in progress (F2). */
  standingReport: boolean;
  pendingExtension: PendingExtension | null;
  pendingClosure: boolean;
  servedParty: string | null;
  keySupervision: boolean;
  failedClosureAttempts: number;
  /** +08:00 ISO of the current deadline. */
  deadline: string;
  /** E1: the last day (YYYY-MM-DD, Shanghai) an extension may be asked for, and whether today is on or before it. */
  extensionLastDay: string;
  extensionOpen: boolean;
  /** E1 as set by the 督查室: N working (or calendar) days before the deadline. */
  extensionMinDaysBefore: number;
  extensionDaysUnit: DeadlinePolicy['extensionDaysUnit'];
  dayEnd: string;
}

export interface OfferedAction {
  action: OfferedActionKey;
  /** The button. */
  label: string;
  /** One sentence: what happens when it is done. */
  hint: string;
  /** What the form needs (only for actions with one). */
  form?: Record<string, unknown>;
}

export interface ActionRefusal {
  action: OfferedActionKey;
  message: string;
}

export interface ItemActions {
  actions: OfferedAction[];
  /** Why the person may not do the things a chat link can ask for (反馈, 延期, 办结, 退回), in words. */
  unavailable: ActionRefusal[];
}

/** 2026-03-09 → 2026年3月9日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const RULE_OF: Record<OfferedActionKey, ItemAction> = {
  submit: 'submit',
  assign: 'assign',
  decompose: 'decompose',
  sign: 'sign',
  report: 'report',
  request_extension: 'request_extension',
  request_closure: 'request_closure',
  withdraw: 'withdraw',
  return: 'return',
  leader_return: 'leader_return',
  decide_extension: 'decide_extension',
  verify: 'verify',
  rate: 'rate',
  sign_off: 'sign_off',
  urge: 'urge',
  key_supervision: 'key_supervision',
  reassign: 'reassign',
  archive: 'archive',
};

/** Every action the console may be offered (the API's description lists them). */
export const OFFERED_ACTIONS = Object.keys(RULE_OF) as OfferedActionKey[];

/** The order of the buttons: the unit's work first, then the owner's, the leader's, the office's. */
const ORDER: OfferedActionKey[] = [
  'sign',
  'report',
  'request_closure',
  'request_extension',
  'withdraw',
  'decide_extension',
  'rate',
  'return',
  'verify',
  'sign_off',
  'leader_return',
  'submit',
  'assign',
  'decompose',
  'urge',
  'key_supervision',
  'reassign',
  'archive',
];

/** The actions a chat link (`?do=`) may ask for; 退回 is `return` (the leader's while the item awaits 审定). */
export const LINKABLE: OfferedActionKey[] = ['report', 'request_extension', 'request_closure', 'return'];

/** Why `action` may not be done now, or null when it may (the same words the command would answer with). */
export function refusalOf(action: OfferedActionKey, f: ItemActionFacts): string | null {
  const n = f.number;
  if (f.decomposed && action !== 'archive') return `事项 ${n} 已分解立项，请在它的子事项上办理。`;
  const refused = checkAction(RULE_OF[action], f.state, f.relation, n);
  if (refused) return refused.message;
  switch (action) {
    case 'sign':
      return f.mySigned ? `您所在单位已签收事项 ${n}，无需重复签收。` : null;
    case 'request_extension':
      if (!f.extensionOpen) {
        const unit = f.extensionDaysUnit === 'calendar_day' ? '天' : '个工作日';
        return (
          `延期须在期限前至少${f.extensionMinDaysBefore}${unit}提出，本事项最迟应于 ${chineseDate(f.extensionLastDay)}（含当日）申请，现已超过。` +
          '请按期申请办结；确实无法按期完成的，请反馈未能按期完成的原因。'
        );
      }
      return f.pendingExtension ? `事项 ${n} 已有一份延期申请待立项主体审批。如需修改，请先撤回，再重新申请。` : null;
    case 'decompose':
      return f.isChild ? '子事项不能再分解。' : null;
    case 'withdraw':
      return f.pendingExtension || (f.state === 'closure_requested' && f.pendingClosure) ? null : `事项 ${n} 没有待审批的延期申请或办结申请，无需撤回。`;
    case 'return':
      return f.state === 'in_progress' && !f.standingReport ? `事项 ${n} 目前没有待审的反馈可退回；主办单位报送反馈后再审阅。` : null;
    case 'decide_extension':
      return f.pendingExtension ? null : `事项 ${n} 没有待审批的延期申请。`;
    case 'verify':
      return f.failedClosureAttempts >= CLOSURE_ATTEMPTS_BEFORE_VERIFICATION
        ? null
        : `服务对象不同意办结满 ${CLOSURE_ATTEMPTS_BEFORE_VERIFICATION} 次后才可组织核验，本事项目前 ${f.failedClosureAttempts} 次。`;
    default:
      return null;
  }
}

function offer(action: OfferedActionKey, f: ItemActionFacts): OfferedAction {
  switch (action) {
    case 'sign':
      return { action, label: '签收', hint: '签收后即开始办理，请按期反馈进展。' };
    case 'report':
      return { action, label: '反馈进展', hint: '反馈会记入一事一卷，并告知立项主体。' };
    case 'request_extension':
      return {
        action,
        label: '申请延期',
        hint: `最迟于 ${chineseDate(f.extensionLastDay)}（含当日）申请；由立项主体审批。`,
        form: {
          currentDeadline: f.deadline,
          lastDay: f.extensionLastDay,
          minDaysBefore: f.extensionMinDaysBefore,
          daysUnit: f.extensionDaysUnit,
          dayEnd: f.dayEnd,
        },
      };
    case 'request_closure':
      return {
        action,
        label: '申请办结',
        hint: '办结申请由立项主体审核评定，再报分管领导审定。',
        form: { servedParty: f.servedParty },
      };
    case 'withdraw':
      return {
        action,
        label: '撤回申请',
        hint: f.pendingExtension ? '撤回待审批的延期申请，可修改后重新申请。' : '撤回办结申请，事项回到办理中，可补充后重新申请。',
        form: { what: f.pendingExtension ? 'extension' : 'closure', whatLabel: f.pendingExtension ? '延期申请' : '办结申请' },
      };
    case 'return':
      return {
        action,
        label: f.state === 'in_progress' ? '退回反馈' : '退回办结申请',
        hint: '退回后主办单位须按要求重新办理、报送。',
        form: { what: f.state === 'in_progress' ? '最近一次反馈' : '办结申请' },
      };
    case 'leader_return':
      return { action, label: '退回', hint: '不同意办结，退回主办单位继续办理；立项主体同时获知。', form: { what: '评定结果' } };
    case 'decide_extension':
      return { action, label: '审批延期', hint: '同意后期限改为申请的日期；不同意须写明意见。', form: { request: f.pendingExtension } };
    case 'verify':
      return { action, label: '组织核验', hint: '专家论证或公众评价通过的，进入审核。' };
    case 'rate':
      return {
        action,
        label: '评定',
        hint: '评定为优秀、良好、合格的报分管领导审定；不合格的退回主办单位重办。',
        form: { grades: (Object.keys(RATINGS) as Rating[]).map((value) => ({ value, label: RATINGS[value] })) },
      };
    case 'sign_off':
      return { action, label: '审定', hint: '审定后事项办结销号，并通知承办单位。' };
    case 'urge':
      return {
        action,
        label: '催办',
        hint: '催办记入一事一卷；函询、限期整改同时通知主办单位。',
        form: {
          methods: URGE_METHOD_CODES.map((value: UrgeMethod) => ({
            value,
            label: URGE_METHODS[value],
            needsContact: value === 'phone' || value === 'interview',
            needsLimit: value === 'rectify',
          })),
          dayEnd: f.dayEnd,
        },
      };
    case 'key_supervision':
      return {
        action,
        label: f.keySupervision ? '取消重点督办' : '列入重点督办',
        hint: f.keySupervision ? '取消后不再按重点督办跟踪。' : '列入后主办单位会收到通知。',
        form: { on: !f.keySupervision },
      };
    case 'reassign':
      return { action, label: '调整承办', hint: '调整立项主体、分管领导或承办单位，须写明理由。' };
    case 'submit':
      return { action, label: '提交立项', hint: '提交后即可交办。' };
    case 'assign':
      return { action, label: '交办', hint: '交办卡片会推送到各承办单位的群。' };
    case 'archive':
      return { action, label: '归档', hint: '归档后一事一卷封存。' };
    case 'decompose':
      return { action, label: '分解立项', hint: '分给几个承办单位各自立项、各自期限，本事项待子事项办结后办结。' };
  }
}

/** P2–P4, C5, E1: what this person may do on this item now, in the order the buttons stand. */
export function itemActions(f: ItemActionFacts): ItemActions {
  const actions = ORDER.filter((a) => refusalOf(a, f) === null).map((a) => offer(a, f));
  // 退回 is one word for two people (POST …/return): the leader's while the item awaits 审定, else the owner's.
  const unavailable = LINKABLE.map((action) => ({
    action,
    message: refusalOf(action === 'return' && f.state === 'pending_approval' ? 'leader_return' : action, f),
  })).filter((r): r is ActionRefusal => r.message !== null);
  return { actions, unavailable };
}
