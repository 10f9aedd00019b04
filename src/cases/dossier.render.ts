import { withoutRuleId } from '../shared/rule-id-text';
import { formatShanghai } from '../shared/shanghai-time';
import type { Channel } from '../shared/vocabulary';
import type { eventView, ItemView } from './item.view';

export type DossierEvent = ReturnType<typeof eventView>;

/** What the file shows of a report (a Report row fits; the renderer stays free of entities). */
export interface DossierReport {
  id: number;
  unitId: number;
  authorId: number;
  channel: Channel;
  content: string;
  status: string;
  submittedAt: Date;
  returnedAt: Date | null;
  returnedById: number | null;
  returnReason: string | null;
}

type RequestKind = 'extension' | 'closure' | 'verification';
type RequestStatus = 'pending' | 'approved' | 'refused' | 'returned' | 'withdrawn' | 'failed_agreement' | 'passed' | 'failed';

/** What the file shows of an extension, closure or verification request (an ItemRequest row fits). */
export interface DossierRequest {
  id: number;
  kind: RequestKind;
  status: RequestStatus;
  text: string;
  plan: string | null;
  proposedDeadline: Date | null;
  servedPartyAgreed: boolean | null;
  method: string | null;
  requestedAt: Date;
  requestedById: number;
  decidedAt: Date | null;
  decidedById: number | null;
  decisionNote: string | null;
}

export interface DossierInput {
  item: ItemView;
  events: DossierEvent[];
  reports: DossierReport[];
  requests: DossierRequest[];
  generatedAt: Date;
}

export const CHANNEL_LABELS: Record<Channel, string> = { api: '接口', dingtalk: '钉钉', wecom: '企业微信', system: '系统', import: '导入' };
const KIND_LABELS: Record<RequestKind, string> = { extension: '延期申请', closure: '办结申请', verification: '核验' };
const STATUS_LABELS: Record<RequestStatus, string> = {
  pending: '待审批',
  approved: '已同意',
  refused: '不同意',
  withdrawn: '已撤回',
  returned: '已退回',
  failed_agreement: '服务对象不同意',
  passed: '通过',
  failed: '未通过',
};
const METHOD_LABELS: Record<string, string> = { expert_review: '专家论证', public_evaluation: '公众评价' };

/** Everything user-typed goes through here: titles, reports and reasons are free text and may hold markup. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string | null | undefined): string {
  return (text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Views carry +08:00 ISO strings, entities carry Dates; both print as Beijing wall-clock 'YYYY-MM-DD HH:mm'. */
const when = (at: string | Date | null | undefined): string => (at ? formatShanghai(typeof at === 'string' ? new Date(at) : at) : '');
const channel = (c: Channel | string) => CHANNEL_LABELS[c as Channel] ?? c;

/*
 * Reports and requests only hold person/unit ids. The file must still name people, so names are gathered from
 * what the renderer is given: the item's owner, leader and units, and every event's actor (name as it was then).
 */
function directory(item: ItemView, events: DossierEvent[]) {
  const people = new Map<number, string>();
  for (const e of events) if (e.actor) people.set(e.actor.id, e.actor.name);
  for (const p of [item.owner, item.leader]) if (p) people.set(p.id, p.name);
  const units = new Map<number, string>();
  for (const u of [item.leadUnit, ...item.coUnits]) if (u) units.set(u.id, u.name);
  const name = (m: Map<number, string>) => (id: number | null) => (id === null ? '' : (m.get(id) ?? `#${id}`));
  return { person: name(people), unit: name(units) };
}

/** C3 specs are stored as codes ('7d', '1m', 'date:…', 'wd:10'); the file is read by people, so spell them out. */
export function deadlineSpecLabel(spec: string): string {
  let m: RegExpMatchArray | null;
  if ((m = spec.match(/^(\d+)d$/))) return `${m[1]}天`;
  if ((m = spec.match(/^(\d+)m$/))) return `${m[1]}个月`;
  if ((m = spec.match(/^wd:(\d+)$/))) return `${m[1]}个工作日`;
  if (spec.startsWith('date:')) return '指定日期';
  if ((m = spec.match(/^R9:(\d+)h$/))) return `整改时限${m[1]}小时`;
  if ((m = spec.match(/^open:(\d{4})$/))) return `无固定时限，${m[1]}年底前报送书面报告`;
  return spec;
}

type Field = { label: string; html: string; wide?: boolean };
const f = (label: string, text: string, wide = false): Field => ({ label, html: escapeHtml(text), wide });

