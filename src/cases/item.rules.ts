/**
 * The life of a 督办事项 (DOMAIN C5) and who may move it (P2–P4). Pure: no framework, no database, no clock.
 * A refusal is returned, never thrown, so the caller decides how to tell the person (HTTP 403/409, a chat reply).
 */
import { ItemState, STATE_LABELS, Rating } from '../shared/vocabulary';

export type ItemAction =
  | 'submit'
  | 'assign'
  | 'decompose'
  | 'sign'
  | 'report'
  | 'return'
  | 'leader_return'
  | 'withdraw'
  | 'request_extension'
  | 'decide_extension'
  | 'request_closure'
  | 'start_review'
  | 'verify'
  | 'rate'
  | 'sign_off'
  | 'archive'
  | 'close_by_children'
  | 'reassign'
  | 'urge'
  | 'key_supervision';

export const ACTION_LABELS: Record<ItemAction, string> = {
  submit: '提交立项',
  assign: '交办',
  decompose: '分解立项',
  sign: '签收',
  report: '反馈',
  return: '退回',
  leader_return: '退回',
  withdraw: '撤回申请',
  request_extension: '申请延期',
  decide_extension: '审批延期',
  request_closure: '申请办结',
  start_review: '开始审核',
  verify: '组织核验',
  rate: '评定',
  sign_off: '审定',
  archive: '归档',
  close_by_children: '子事项全部办结',
  reassign: '调整立项主体、分管领导或承办单位',
  urge: '催办',
  key_supervision: '重点督办',
};

/** How the acting person stands to this item, worked out by the service from role grants and the item. */
export interface ActorRelation {
  system?: boolean;
  isSupervisor: boolean; // P2 督查室
  isOwner: boolean; // P4 谁立项、谁督办: the item's owner
  isLeader: boolean; // the item's leader (分管领导)
  unitRole?: 'lead' | 'co'; // contact or head of the lead unit or of a co-unit
}

export interface Refusal {
  code: string;
  message: string;
  kind: 'forbidden' | 'conflict';
}

type Who = (r: ActorRelation) => boolean;
const supervisorOrOwner: Who = (r) => r.isSupervisor || r.isOwner;
const owner: Who = (r) => r.isOwner;
const anyUnit: Who = (r) => r.unitRole !== undefined;
const leadUnit: Who = (r) => r.unitRole === 'lead';
const leader: Who = (r) => r.isLeader;
const supervisor: Who = (r) => r.isSupervisor;
const system: Who = (r) => r.system === true;

interface ActionRule {
  from: readonly ItemState[];
  who: Who;
  /** The rule quoted to a person who may not do this. */
  whoRule: string;
  /** What such a person can do instead (issue 13: a refusal says what to do next). */
  next?: string;
}

const OPEN: readonly ItemState[] = ['registered', 'assigned', 'in_progress', 'closure_requested', 'under_review', 'pending_approval'];

