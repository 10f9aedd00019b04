/**
 * Platform-neutral cards (issue 4 §2): what a card says and which buttons a viewer may press.
 * Pure: built from the item as the API shows it and the viewer's relation to it; each platform renders them.
 */
import { ActorRelation, checkAction, ItemAction } from '../cases/item.rules';
import { formatShanghai } from '../shared/shanghai-time';
import type { ActionButton, DecisionView } from '../outbox/message-views';
import type { ItemState } from '../shared/vocabulary';

/**
 * What a card reads of an item: the fields it uses of cases/item.view's ItemView (which callers pass), spelled out
 * here so that the card renderer — rule core — does not reach the entities through ItemView's type (issue 12).
 */
export interface CardItem {
  number: string;
  title: string;
  state: ItemState;
  stateLabel: string;
  /** +08:00 ISO instant, as the API shows it. */
  deadline: string | null;
  /** How the deadline was given ('7d', 'date:…', 'open:2026' for an item without a time limit). */
  deadlineSpec?: string;
  /** B3 traffic light. */
  light: 'green' | 'yellow' | 'red' | 'done';
  leadUnit: { name: string } | null;
  coUnits: readonly { name: string }[];
  sourceLabel: string;
  ratingLabel: string | null;
  /** C1: the 办理要求 (the item's content), shown on the assignment card; each platform cuts it to its limit. */
  content?: string;
  /**
   * E1 (issue 14): false once the last day to ask for an extension (deadline.rules lastExtensionDay) has passed — the
   * card then offers no 申请延期. Undefined: not known, the state alone decides.
   */
  extensionOpen?: boolean;
}

/** A card's button (the neutral decision's button, src/outbox/message-kinds.ts). */
export type CardButton = ActionButton;

interface CardBase {
  number: string;
  title: string;
  state: string;
  stateLabel: string;
  deadline: string;
  timeLeft: string;
  buttons: CardButton[];
}
export interface AssignmentCardView extends CardBase {
  kind: 'assignment';
  leadUnit: string;
  coUnits: string;
  source: string;
  /** The 办理要求, whole: each platform cuts it to its limit with 「…（全文见详情）」. */
  content: string;
}
export interface ReviewCardView extends CardBase {
  kind: 'review';
  summary: string;
  criteria: string[];
}
export interface ApprovalCardView extends CardBase {
  kind: 'approval';
  rating: string;
  summary: string;
}
/** E1 (issue 14): the owner office decides an extension request on this card. */
export interface ExtensionCardView extends CardBase {
  kind: 'extension';
  /** The deadline asked for, as people read it. */
  proposed: string;
  reason: string;
  /** 待审批, 已同意, 未同意, 已撤回. */
  requestStatus: string;
}
/** A decision about something that is not an item, built by the feature that owns it (MessageKinds), shown as a card. */
export type DecisionCardView = DecisionView;
export type CardView = AssignmentCardView | ReviewCardView | ApprovalCardView | ExtensionCardView | DecisionCardView;

/** F3: what the reviewer is asked to look at. */
export const REVIEW_CRITERIA = ['事实是否查清', '问题是否解决', '任务是否落实', '结论是否准确', '处理是否符合法律政策'];

const UNIT_BUTTONS: [ItemAction, CardButton][] = [
  ['sign', { id: 'sign', label: '签收', style: 'primary' }],
  ['report', { id: 'report', label: '反馈进展', input: { key: 'content', placeholder: '填写办理进展' } }],
  ['request_extension', { id: 'extend', label: '申请延期', input: { key: 'reason', placeholder: '新期限（如 2026-12-20）和理由' } }],
  ['request_closure', { id: 'close', label: '申请办结', input: { key: 'summary', placeholder: '填写办结情况' } }],
];
const REVIEW_BUTTONS: CardButton[] = [
  { id: 'return', label: '退回', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } },
  { id: 'rate:excellent', label: '优秀', style: 'primary' },
  { id: 'rate:good', label: '良好', style: 'primary' },
  { id: 'rate:pass', label: '合格' },
  { id: 'rate:fail', label: '不合格', style: 'danger' },
];