/** Label/value pairs two to a row, as on a printed 登记表; long values take a whole row. */
function fieldTable(fields: Field[]): string {
  const rows: string[] = [];
  let pending: Field | null = null;
  const cell = (x: Field, span = false) => `<th>${x.label}</th><td${span ? ' colspan="3"' : ''}>${x.html}</td>`;
  for (const x of fields) {
    if (x.wide) {
      if (pending) rows.push(`<tr>${cell(pending, true)}</tr>`);
      pending = null;
      rows.push(`<tr>${cell(x, true)}</tr>`);
    } else if (pending) {
      rows.push(`<tr>${cell(pending)}${cell(x)}</tr>`);
      pending = null;
    } else pending = x;
  }
  if (pending) rows.push(`<tr>${cell(pending, true)}</tr>`);
  return `<table class="fields"><colgroup><col class="l"><col><col class="l"><col></colgroup>${rows.join('')}</table>`;
}

function itemFields(it: ItemView): string {
  const withNote = (main: string, note: string | null | undefined) => (note ? `${main}（${note}）` : main);
  const lead = it.leadUnit ? withNote(it.leadUnit.name, it.leadUnit.signedAt ? `签收 ${when(it.leadUnit.signedAt)}` : '未签收') : '';
  const deadlineNote = [it.deadlineSpec ? deadlineSpecLabel(it.deadlineSpec) : '', it.deadlineReason].filter(Boolean).join('；');
  return fieldTable([
    f('编号', withNote(it.number, it.parentNumber ? `母事项 ${it.parentNumber}` : null)),
    f('状态', [it.stateLabel, it.keySupervision ? '重点督办' : ''].filter(Boolean).join(' · ')),
    f('标题', it.title, true),
    f('来源', withNote(it.sourceLabel, it.sourceRef ? `件号：${it.sourceRef}` : null)),
    f('版块', it.boardLabel),
    f('督查类别', it.categoryLabel),
    f('评定', it.ratingLabel ?? ''),
    f('立项主体', it.owner?.name ?? ''),
    f('分管领导', it.leader?.name ?? ''),
    f('主办单位', lead, true),
    f('协办单位', it.coUnits.map((u) => withNote(u.name, u.signedAt ? `签收 ${when(u.signedAt)}` : null)).join('、'), true),
    f('办理期限', withNote(when(it.deadline), deadlineNote || null)),
    f('服务对象', it.servedParty ?? ''),
    f('立项时间', when(it.registeredAt)),
    f('交办时间', when(it.assignedAt)),
    f('办结时间', when(it.closedAt)),
    f('销号时间', when(it.numberRetiredAt)),
    f('归档时间', when(it.archivedAt)),
  ]);
}

