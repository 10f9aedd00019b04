/**
 * Platform-neutral cards and texts → WeCom's shapes (PLATFORMS.md "Template cards", "Sending"). Pure.
 * Every limit is in UTF-8 BYTES (a Chinese character is 3): long text is cut with a pointer to the full text,
 * never rejected.
 */
import type { CardButton, CardView } from '../../cards';

/** Cut `text` to at most `maxBytes` UTF-8 bytes, ending with `tail` when something was cut. */
export function fitBytes(text: string, maxBytes: number, tail = '…'): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(tail, 'utf8');
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > room) break;
    bytes += b;
    out += ch;
  }
  return out + tail;
}

/** message/send text and markdown: 2,048 bytes. */
export const APP_TEXT_BYTES = 2048;
/** group webhook robot markdown: 4,096 bytes. */
export const WEBHOOK_MARKDOWN_BYTES = 4096;

export function longTextTail(link?: string): string {
  return link ? `…\n（内容较长，全文见 ${link}）` : '…（内容较长，已截断）';
}

const STYLE: Record<NonNullable<CardButton['style']>, number> = { primary: 1, normal: 2, danger: 3 };

/**
 * A button_interaction template card (WeCom buttons carry no input box: those buttons answer with the command to type).
 * A card with nothing left to press (closed, or not this viewer's turn) is a text_notice, which WeCom requires to
 * link somewhere: the item's page.
 */
export function templateCard(card: CardView, taskId: string, link = ''): Record<string, unknown> {
  const facts: { keyname: string; value: string }[] = [
    { keyname: '状态', value: card.stateLabel },
    { keyname: '期限', value: `${card.deadline}${card.timeLeft ? `（${card.timeLeft}）` : ''}` },
  ];
  if (card.kind === 'assignment') {
    facts.push({ keyname: '主办', value: card.leadUnit });
    if (card.coUnits) facts.push({ keyname: '协办', value: card.coUnits });
  } else if (card.kind === 'approval') {
    facts.push({ keyname: '评定', value: card.rating });
  } else if (card.kind === 'extension') {
    facts.push({ keyname: '申请延期至', value: card.proposed }, { keyname: '申请状态', value: card.requestStatus });
  } else if (card.kind === 'decision') {
    facts.splice(0, facts.length, { keyname: '状态', value: card.stateLabel }, ...card.facts.map((f) => ({ keyname: f.label, value: f.value })));
  }
  const sub =
    card.kind === 'assignment'
      ? `来源：${card.source}`
      : card.kind === 'review'
        ? `办结情况：${card.summary}\n审核要点：${card.criteria.join('、')}`
        : card.kind === 'decision'
          ? card.summary
          : card.kind === 'extension'
            ? `延期理由：${card.reason}`
            : `办结情况：${card.summary}`;
  const common = {
    source: { desc: '督办', desc_color: 0 },
    main_title: { title: fitBytes(`${card.number} ${card.title}`, 108), desc: fitBytes(card.stateLabel, 44) },
    sub_title_text: fitBytes(sub, 336),
    horizontal_content_list: facts.slice(0, 6).map((f) => ({ type: 0, keyname: f.keyname, value: fitBytes(f.value, 90) })),
    task_id: taskId,
  };
  if (card.buttons.length === 0) return { card_type: 'text_notice', ...common, card_action: { type: 1, url: link || 'https://work.weixin.qq.com' } };
  return {
    card_type: 'button_interaction',
    ...common,
    button_list: card.buttons.slice(0, 6).map((b) => ({ text: b.label, style: STYLE[b.style ?? 'normal'], key: b.id })),
  };
}

export function markdown(title: string, text: string, maxBytes = APP_TEXT_BYTES, link?: string): { msgtype: 'markdown'; markdown: { content: string } } {
  return { msgtype: 'markdown', markdown: { content: fitBytes(`**${title}**\n${text}`, maxBytes, longTextTail(link)) } };
}
