/**
 * Issue 14: the item's mobile page, what 查看详情 in a card or message opens on a phone — what the card shows, plus the
 * 办理要求 whole, the units, the latest reports, the timeline and the commands to type in the group. Server-rendered,
 * nothing runs on it. Pure.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../cases/dossier.render';
import { formatShanghai } from '../shared/shanghai-time';
import type { ItemState } from '../shared/vocabulary';
import { deadlineText, timeNote, type CardItem } from './cards';

const STYLE = `body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:40em;padding:.8em 1em;line-height:1.7;color:#222}
h1{font-size:1.2em;margin:.2em 0}h2{font-size:1em;margin:1.2em 0 .3em;border-left:4px solid #c00000;padding-left:.4em}
.no{color:#666}dl{display:grid;grid-template-columns:5em 1fr;gap:.2em .6em;margin:0}dt{color:#666}dd{margin:0}
.req{white-space:pre-wrap;background:#f7f7f7;padding:.5em .7em;border-radius:4px}ul{padding-left:1.2em;margin:.3em 0}
li{margin:.3em 0}.t{color:#666;font-size:.9em}code{background:#f2f2f2;padding:0 .3em;border-radius:3px;word-break:break-all}`;

/** Nothing runs, nothing loads but this one stylesheet (by its hash); no frames, no forms, no base URL. */
export const ITEM_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export interface ItemPageInput {
  item: CardItem & { content: string; ownerOffice: string; leader: string };
  units: { name: string; role: 'lead' | 'co'; signedAt: Date | null }[];
  reports: { at: Date; unit: string; content: string }[];
  events: { at: Date; who: string; summary: string }[];
  now: Date;
}

/** What can be typed in the group now, by whom (P2–P4, C5), with this item's number. */
export function commandsFor(number: string, state: ItemState): { who: string; command: string }[] {
  const q = { who: '任何人', command: `/查询 ${number}` };
  switch (state) {
    case 'assigned':
      return [{ who: '承办单位', command: `/签收 ${number}` }, { who: '主办单位', command: `/延期 ${number} 新日期 理由` }, q];
    case 'in_progress':
      return [
        { who: '主办单位', command: `/反馈 ${number} 办理进展` },
        { who: '主办单位', command: `/延期 ${number} 新日期 理由` },
        { who: '主办单位', command: `/办结 ${number} 办结情况` },
        q,
      ];
    case 'closure_requested':
    case 'under_review':
      return [{ who: '立项主体', command: `/评定 ${number} 良好` }, { who: '立项主体', command: `/退回 ${number} 理由` }, q];
    case 'pending_approval':
      return [{ who: '分管领导', command: `/审定 ${number}` }, q];
    default:
      return [q];
  }
}

const LATEST_REPORTS = 3;
const LATEST_EVENTS = 10;

export function itemPageHtml(p: ItemPageInput): string {
  const i = p.item;
  const note = timeNote(i, p.now);
  const unit = (u: ItemPageInput['units'][number]) => `${escapeHtml(u.name)}${u.signedAt ? `（${formatShanghai(u.signedAt)} 签收）` : '（未签收）'}`;
  const lead = p.units.filter((u) => u.role === 'lead');
  const co = p.units.filter((u) => u.role === 'co');
  const reports = [...p.reports].slice(-LATEST_REPORTS).reverse();
  const events = [...p.events].slice(-LATEST_EVENTS).reverse();
  const list = <T>(xs: T[], render: (x: T) => string) =>
    xs.length ? `<ul>${xs.map((x) => `<li>${render(x)}</li>`).join('')}</ul>` : '<p class="no">（暂无）</p>';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${i.number} ${i.title}`)}</title><style>${STYLE}</style></head>
<body><p class="no">${escapeHtml(i.number)}</p><h1>${escapeHtml(i.title)}</h1>
<dl><dt>状态</dt><dd>${escapeHtml(i.stateLabel)}</dd>
<dt>期限</dt><dd>${escapeHtml(deadlineText(i) || '无')}${note ? `（${escapeHtml(note)}）` : ''}</dd>
<dt>主办</dt><dd>${lead.map(unit).join('、') || '（无）'}</dd>
${co.length ? `<dt>协办</dt><dd>${co.map(unit).join('、')}</dd>` : ''}
<dt>来源</dt><dd>${escapeHtml(i.sourceLabel)}</dd>
<dt>立项主体</dt><dd>${escapeHtml(i.ownerOffice)}</dd>
<dt>分管领导</dt><dd>${escapeHtml(i.leader)}</dd>
${i.ratingLabel ? `<dt>评定</dt><dd>${escapeHtml(i.ratingLabel)}</dd>` : ''}</dl>
<h2>办理要求</h2><div class="req">${escapeHtml(i.content) || '（无）'}</div>
<h2>最近反馈</h2>${list(reports, (r) => `<span class="t">${formatShanghai(r.at)} ${escapeHtml(r.unit)}</span><br>${escapeHtml(r.content)}`)}
<h2>办理过程</h2>${list(events, (e) => `<span class="t">${formatShanghai(e.at)} ${escapeHtml(e.who)}</span> ${escapeHtml(e.summary)}`)}
<h2>在督办群里 @督办助手 发送</h2>${list(commandsFor(i.number, i.state), (c) => `<code>${escapeHtml(c.command)}</code> <span class="t">${escapeHtml(c.who)}</span>`)}
</body></html>`;
}

/** A link that cannot be read: expired (410), altered (403), or an item that is not there (404) — each says what to do. */
export function linkProblemHtml(kind: 'expired' | 'bad' | 'missing' | 'decision', number: string): string {
  const [title, text] =
    kind === 'decision'
      ? ['请在卡片上办理', `「${number}」是问题线索或通报的编号，不是督办事项。审核意见请直接在卡片上点选或回复；全文和材料请向督查室索取。`]
      : kind === 'expired'
        ? ['链接已过期', `这个链接已超过有效期。请在督办群里 @督办助手 发送 /查询 ${number} 查看最新情况，或发送 /我的 查看您的事项。`]
        : kind === 'bad'
          ? ['链接无效', '这个链接不完整或已被改动。请回到督办群里重新点开卡片上的“查看详情”，或 @督办助手 发送 /查询 事项编号。']
          : ['没有找到这个事项', `督办系统中没有编号为「${number}」的事项。请核对编号，或在督办群里 @督办助手 发送 /我的 查看您的事项。`];
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><h1>${title}</h1><p>${escapeHtml(text)}</p></body></html>`;
}
