/**
 * The life of a 督办事项 (DOMAIN C5) and who may move it (P2–P4). Pure: no framework, no database, no clock.
 * A refusal is returned, never thrown, so the caller decides how to tell the person (HTTP 403/409, a chat reply).
 */
import { ItemState, Rating } from '../shared/vocabulary';

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

/** What the refusal may name besides the item (issue 14: a co-unit is told which unit reports for it). */
export interface RefusalContext {
  leadUnitName?: string;
}

type Say = (n: string, c: RefusalContext) => string;
const lead = (c: RefusalContext) => (c.leadUnitName ? `主办单位（${c.leadUnitName}）` : '主办单位');

interface ActionRule {
  from: readonly ItemState[];
  who: Who;
  /**
   * Why a person who may not do this is refused, in the domain's words (rule ids stay in comments: issue 14). A plain
   * string is a reason without the item: 「…，您不能<action>事项 <number>。」 is added to it.
   */
  whoRule: Say | string;
  /** What such a person can do instead (issue 13: a refusal says what to do next). */
  next?: Say | string;
  /** What a co-unit is told instead (P4 谁主办、谁反馈: it works through the lead unit). */
  coUnit?: Say;
}

const OPEN: readonly ItemState[] = ['registered', 'assigned', 'in_progress', 'closure_requested', 'under_review', 'pending_approval'];
const askOffice: Say = () => '如有需要，请联系督查室。';
const askOwner: Say = () => '如有需要，请联系本事项的立项主体。';