/** C5: every legal transition, as data. `to` is decided by `nextState` (some actions depend on their input). */
export const ACTION_RULES: Record<ItemAction, ActionRule> = {
  submit: { from: ['draft'], who: supervisorOrOwner, whoRule: 'P2：立项由督查室或立项主体办理' },
  assign: { from: ['registered'], who: supervisorOrOwner, whoRule: 'P2：交办由督查室或立项主体办理' },
  decompose: { from: ['registered', 'assigned'], who: supervisorOrOwner, whoRule: 'C4：分解立项由督查室或立项主体办理' },
  sign: { from: ['assigned', 'in_progress'], who: anyUnit, whoRule: 'P1：签收由承办单位的联络员或负责人办理' },
  report: { from: ['in_progress'], who: leadUnit, whoRule: 'P4：谁主办、谁反馈——只有主办单位可以反馈' },
  return: { from: ['in_progress', 'closure_requested', 'under_review'], who: owner, whoRule: 'F2：只有立项主体可以退回' },
  // D3, 001 §17–18 (issue 14): the leader who does not approve sends the item back — see ItemCommandsService.leaderReturn.
  leader_return: { from: ['pending_approval'], who: leader, whoRule: '待审定的事项只能由本事项的分管领导退回' },
  // Issue 14: the lead unit withdraws its own pending extension or closure request (then files a corrected one).
  withdraw: { from: ['assigned', 'in_progress', 'closure_requested'], who: leadUnit, whoRule: '延期或办结申请只能由主办单位撤回' },
  request_extension: { from: ['assigned', 'in_progress'], who: leadUnit, whoRule: 'E1：延期由主办单位申请' },
  decide_extension: { from: ['assigned', 'in_progress'], who: owner, whoRule: 'E1：延期由立项主体审批' },
  request_closure: { from: ['in_progress'], who: leadUnit, whoRule: 'D1：办结由主办单位申请' },
  start_review: { from: ['closure_requested'], who: owner, whoRule: 'D2：办结审核由立项主体办理' },
  verify: { from: ['in_progress'], who: owner, whoRule: 'D1：核验由立项主体组织' },
  rate: { from: ['closure_requested', 'under_review'], who: owner, whoRule: 'D2：办理结果由立项主体评定' },
  sign_off: { from: ['pending_approval'], who: leader, whoRule: 'D3：审定由本事项的分管领导办理' },
  archive: { from: ['closed'], who: supervisorOrOwner, whoRule: 'C6：归档由督查室或立项主体办理' },
  close_by_children: { from: OPEN, who: system, whoRule: 'C4：母事项随子事项全部办结而办结' },
  // P2, P4 (issue 13): the 督查室 may change who owns, approves and handles an open item — never the owner office itself.
  reassign: { from: OPEN, who: (r) => r.isSupervisor, whoRule: 'P2：调整立项主体、分管领导和承办单位由督查室办理' },
  // R5, 000 §8.3, 001 §13: 立项主体兼为督办主体…由督办主体进行电话催办 — the 督查室 or the item's owner urges, while the unit owes the work.
  urge: { from: ['assigned', 'in_progress'], who: supervisorOrOwner, whoRule: '催办由督查室或本事项的立项主体办理', next: '如需催办，请联系督查室。' },
  // R5, 001 §14, 003 二(三): 由市政府督查室按照…负责人要求进行重点督办 — the 督查室 alone sets or clears the flag (a leader asks it to).
  key_supervision: {
    from: OPEN,
    who: supervisor,
    whoRule: '重点督办由督查室列入或取消',
    next: '如需列入重点督办，请告知督查室，由督查室按您的要求办理。',
  },
};

/** P2–P4 then C5: may this person take this action on an item in this state? */
export function checkAction(action: ItemAction, state: ItemState, who: ActorRelation, itemNumber: string): Refusal | null {
  const rule = ACTION_RULES[action];
  if (!rule.who(who)) {
    return {
      code: 'CASE.FORBIDDEN',
      kind: 'forbidden',
      message: `${rule.whoRule}，您不能对 ${itemNumber}「${ACTION_LABELS[action]}」。${rule.next ?? ''}`,
    };
  }
  if (!rule.from.includes(state)) {
    return illegalTransition(action, state, itemNumber);
  }
  return null;
}

export function illegalTransition(action: ItemAction, state: ItemState, itemNumber: string): Refusal {
  const allowed = ACTION_RULES[action].from.map((s) => `「${STATE_LABELS[s]}」`).join('、');
  return {
    code: 'CASE.ILLEGAL_TRANSITION',
    kind: 'conflict',
    message: `C5：事项 ${itemNumber} 当前为「${STATE_LABELS[state]}」，不能「${ACTION_LABELS[action]}」（仅在${allowed}时可以）。`,
  };
}

/** C5: where a legal action leads. Actions that leave the state as it is return the same state. */
export function nextState(action: ItemAction, state: ItemState, input: { rating?: Rating; leadSigned?: boolean; verified?: boolean } = {}): ItemState {
  switch (action) {
    case 'submit':
      return 'registered';
    case 'assign':
      return 'assigned';
    case 'sign':
      // The item is "signed for" when its lead unit signs; a co-unit's signature is recorded on its own row.
      return state === 'assigned' && input.leadSigned ? 'in_progress' : state;
    case 'return':
    case 'leader_return':
      return 'in_progress'; // F2, C5: returned work goes back to the unit
    case 'request_closure':
      return 'closure_requested';
    case 'start_review':
      return 'under_review';
    case 'verify':
      return input.verified ? 'under_review' : state; // D1: a passed 专家论证/公众评价 stands in for the 服务对象's agreement
    case 'rate':
      return input.rating === 'fail' ? 'in_progress' : 'pending_approval'; // D2: 不合格 returns it
    case 'sign_off':
    case 'close_by_children':
      return 'closed'; // D3, C4
    case 'archive':
      return 'archived';
    default:
      return state;
  }
}

/** D1: after this many failed attempts to get the 服务对象's agreement, the owner may order verification instead. */
export const CLOSURE_ATTEMPTS_BEFORE_VERIFICATION = 3;
