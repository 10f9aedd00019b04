/**
 * Platform-neutral cards and texts → WeCom's shapes (PLATFORMS.md "Template cards", "Sending"). Pure.
 * Every limit is in UTF-8 BYTES (a Chinese character is 3): long text is cut with a pointer to the full text,
 * never rejected.
 */
import { createHash } from 'node:crypto';
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
    facts.push({ keyname: '来源', value: card.source });
  } else if (card.kind === 'approval') {
    facts.push({ keyname: '评定', value: card.rating });
  } else if (card.kind === 'extension') {
    facts.push({ keyname: '申请延期至', value: card.proposed }, { keyname: '申请状态', value: card.requestStatus });
  } else if (card.kind === 'decision') {
    facts.splice(0, facts.length, { keyname: '状态', value: card.stateLabel }, ...card.facts.map((f) => ({ keyname: f.label, value: f.value })));
  }
  const sub =
    card.kind === 'assignment'
      ? `办理要求：${card.content}`
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
    sub_title_text: fitBytes(sub, 336, '…（全文见详情）'),
    // A fact that is a link (a 通报's 全文 under review) is a link line, not a URL cut at 90 bytes (issue 14).
    horizontal_content_list: facts
      .slice(0, 6)
      .map((f) =>
        /^https?:\/\/\S+$/.test(f.value)
          ? { type: 1, keyname: f.keyname, value: '点击查看', url: f.value }
          : { type: 0, keyname: f.keyname, value: fitBytes(f.value, 90) },
      ),
    task_id: taskId,
  };
  if (card.buttons.length === 0) return { card_type: 'text_notice', ...common, card_action: { type: 1, url: link || 'https://work.weixin.qq.com' } };
  return {
    card_type: 'button_interaction',
    ...common,
    button_list: card.buttons.slice(0, 6).map((b) => ({ text: b.label, style: STYLE[b.style ?? 'normal'], key: b.id })),
  };
}

/**
 * A text as WeCom markdown: the title in bold above it — unless the text opens with its own heading of that title
 * (a 通报's summary: issue 14, the title was said twice).
 */
export function markdown(title: string, text: string, maxBytes = APP_TEXT_BYTES, link?: string): { msgtype: 'markdown'; markdown: { content: string } } {
  const first = text
    .split('\n', 1)[0]
    .replace(/^#{1,6}\s*/, '')
    .replace(/^\*\*(.*)\*\*$/, '$1')
    .trim();
  const content = title && first !== title.trim() ? `**${title}**\n${text}` : text;
  return { msgtype: 'markdown', markdown: { content: fitBytes(content, maxBytes, longTextTail(link)) } };
}

/** WeCom markdown shows no pictures (issue 14): `![图表](url)` becomes the link 「查看图表」; the picture is sent after the text. */
export function pictureAsLink(text: string, image: { url: string; alt: string }): string {
  return text.split(`![${image.alt}](${image.url})`).join(`[查看${image.alt}](${image.url})`);
}

/** The group webhook robot's image message (PLATFORMS.md): base64 and md5 of a JPG or PNG of at most 2 MB. */
export const WEBHOOK_IMAGE_BYTES = 2 * 1024 * 1024;
export function webhookImage(png: Buffer): { msgtype: 'image'; image: { base64: string; md5: string } } | null {
  if (png.length === 0 || png.length > WEBHOOK_IMAGE_BYTES) return null;
  return { msgtype: 'image', image: { base64: png.toString('base64'), md5: createHash('md5').update(png).digest('hex') } };
}