/** "2天3小时" left, or "已逾期5小时". */
export function timeLeft(deadlineIso: string | null, now: Date): string {
  if (!deadlineIso) return '';
  const ms = new Date(deadlineIso).getTime() - now.getTime();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时` : `${Math.max(1, Math.floor(abs / 60_000))}分钟`;
  return ms >= 0 ? `剩余${span}` : `已逾期${span}`;
}

/** The deadline as people read it; an item without a time limit (C3, 000 §12) shows its year-end report instead. */
export function deadlineText(item: Pick<CardItem, 'deadline' | 'deadlineSpec'>): string {
  if (!item.deadline) return '';
  const at = formatShanghai(new Date(item.deadline));
  return item.deadlineSpec?.startsWith('open:') ? `无固定时限（${at.slice(0, 10)}前报送年度书面报告）` : at;
}

/** The time note a card and /我的 show: time left, 已逾期…, or what a past deadline means when the unit is not late. */
export function timeNote(item: Pick<CardItem, 'light' | 'deadline' | 'deadlineSpec'>, now: Date): string {
  const openEnded = item.deadlineSpec?.startsWith('open:') ?? false;
  return item.light === 'done' || openEnded ? '' : pastDue(item, now) ? PAST_DUE[item.light] : timeLeft(item.deadline, now);
}

function base(item: CardItem, now: Date): Omit<CardBase, 'buttons'> {
  return {
    number: item.number,
    title: item.title,
    state: item.state,
    stateLabel: item.stateLabel,
    deadline: deadlineText(item),
    timeLeft: timeNote(item, now),
  };
}

/**
 * A1: past the deadline, only a red item (the unit did not answer in time) is "已逾期"; a green one was answered by
 * the unit (it waits on others), a yellow one was never handed over (cases/overdue.rules lightOf).
 */
const PAST_DUE: Record<CardItem['light'], string> = { red: '', green: '承办单位已反馈', yellow: '已过期限尚未交办，请尽快交办', done: '' };
const pastDue = (item: Pick<CardItem, 'light' | 'deadline'>, now: Date) =>
  item.light !== 'red' && !!item.deadline && new Date(item.deadline).getTime() < now.getTime();

/** The buttons the rules let this viewer press now (P2–P4, C5): the card never offers what would be refused. */
export function unitButtons(item: CardItem, who: ActorRelation, signed = false): CardButton[] {
  return UNIT_BUTTONS.filter(
    ([action]) =>
      !(action === 'sign' && signed) &&
      !(action === 'request_extension' && item.extensionOpen === false) &&
      checkAction(action, item.state, who, item.number) === null,
  ).map(([, b]) => b);
}

export function assignmentCard(item: CardItem, who: ActorRelation | null, now: Date, signed = false): AssignmentCardView {
  return {
    kind: 'assignment',
    ...base(item, now),
    leadUnit: item.leadUnit?.name ?? '',
    coUnits: item.coUnits.map((u) => u.name).join('、'),
    source: item.sourceLabel,
    content: item.content ?? '',
    buttons: who ? unitButtons(item, who, signed) : [],
  };
}

export function reviewCard(item: CardItem, summary: string, who: ActorRelation, now: Date): ReviewCardView {
  const canRate = checkAction('rate', item.state, who, item.number) === null;
  return { kind: 'review', ...base(item, now), summary, criteria: REVIEW_CRITERIA, buttons: canRate ? REVIEW_BUTTONS : [] };
}

export function approvalCard(item: CardItem, summary: string, who: ActorRelation, now: Date): ApprovalCardView {
  const canApprove = checkAction('sign_off', item.state, who, item.number) === null;
  return {
    kind: 'approval',
    ...base(item, now),
    rating: item.ratingLabel ?? '',
    summary,
    buttons: [
      ...(canApprove ? [{ id: 'approve', label: '审定', style: 'primary' as const }] : []),
      // D3 (issue 14): the leader may send the item back, with a reason.
      ...(checkAction('leader_return', item.state, who, item.number) === null ? [LEADER_RETURN] : []),
    ],
  };
}

const LEADER_RETURN: CardButton = { id: 'return', label: '退回', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } };
const EXTENSION_BUTTONS: CardButton[] = [
  { id: 'ext:approve', label: '同意延期', style: 'primary' },
  { id: 'ext:reject', label: '不同意', style: 'danger', input: { key: 'reason', placeholder: '不同意的理由' } },
];

/** E1 (issue 14): an extension request as the owner office sees it; the buttons only while it is pending and theirs to decide. */
export function extensionCard(
  item: CardItem,
  request: { proposed: string; reason: string; status: 'pending' | 'approved' | 'refused' | 'withdrawn' | string },
  who: ActorRelation,
  now: Date,
): ExtensionCardView {
  const canDecide = request.status === 'pending' && checkAction('decide_extension', item.state, who, item.number) === null;
  const requestStatus = { pending: '待审批', approved: '已同意', refused: '未同意', withdrawn: '已撤回' }[request.status] ?? request.status;
  return {
    kind: 'extension',
    ...base(item, now),
    proposed: request.proposed,
    reason: request.reason,
    requestStatus,
    buttons: canDecide ? EXTENSION_BUTTONS : [],
  };
}