/** C5: every legal transition, as data. `to` is decided by `nextState` (some actions depend on their input). */
export const ACTION_RULES: Record<ItemAction, ActionRule> = {
  // P2
  submit: { from: ['draft'], who: supervisorOrOwner, whoRule: (n) => `立项由督查室或立项主体办理，您不能提交事项 ${n}。`, next: askOffice },
  // P2
  assign: { from: ['registered'], who: supervisorOrOwner, whoRule: (n) => `交办由督查室或立项主体办理，您不能交办事项 ${n}。`, next: askOffice },
  // C4
  decompose: {
    from: ['registered', 'assigned'],
    who: supervisorOrOwner,
    whoRule: (n) => `分解立项由督查室或立项主体办理，您不能分解事项 ${n}。`,
    next: askOffice,
  },
  // P1
  sign: {
    from: ['assigned', 'in_progress'],
    who: anyUnit,
    whoRule: (n) => `签收由承办单位的联络员或负责人办理，您不是事项 ${n} 承办单位的联络员或负责人。`,
    next: () => '如您是承办单位的联络员，请联系督查室登记后再签收。',
  },
  // P4 谁主办、谁反馈
  report: {
    from: ['in_progress'],
    who: leadUnit,
    whoRule: (n) => `只有主办单位可以反馈事项 ${n}。`,
    next: (n) => `如需了解进展，请发送：/查询 ${n}`,
    coUnit: (n, c) => `只有主办单位可以反馈事项 ${n}；贵单位是协办单位，请把材料交${lead(c)}汇总后反馈。`,
  },
  // F2
  return: {
    from: ['in_progress', 'closure_requested', 'under_review'],
    who: owner,
    whoRule: (n) => `退回由本事项的立项主体办理，您不能退回事项 ${n}。`,
    next: () => '如认为需要退回，请联系立项主体。',
  },
  // D3, 001 §17–18 (issue 14): the leader who does not approve sends the item back — see ItemCommandsService.leaderReturn.
  leader_return: {
    from: ['pending_approval'],
    who: leader,
    whoRule: (n) => `待审定的事项只能由本事项的分管领导退回，您不能退回事项 ${n}。`,
    next: () => '如认为需要退回，请联系分管领导。',
  },
  // Issue 14: the lead unit withdraws its own pending extension or closure request (then files a corrected one).
  withdraw: {
    from: ['assigned', 'in_progress', 'closure_requested'],
    who: leadUnit,
    whoRule: (n) => `延期或办结申请只能由主办单位撤回，您不能撤回事项 ${n} 的申请。`,
    next: askOwner,
  },
  // E1
  request_extension: {
    from: ['assigned', 'in_progress'],
    who: leadUnit,
    whoRule: (n) => `延期由主办单位申请，您不能为事项 ${n} 申请延期。`,
    next: askOwner,
    coUnit: (n, c) => `延期由主办单位申请；贵单位是事项 ${n} 的协办单位，如需延期，请与${lead(c)}商量后由其申请。`,
  },
  // E1
  decide_extension: {
    from: ['assigned', 'in_progress'],
    who: owner,
    whoRule: (n) => `延期由本事项的立项主体审批，您不能审批事项 ${n} 的延期申请。`,
    next: askOwner,
  },
  // D1
  request_closure: {
    from: ['in_progress'],
    who: leadUnit,
    whoRule: (n) => `办结由主办单位申请，您不能为事项 ${n} 申请办结。`,
    next: askOwner,
    coUnit: (n, c) => `办结由主办单位申请；贵单位是事项 ${n} 的协办单位，请把办理情况交${lead(c)}，由其申请办结。`,
  },
  // D2
  start_review: {
    from: ['closure_requested'],
    who: owner,
    whoRule: (n) => `办结审核由本事项的立项主体办理，您不能审核事项 ${n}。`,
    next: askOwner,
  },
  // D1
  verify: { from: ['in_progress'], who: owner, whoRule: (n) => `核验由本事项的立项主体组织，您不能为事项 ${n} 组织核验。`, next: askOwner },
  // D2
  rate: {
    from: ['closure_requested', 'under_review'],
    who: owner,
    whoRule: (n) => `办理结果由本事项的立项主体评定，您不能评定事项 ${n}。`,
    next: askOwner,
  },
  // D3
  sign_off: {
    from: ['pending_approval'],
    who: leader,
    whoRule: (n) => `审定由本事项的分管领导办理，您不能审定事项 ${n}。`,
    next: () => '请等待分管领导审定，审定后会通知有关单位。',
  },
  // C6
  archive: { from: ['closed'], who: supervisorOrOwner, whoRule: (n) => `归档由督查室或立项主体办理，您不能归档事项 ${n}。`, next: askOffice },
  // C4
  close_by_children: {
    from: OPEN,
    who: system,
    whoRule: (n) => `分解立项的事项 ${n} 在子事项全部办结后自动办结，不能单独办结。`,
    next: () => '请在各子事项上办理。',
  },
  // P2, P4 (issue 13): the 督查室 may change who owns, approves and handles an open item — never the owner office itself.
  reassign: {
    from: OPEN,
    who: (r) => r.isSupervisor,
    whoRule: (n) => `调整立项主体、分管领导和承办单位由督查室办理，您不能调整事项 ${n}。`,
    next: askOffice,
  },
  // R5, 000 §8.3, 001 §13: 立项主体兼为督办主体…由督办主体进行电话催办 — the 督查室 or the item's owner urges, while the unit owes the work.
  urge: {
    from: ['assigned', 'in_progress'],
    who: supervisorOrOwner,
    whoRule: (n) => `催办由督查室或本事项的立项主体办理，您不能催办事项 ${n}。`,
    next: () => '如需催办，请联系督查室。',
  },
  // R5, 001 §14, 003 二(三): 由市政府督查室按照…负责人要求进行重点督办 — the 督查室 alone sets or clears the flag (a leader asks it to).
  key_supervision: {
    from: OPEN,
    who: supervisor,
    whoRule: (n) => `重点督办由督查室列入或取消，您不能调整事项 ${n} 的重点督办。`,
    next: () => '如需列入重点督办，请告知督查室，由督查室按您的要求办理。',
  },
};

/** P2–P4 then C5: may this person take this action on an item in this state? */
export function checkAction(action: ItemAction, state: ItemState, who: ActorRelation, itemNumber: string, context: RefusalContext = {}): Refusal | null {
  const rule = ACTION_RULES[action];
  if (!rule.who(who)) {
    const why = typeof rule.whoRule === 'string' ? `${rule.whoRule}，您不能${ACTION_LABELS[action]}事项 ${itemNumber}。` : rule.whoRule(itemNumber, context);
    const next = typeof rule.next === 'string' ? rule.next : (rule.next?.(itemNumber, context) ?? '');
    const message = who.unitRole === 'co' && rule.coUnit ? rule.coUnit(itemNumber, context) : `${why}${next}`;
    return { code: 'CASE.FORBIDDEN', kind: 'forbidden', message };
  }
  if (!rule.from.includes(state)) {
    return illegalTransition(action, state, itemNumber);
  }
  return null;
}

