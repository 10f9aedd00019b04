/** B2: the full text the broadcast links to, as one readable HTML page (phones open it from the chat). Pure. */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../cases/dossier.render';
import type { BulletinDraft } from './bulletin.rules';

const STYLE = `body{font-family:"FangSong","仿宋","Noto Serif SC",serif;max-width:46em;margin:1em auto;padding:0 1em;line-height:1.8}
.head{color:#c00000;text-align:center;font-size:1.6em;border-bottom:2px solid #c00000;padding-bottom:.3em}
h1{text-align:center;font-size:1.4em}h2{font-family:"SimHei","黑体",sans-serif;font-size:1.1em}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #888;padding:.2em .4em;font-size:.9em}
caption{text-align:left;font-weight:bold}img{max-width:100%}.issue{text-align:center}.sign{text-align:right}`;

/**
 * Issue 11 (defect 14): the page's Content-Security-Policy — nothing runs, nothing loads but its own chart and this
 * one stylesheet (by its hash), no frames, no forms, no base URL.
 */
export const BULLETIN_PAGE_CSP = `default-src 'none'; img-src 'self'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** `note`: a line above the title, e.g. 送审稿（待领导审定） on the page a leader reads before approving. */
export function bulletinHtml(draft: BulletinDraft, chartUrl: string | null, note: string | null = null): string {
  const body = draft.sections
    .map((s, i) => {
      const blocks = s.blocks
        .map((b) =>
          b.type === 'paragraph'
            ? `<p>${escapeHtml(b.text)}</p>`
            : `<table><caption>${escapeHtml(b.table.caption)}</caption><thead><tr>${b.table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
        )
        .join('\n');
      const chart = i === 0 && chartUrl ? `<img src="${escapeHtml(chartUrl)}" alt="图表">` : '';
      return `<h2>${escapeHtml(s.heading)}</h2>\n${blocks}\n${chart}`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(draft.title)}</title>
<style>${STYLE}</style></head>
<body>${note ? `<p class="issue">${escapeHtml(note)}</p>` : ''}<div class="head">${escapeHtml(draft.office)}</div><p class="issue">${escapeHtml(draft.issueLabel)}</p>
<h1>${escapeHtml(draft.title)}</h1>${draft.subtitle ? `<p class="issue">${escapeHtml(draft.subtitle)}</p>` : ''}
${draft.recipients ? `<p>${escapeHtml(draft.recipients)}：</p>` : ''}<p>${escapeHtml(draft.intro)}</p>
${body}
<p class="sign">${escapeHtml(draft.office)}</p></body></html>
`;
}