/** C6: the append-only log in id order — the order the system wrote it, which is the order things happened. */
function timeline(events: DossierEvent[]): string {
  const rows = [...events]
    .sort((a, b) => a.id - b.id)
    .map((e) => {
      // Only a real move is a 状态变化: events that keep the state (a reminder, an extension) leave the cell empty.
      const change = e.fromState === e.toState ? '' : e.fromStateLabel && e.toStateLabel ? `${e.fromStateLabel} → ${e.toStateLabel}` : (e.toStateLabel ?? '');
      return `<tr><td class="t">${when(e.at)}</td><td>${escapeHtml(e.actorName)}</td><td>${channel(e.channel)}</td><td class="text">${escapeHtml(withoutRuleId(e.summary))}</td><td>${escapeHtml(change)}</td></tr>`;
    });
  if (!rows.length) return '<p class="none">（无）</p>';
  return `<table class="list"><colgroup><col class="t"><col class="who"><col class="ch"><col><col class="st"></colgroup><thead><tr><th>时间</th><th>经办人</th><th>渠道</th><th>事项</th><th>状态变化</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function reportList(reports: DossierReport[], dir: ReturnType<typeof directory>): string {
  if (!reports.length) return '<p class="none">（无）</p>';
  const sorted = [...reports].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id - b.id);
  return sorted
    .map((r, i) => {
      const head = `第 ${i + 1} 次反馈　${when(r.submittedAt)}　${escapeHtml(dir.unit(r.unitId))} ${escapeHtml(dir.person(r.authorId))}（${channel(r.channel)}）`;
      const returned =
        r.status === 'returned'
          ? `<p class="returned">已退回　${when(r.returnedAt)}　${escapeHtml(dir.person(r.returnedById))}<br>退回原因：<span class="text">${escapeHtml(r.returnReason)}</span></p>`
          : '';
      return `<div class="entry"><p class="head">${head}${r.status === 'returned' ? '' : '　已提交'}</p><div class="text body">${escapeHtml(r.content)}</div>${returned}</div>`;
    })
    .join('');
}

function requestList(requests: DossierRequest[], dir: ReturnType<typeof directory>): string {
  if (!requests.length) return '<p class="none">（无）</p>';
  const rows = [...requests]
    .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || a.id - b.id)
    .map((q) => {
      const details = [
        escapeHtml(q.text),
        q.plan ? `工作计划：${escapeHtml(q.plan)}` : '',
        q.proposedDeadline ? `申请期限：${when(q.proposedDeadline)}` : '',
        q.servedPartyAgreed === null ? '' : `服务对象意见：${q.servedPartyAgreed ? '同意' : '不同意'}`,
        q.method ? `方式：${escapeHtml(METHOD_LABELS[q.method] ?? q.method)}` : '',
      ].filter(Boolean);
      const decision = [when(q.decidedAt), escapeHtml(dir.person(q.decidedById)), escapeHtml(q.decisionNote)].filter(Boolean).join('　');
      return `<tr><td class="t">${when(q.requestedAt)}</td><td>${KIND_LABELS[q.kind] ?? escapeHtml(q.kind)}</td><td>${escapeHtml(dir.person(q.requestedById))}</td><td class="text">${details.join('\n')}</td><td>${STATUS_LABELS[q.status] ?? escapeHtml(q.status)}</td><td class="text">${decision}</td></tr>`;
    });
  return `<table class="list"><colgroup><col class="t"><col class="kind"><col class="who"><col><col class="st"><col class="dec"></colgroup><thead><tr><th>时间</th><th>类型</th><th>申请人</th><th>内容</th><th>状态</th><th>处理</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Inline only: the file is archived and mailed on its own, so it may not depend on anything outside itself. */
const CSS = `
@page { size: A4; margin: 25mm 20mm 20mm 22mm; }
body { font-family: "FangSong", "仿宋", "STFangsong", "SimSun", "Songti SC", serif; font-size: 11pt; line-height: 1.6; color: #000; max-width: 180mm; margin: 0 auto; padding: 10mm 0; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", "Songti SC", serif; font-size: 22pt; font-weight: normal; text-align: center; letter-spacing: 0.2em; margin: 0; }
.no { text-align: center; font-size: 13pt; margin: 4pt 0 0; padding-bottom: 6pt; border-bottom: 2px solid #b00; }
h2 { font-family: "SimHei", "黑体", "Heiti SC", sans-serif; font-size: 13pt; font-weight: normal; margin: 16pt 0 6pt; break-after: avoid; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.5pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; word-break: break-word; }
th { font-weight: normal; background: #f2f2f2; }
.fields col.l { width: 22mm; }
.list th { text-align: center; }
col.t { width: 30mm; } col.who { width: 18mm; } col.ch { width: 16mm; } col.st { width: 30mm; } col.kind { width: 22mm; } col.dec { width: 38mm; }
thead { display: table-header-group; }
tr, .entry { break-inside: avoid; page-break-inside: avoid; }
.text { white-space: pre-wrap; }
.content { border: 0.5pt solid #000; padding: 6pt 8pt; }
.entry { border-bottom: 0.5pt solid #999; padding: 4pt 0 6pt; }
.entry .head { margin: 0 0 2pt; font-weight: bold; }
.entry .body { margin: 0; }
.returned { margin: 4pt 0 0; padding: 3pt 6pt; border-left: 2pt solid #b00; }
.none { color: #555; }
footer { margin-top: 18pt; text-align: right; font-size: 10pt; color: #333; }
@media print { body { max-width: none; padding: 0; } }
`;

/** C6 一事一卷: the item's complete file as one self-contained, printable HTML5 document. */
export function renderDossierHtml(input: DossierInput): string {
  const { item, events, reports, requests, generatedAt } = input;
  const dir = directory(item, events);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办事项卷宗 ${escapeHtml(item.number)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>督办事项卷宗</h1>
<p class="no">${escapeHtml(item.number)}</p>
<h2>一、事项基本情况</h2>
${itemFields(item)}
<h2>二、事项内容</h2>
<div class="content text">${escapeHtml(item.content)}</div>
<h2>三、办理过程</h2>
${timeline(events)}
<h2>四、反馈记录</h2>
${reportList(reports, dir)}
<h2>五、申请记录</h2>
${requestList(requests, dir)}
<footer>生成时间 ${formatShanghai(generatedAt)}（北京时间）</footer>
</body>
</html>
`;
}
