/**
 * Platform-neutral cards and texts → DingTalk's shapes (PLATFORMS.md "Interactive cards", "App-robot messages").
 * Pure. The card template an admin builds in DingTalk's card builder reads the variables listed in the README;
 * every cardParamMap value is a string of at most 1 KB.
 */
import type { CardView } from '../../cards';

const KB = 1024;
const clip = (s: string, bytes = KB, tail = '…') => {
  if (Buffer.byteLength(s, 'utf8') <= bytes) return s;
  let out = s;
  while (Buffer.byteLength(`${out}${tail}`, 'utf8') > bytes) out = out.slice(0, -1);
  return `${out}${tail}`;
};
/** Issue 14: the 办理要求 cut to fit says where the rest is. */
export const MORE_IN_DETAILS = '…（全文见详情）';
/** How much of the 办理要求 the markdown fallback card shows. */
const ACTION_CARD_CONTENT_BYTES = 900;

/** The template variables (public card data). `buttons` is a JSON string the template's button list binds to. */
export function cardParamMap(card: CardView): Record<string, string> {
  const common: Record<string, string> = {
    kind: card.kind,
    number: card.number,
    title: card.title,
    state: card.state,
    stateLabel: card.stateLabel,
    deadline: card.deadline,
    timeLeft: card.timeLeft,
    buttons: JSON.stringify(card.buttons),
  };
  const extra: Record<string, string> =
    card.kind === 'assignment'
      ? { leadUnit: card.leadUnit, coUnits: card.coUnits, source: card.source, content: clip(card.content, KB, MORE_IN_DETAILS) }
      : card.kind === 'review'
        ? { summary: card.summary, criteria: card.criteria.join('；') }
        : card.kind === 'decision'
          ? { summary: card.summary, facts: card.facts.map((f) => `${f.label}：${f.value}`).join('\n') }
          : card.kind === 'extension'
            ? { proposed: card.proposed, summary: card.reason, requestStatus: card.requestStatus }
            : { summary: card.summary, rating: card.rating };
  const all = { ...common, ...extra };
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, clip(v)]));
}

/**
 * The answer to a button click, given in the Stream ACK within 2 s: everyone in the card's space sees the new state at
 * once (public data: the card as its group or person sees it). Issue 14: the clicker's private data carries only the
 * notice, and replaces (not merges) what an earlier click left there — buttons kept in private data once stayed on
 * the clicker's card after later changes (a closure request by command still showed 反馈/延期/办结), because the
 * refresh updates public data only.
 */
export function cardCallbackResponse(card: CardView, notice?: string): Record<string, unknown> {
  const params = cardParamMap(card);
  return {
    cardData: { cardParamMap: params },
    userPrivateData: { cardParamMap: { notice: clip(notice ?? '') } },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: false },
  };
}

/** Without a card template: a sampleActionCard with the same facts and a link to the item. */
export function actionCardParam(card: CardView, itemUrl: string): Record<string, string> {
  const lines = [`### ${card.number} ${card.title}`, `- 状态：${card.stateLabel}`, `- 期限：${card.deadline}${card.timeLeft ? `（${card.timeLeft}）` : ''}`];
  if (card.kind === 'assignment') {
    lines.push(`- 主办：${card.leadUnit}`, ...(card.coUnits ? [`- 协办：${card.coUnits}`] : []));
    if (card.content) lines.push(`- 办理要求：${clip(card.content, ACTION_CARD_CONTENT_BYTES, MORE_IN_DETAILS)}`);
  }
  // A fact that is a link (a 通报's 全文 under review, issue 14) is a markdown link.
  else if (card.kind === 'decision')
    lines.push(...card.facts.map((f) => `- ${f.label}：${/^https?:\/\/\S+$/.test(f.value) ? `[点击查看](${f.value})` : f.value}`), '', card.summary);
  else if (card.kind === 'extension') lines.push(`- 申请延期至：${card.proposed}（${card.requestStatus}）`, `- 理由：${card.reason}`);
  else lines.push(`- 办结情况：${card.summary}`);
  if (card.buttons.length) lines.push('', `可在群里 @督办助手 回复：${card.buttons.map((b) => commandFor(b.id, card.number)).join('  ')}`);
  return { title: `${card.number} ${card.title}`, text: lines.join('\n'), singleTitle: '查看详情', singleURL: itemUrl };
}

function commandFor(button: string, number: string): string {
  if (button === 'clue:approve') return `/问责审核 ${number} 同意`;
  if (button === 'clue:reject') return `/问责审核 ${number} 退回 理由`;
  if (button === 'bulletin:approve') return `/通报审定 ${number} 同意`;
  if (button === 'bulletin:reject') return `/通报审定 ${number} 退回 理由`;
  if (button === 'ext:approve') return `/批准延期 ${number}`;
  if (button === 'ext:reject') return `/驳回延期 ${number} 理由`;
  const map: Record<string, string> = { sign: '/签收', report: '/反馈', extend: '/延期', close: '/办结', return: '/退回', approve: '/审定' };
  // Issue 14: what follows the number, for the commands that need text.
  const then: Record<string, string> = { report: ' 进展内容', extend: ' 新日期 理由', close: ' 办理情况', return: ' 理由' };
  if (button.startsWith('rate:')) return `/评定 ${number} 良好`;
  return `${map[button] ?? ''} ${number}${then[button] ?? ''}`;
}

/** App-robot message parameters: markdown when there is a title line, else plain text. msgParam ≤ 15,000 bytes. */
export function textMessage(title: string, text: string): { msgKey: string; msgParam: string } {
  const body = clip(text, 14_000);
  return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title, text: body.replace(/\n/g, '  \n') }) };
}

/** Custom robot body (broadcast groups). */
export function webhookMarkdown(title: string, text: string): Record<string, unknown> {
  return { msgtype: 'markdown', markdown: { title, text: clip(text, 14_000).replace(/\n/g, '  \n') } };
}
