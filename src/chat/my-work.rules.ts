/**
 * What waits on a person, and the command that does it (issue 14): the 「等您办理的」 lines shared by /我的, /帮助 and the
 * answer to a greeting, the 主办/协办 lines of /我的 and the per-role /帮助. Pure: the items, the person's relation to
 * each and `now` are parameters.
 */
import type { ItemState } from '../shared/vocabulary';
import { timeNote, type CardItem } from './cards';

/** The item as these texts read it: the card's fields that say what it is and how it stands. */
export type WorkItem = Pick<CardItem, 'number' | 'title' | 'state' | 'stateLabel' | 'deadline' | 'deadlineSpec' | 'light'>;

/** One open item and how the person stands to it. */
export interface WorkEntry {
  item: WorkItem;
  /** The person speaks for the lead unit or a co-unit, which has (or has not) signed. */
  unit?: { role: 'lead' | 'co'; signed: boolean };
  /** P4: the person's office registered it (立项主体). */
  asOwner: boolean;
  /** The item's 分管领导. */
  asLeader: boolean;
  /** E1: an extension request waits for the owner. */
  extensionPending: boolean;
}

/** One 「等您办理的」 line: what waits, and the command that does it. */
export interface Waiting {
  number: string;
  title: string;
  what: string;
  command: string;
}

const SIGNABLE: readonly ItemState[] = ['assigned', 'in_progress'];
const UNDER_REVIEW: readonly ItemState[] = ['closure_requested', 'under_review'];

/** What waits on this person for this item, the most pressing first (a unit's 签收 before its late 反馈). */
export function waitingOn(e: WorkEntry, now: Date): Waiting[] {
  const { number, title, state } = e.item;
  const out: Waiting[] = [];
  const line = (what: string, command: string) => out.push({ number, title, what, command });
  if (e.unit && !e.unit.signed && SIGNABLE.includes(state)) line(e.unit.role === 'lead' ? '待签收' : '待签收（协办）', `/签收 ${number}`);
  else if (e.unit?.role === 'lead' && state === 'in_progress' && e.item.light === 'red') line(`${timeNote(e.item, now)}未反馈`, `/反馈 ${number} 办理进展`);
  if (e.asOwner && UNDER_REVIEW.includes(state)) line('办结申请待您评定（优秀、良好、合格、不合格）', `/评定 ${number} 良好`);
  if (e.asOwner && e.extensionPending) line('延期申请待您审批', `/批准延期 ${number} 或 /驳回延期 ${number} 理由`);
  if (e.asLeader && state === 'pending_approval') line('待您审定办结', `/审定 ${number}`);
  return out;
}

/** R5, B3 for the 督查室: an item whose unit is late is waiting on the 督查室 to urge it. */
export function lateForSupervisor(item: WorkItem, now: Date): Waiting {
  return { number: item.number, title: item.title, what: `${timeNote(item, now)}未反馈`, command: `/查询 ${item.number}` };
}

export const waitingLine = (w: Waiting): string => `${w.number}「${w.title}」${w.what}：${w.command}`;

/** The next command on one line of /我的, per the person's relation to the item. */
function nextStep(e: WorkEntry, as: 'lead' | 'co' | 'owner' | 'leader'): { note?: string; command: string } {
  const { number, state } = e.item;
  const query = `/查询 ${number}`;
  if ((as === 'lead' || as === 'co') && e.unit && !e.unit.signed && SIGNABLE.includes(state)) return { command: `/签收 ${number}` };
  switch (as) {
    case 'lead':
      if (state === 'in_progress') return { command: `/反馈 ${number} 办理进展` };
      if (UNDER_REVIEW.includes(state)) return { note: '等待立项主体审核', command: query };
      if (state === 'pending_approval') return { note: '等待分管领导审定', command: query };
      return { command: query };
    case 'co':
      return { note: '协助主办单位办理', command: query };
    case 'owner':
      if (UNDER_REVIEW.includes(state)) return { command: `/评定 ${number} 良好` };
      if (e.extensionPending) return { note: '延期申请待您审批', command: `/批准延期 ${number}` };
      return { command: query };
    case 'leader':
      return state === 'pending_approval' ? { command: `/审定 ${number}` } : { command: query };
  }
}

function itemLine(e: WorkEntry, as: 'lead' | 'co' | 'owner' | 'leader', now: Date): string {
  const { note, command } = nextStep(e, as);
  const time = timeNote(e.item, now);
  return `· ${e.item.number}「${e.item.title}」${e.item.stateLabel}${time ? `，${time}` : ''}${note ? `，${note}` : ''}：${command}`;
}

const SECTION_LIMIT = 10;

function section(title: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, SECTION_LIMIT);
  const more = lines.length - shown.length;
  return [`${title}（${lines.length}项）：`, ...shown, ...(more > 0 ? [`……另有${more}项，请在督办系统中查看。`] : [])];
}

/** /我的: what waits on me first, then 主办, 协办, the items my office registered and those I lead, each with its next command. */
export function mineText(name: string, entries: readonly WorkEntry[], waiting: readonly Waiting[], now: Date): string {
  const lines = [
    ...section(
      '主办事项',
      entries.filter((e) => e.unit?.role === 'lead').map((e) => itemLine(e, 'lead', now)),
    ),
    ...section(
      '协办事项',
      entries.filter((e) => e.unit?.role === 'co').map((e) => itemLine(e, 'co', now)),
    ),
    ...section(
      '立项督办的事项',
      entries.filter((e) => e.asOwner).map((e) => itemLine(e, 'owner', now)),
    ),
    ...section(
      '分管的事项',
      entries.filter((e) => e.asLeader).map((e) => itemLine(e, 'leader', now)),
    ),
  ];
  if (waiting.length === 0 && lines.length === 0) return `${name}，您目前没有在办的督办事项。发送 /帮助 查看可用的命令。`;
  const head =
    waiting.length === 0
      ? [`${name}，目前没有等您办理的督办事项。`]
      : [`${name}，等您办理的（${waiting.length}项）：`, ...waiting.slice(0, SECTION_LIMIT).map((w, i) => `${i + 1}. ${waitingLine(w)}`)];
  return [...head, ...lines].join('\n');
}

const GREETING = /^(你好|您好|大家好|各位好|老师好|hi|hello|哈喽|嗨|在吗|在不在|早上好|上午好|中午好|下午好|晚上好|早|谢谢|辛苦了|收到)/i;
const NEXT = '发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。';

/** Issue 14: a greeting or unknown text addressed to the bot gets a short, friendly answer with the person's next step. */
export function greetingText(name: string, typed: string, waiting: readonly Waiting[]): string {
  const words = typed.replace(/^(\s*[@＠]\S+)+/, '').trim(); // WeCom keeps the @-mention in the text
  const greeted = words === '' || GREETING.test(words);
  const hello = `${name}，您好！${greeted ? '' : '督办助手只能办理督办命令，没有看懂这句话。'}`;
  if (waiting.length === 0) return `${hello}目前没有等您办理的督办事项。${NEXT}`;
  return [`${hello}等您办理的有${waiting.length}项：`, ...waiting.slice(0, 5).map(waitingLine), ...(waiting.length > 5 ? ['……'] : []), NEXT].join('\n');
}