/** C5, in words: what the item's state means for the person, said without naming the state machine. */
const SITUATION: Record<ItemState, (n: string) => string> = {
  draft: (n) => `事项 ${n} 还是草稿，尚未立项`,
  registered: (n) => `事项 ${n} 已立项，尚未交办`,
  assigned: (n) => `事项 ${n} 已交办，主办单位尚未签收`,
  in_progress: (n) => `事项 ${n} 正在办理，主办单位尚未申请办结`,
  closure_requested: (n) => `事项 ${n} 已申请办结，正在等待立项主体审核`,
  under_review: (n) => `事项 ${n} 的办结申请正在由立项主体审核`,
  pending_approval: (n) => `事项 ${n} 已评定，正在等待分管领导审定`,
  closed: (n) => `事项 ${n} 已办结`,
  archived: (n) => `事项 ${n} 已办结归档`,
};

const UNIT_ACTIONS: readonly ItemAction[] = ['sign', 'report', 'request_extension', 'request_closure'];
const AWAITING_OWNER: readonly ItemState[] = ['closure_requested', 'under_review', 'pending_approval'];

/** C5: the next step for a person whose action does not fit the item's state. */
function nextStep(action: ItemAction, state: ItemState, n: string): string {
  if (state === 'closed' || state === 'archived') {
    return action === 'archive' ? '无需再次归档。' : `无需再办理。如需查看办理情况，请发送：/查询 ${n}`;
  }
  if (state === 'draft' || state === 'registered') {
    if (action === 'assign') return '请先提交立项，再交办。';
    if (action === 'submit') return '无需再次提交。';
    return UNIT_ACTIONS.includes(action) ? '交办后才能办理，请等待督查室交办。' : '事项交办后才能办理。';
  }
  if (UNIT_ACTIONS.includes(action)) {
    if (state === 'assigned') return `请先签收：/签收 ${n}`;
    if (action === 'sign') return '主办单位已申请办结，无需再签收。';
    if (action === 'request_extension') return '办结申请已提交，无需再申请延期；如情况有变化，请联系立项主体。';
    if (action === 'request_closure') return '办结申请已提交，无需重复申请；如需补充材料，请联系立项主体。';
    return '如需补充材料，请联系立项主体。';
  }
  switch (action) {
    case 'archive':
      return '事项办结后才能归档。';
    case 'sign_off':
      return state === 'assigned' || state === 'in_progress'
        ? '须待主办单位申请办结、立项主体评定后，再由分管领导审定。'
        : '待立项主体评定后再审定，届时会通知您。';
    case 'return':
      return state === 'assigned' ? '主办单位签收并反馈后，才有可退回的材料。' : '如需改变评定结果，请联系分管领导。';
    case 'rate':
    case 'start_review':
      if (state === 'pending_approval') return '已评定，如需改变评定结果，请联系分管领导。';
      return state === 'under_review' ? '审核已经开始，请直接评定。' : '待主办单位申请办结后再审核、评定。';
    case 'verify':
      return '组织核验须在主办单位办理期间、办结申请前进行。';
    case 'decide_extension':
      return '办结申请已提交，不再审批延期。';
    case 'urge':
      return AWAITING_OWNER.includes(state) ? '主办单位已申请办结，无需催办。' : '';
    case 'decompose':
      return '主办单位签收后不能再分解立项。';
    case 'leader_return':
      return AWAITING_OWNER.includes(state)
        ? '待立项主体评定、报请审定后，再审定或退回，届时会通知您。'
        : '分管领导在审定时才能退回；办理中的事项由立项主体督促、退回。';
    case 'withdraw':
      return '立项主体已开始审核或已评定，申请不能再撤回；如需补充材料，请联系立项主体。';
    case 'submit':
    case 'assign':
      return '无需重复办理。';
    default:
      return '';
  }
}

export function illegalTransition(action: ItemAction, state: ItemState, itemNumber: string): Refusal {
  return {
    code: 'CASE.ILLEGAL_TRANSITION',
    kind: 'conflict',
    message: `${SITUATION[state](itemNumber)}，现在不能${ACTION_LABELS[action]}。${nextStep(action, state, itemNumber)}`,
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
