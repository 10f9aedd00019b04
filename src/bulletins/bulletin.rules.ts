/**
 * B1/B2 通报: the draft of a monthly 《政务督查》, a quarterly 通报 or an ad-hoc 重点督办 通报, composed from facts the
 * service has already queried. Pure: no framework, no database, no clock — the period, the issue number and every
 * figure come in with the facts, and the same facts always give the same draft, byte for byte (B2: "figures in a
 * bulletin must reproduce from the database" — recompose from a fresh query and compare `draftToPlainText`).
 *
 * Every number in the text is quoted from the facts; the only derived figure is the 按期办结率 (onTime / closed,
 * rounded half up to one decimal, left out when nothing closed). Units, sources and items are listed in a fixed order
 * whatever order the facts arrive in:
 * - units by name in zh-CN collation (Intl.Collator('zh-CN'), i.e. pinyin), then by unitId;
 * - sources in SOURCES order (the C1 list);
 * - items by number (numeric-aware, so DB2026-9999 < DB2026-10000), then criticism reason in CRITICISM_REASONS order;
 * - ranking by rank, then unit name.
 */
import { BULLETIN_KIND_LABELS, RATINGS, SOURCES, type Rating, type Source } from '../shared/vocabulary';
import { shanghaiDate } from '../shared/shanghai-time';
import { formatPoints } from '../scoring/score.rules';

export type BulletinKind = 'monthly' | 'quarterly' | 'key_supervision';
export const BULLETIN_KINDS: Record<BulletinKind, string> = BULLETIN_KIND_LABELS;

/** The figures of a period, for all items, one unit or one source. */
export interface BulletinCounts {
  /** Items registered (立项) in the period. */
  registered: number;
  /** Items closed (办结, D3) in the period. */
  closed: number;
  /** Of `closed`, those whose unit answered (closure request or report) by the (possibly extended) deadline — A1: the leader's sign-off time does not count. */
  onTime: number;
  /** Items still open at the end of the period, past their deadline, whose unit had not answered in time (A1, overdue.rules unitLateAt). */
  overdue: number;
  /**
   * Items still open at the end of the period, past their deadline, whose unit asked for closure in time and waits for
   * the owner's 审核 or the leader's 审定 — not the unit's lateness. Absent from facts stored before issue 13 (read as 0).
   */
  awaiting: number;
  /** Reports returned (F2) in the period, one per return (件次). */
  returned: number;
  /** Results rated 不合格 (D2) in the period, one per rating (件次). */
  failed: number;
  /** Items that entered 重点督办 (R5) in the period. */
  keySupervision: number;
}
export interface UnitFigures extends BulletinCounts {
  unitId: number;
  unitName: string;
}
export interface SourceFigures extends BulletinCounts {
  source: Source;
}

/** B1: an item to praise — closed on time and/or rated 优秀/良好 (the service chooses; the draft only lists). */
export interface PraiseItem {
  number: string;
  title: string;
  unitName: string;
  rating: Rating | null;
  closedAt: Date;
}

export const CRITICISM_REASONS = ['late', 'returned', 'failed', 'key_supervision'] as const;
export type CriticismReason = (typeof CRITICISM_REASONS)[number];
export const CRITICISM_LABELS: Record<CriticismReason, string> = {
  late: '逾期办理',
  returned: '报告被退回',
  failed: '评定不合格',
  key_supervision: '重点督办',
};

/** B1: an item to criticise, with one reason; an item with two reasons is listed twice. */
export interface CriticismItem {
  number: string;
  title: string;
  unitName: string;
  reason: CriticismReason;
  /** e.g. '逾期5天', '第2次退回：未附佐证材料'. */
  detail: string;
}

/** B1: an item whose unit asked for closure in time, past its deadline, still waiting for the owner (审核) or the leader (审定). */
export interface AwaitingItem {
  number: string;
  title: string;
  unitName: string;
  /** Whose desk: the owner's 审核 of the closure, the leader's 审定, or (issue 14) the owner's decision on an extension. */
  stage: 'review' | 'approval' | 'extension';
  /** When the unit asked for closure. */
  askedAt: Date;
  /**
   * Issue 14 (blame follows custody): working days the item has waited at this stage by the period end — on the owner
   * since the request, on the leader since the owner's rating. Absent in facts stored before.
   */
  waitedDays?: number;
}
export const AWAITING_LABELS: Record<AwaitingItem['stage'], string> = { review: '待立项主体审核', approval: '待分管领导审定', extension: '待立项主体审批延期' };
/** 办理环节 of an awaiting item: whose desk it is on, and for how long (「待分管领导审定，已等待18个工作日」). */
export const awaitingLabel = (i: AwaitingItem): string =>
  i.waitedDays === undefined ? AWAITING_LABELS[i.stage] : `${AWAITING_LABELS[i.stage]}，已等待${i.waitedDays}个工作日`;

/** One row of the 激励积分 ranking (score.rules `rank`), with the unit's name. */
export interface RankingRow {
  rank: number;
  unitName: string;
  /** base + points. */
  total: number;
  /** The year's lines, printed with formatPoints. */
  points: number;
}

export interface BulletinFacts {
  kind: BulletinKind;
  /** `from` inclusive, `to` exclusive (00:00 Shanghai of the day after the period); `label` e.g. '2026年3月', '2026年第一季度'. */
  period: { from: Date; to: Date; label: string };
  /** 期号: 2026年第3期. */
  issue: { year: number; number: number };
  /** Issuing office, e.g. '市人民政府督查室'. */
  office: string;
  /** 主送机关, e.g. '各县（市、区）人民政府，市政府各部门'; left out when absent. */
  recipients?: string;
  totals: BulletinCounts;
  byUnit: UnitFigures[];
  bySource: SourceFigures[];
  praise: PraiseItem[];
  criticism: CriticismItem[];
  /** Absent from facts stored before issue 13. */
  awaiting?: AwaitingItem[];
  ranking: RankingRow[];
}

export interface BulletinTable {
  /** '表1　各单位办理情况' — numbered in order of appearance. */
  caption: string;
  headers: string[];
  rows: string[][];
}
export type BulletinBlock = { type: 'paragraph'; text: string } | { type: 'table'; table: BulletinTable };
export interface BulletinSection {
  heading: string;
  blocks: BulletinBlock[];
}

/** What the 督查室 edits, a leader approves and the renderers print (B2). */
export interface BulletinDraft {
  kind: BulletinKind;
  title: string;
  subtitle: string | null;
  issueLabel: string;
  office: string;
  periodLabel: string;
  recipients: string | null;
  intro: string;
  sections: BulletinSection[];
  /** What the short chat summary quotes: the 总体情况 paragraph and the first lines of praise and criticism. */
  highlights: BulletinHighlights;
}

/**
 * What the short chat summary and the leader's card quote. The overview and the counts are always read from the
 * sections; the lines of praise and criticism too, unless the 督查室 chose them by hand (issue 15: `edited`).
 */
export interface BulletinHighlights {
  overview: string;
  praise: string[];
  praiseCount: number;
  criticism: string[];
  criticismCount: number;
  /** Issue 15: the praise and criticism lines were written, removed or reordered by the 督查室 (kept across edits). */
  edited?: boolean;
}

export interface BulletinProblem {
  code: string;
  field: string;
  message: string;
}

const COUNT_KEYS: readonly (keyof BulletinCounts)[] = ['registered', 'closed', 'onTime', 'overdue', 'awaiting', 'returned', 'failed', 'keySupervision'];
const HIGHLIGHTS = 3;
const zh = new Intl.Collator('zh-CN');
const byNumber = new Intl.Collator('zh-CN', { numeric: true });
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 20 → 二十 (enough for 二级标题 numbering). */
export function chineseNumeral(n: number): string {
  if (n <= 10) return CN_DIGITS[n];
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
}

/** '2026-03-01' → '2026年3月1日'. */
function chineseDate(ymd: string, withYear = true): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${withYear ? `${y}年` : ''}${m}月${d}日`;
}

/** The inclusive span of a period: '2026年3月1日至3月31日' (the year is repeated only when it changes). */
function periodSpan(from: Date, to: Date): { span: string; lastDay: string } {
  const first = shanghaiDate(from);
  const last = shanghaiDate(new Date(to.getTime() - 1));
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  return { span: `${chineseDate(first)}至${chineseDate(last, !sameYear)}`, lastDay: chineseDate(last) };
}

/** 按期办结率, one decimal, half up; null when nothing closed. */
export function onTimeRate(onTime: number, closed: number): string | null {
  return closed > 0 ? (Math.round((onTime * 1000) / closed) / 10).toFixed(1) : null;
}

const total = (t: number) => String(Math.round(t * 10) / 10);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const distinctUnits = (names: string[]) => [...new Set(names)].sort(zh.compare);
const counts = (c: BulletinCounts) => COUNT_KEYS.map((k) => String(c[k] ?? 0));
const COUNT_HEADERS = ['登记', '办结', '按期办结', '单位逾期未办结', '按期报结待审', '退回（件次）', '不合格（件次）', '重点督办'];

export const sortUnits = (units: readonly UnitFigures[]) => [...units].sort((a, b) => zh.compare(a.unitName, b.unitName) || a.unitId - b.unitId);
export const sortSources = (sources: readonly SourceFigures[]) => {
  const order = Object.keys(SOURCES);
  return [...sources].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
};
export const sortPraise = (items: readonly PraiseItem[]) =>
  [...items].sort((a, b) => byNumber.compare(a.number, b.number) || zh.compare(a.unitName, b.unitName));
export const sortCriticism = (items: readonly CriticismItem[]) =>
  [...items].sort((a, b) => byNumber.compare(a.number, b.number) || CRITICISM_REASONS.indexOf(a.reason) - CRITICISM_REASONS.indexOf(b.reason));
export const sortAwaiting = (items: readonly AwaitingItem[]) =>
  [...items].sort((a, b) => byNumber.compare(a.number, b.number) || zh.compare(a.unitName, b.unitName));
export const sortRanking = (rows: readonly RankingRow[]) => [...rows].sort((a, b) => a.rank - b.rank || zh.compare(a.unitName, b.unitName));

function titles(f: BulletinFacts, issueLabel: string): { title: string; subtitle: string | null; intro: string } {
  const p = f.period.label;
  switch (f.kind) {
    case 'monthly':
      return { title: `政务督查 ${issueLabel}`, subtitle: `${p}督查督办事项落实情况`, intro: `现将${p}督查督办事项落实情况通报如下：` };
    case 'quarterly':
      return { title: `关于${p}督查督办事项落实情况的通报`, subtitle: null, intro: `现将${p}督查督办事项落实情况通报如下：` };
    case 'key_supervision':
      return { title: `关于${p}重点督办事项办理情况的通报`, subtitle: null, intro: `现将${p}重点督办事项办理情况通报如下：` };
  }
}

function overviewText(f: BulletinFacts): string {
  const t = f.totals;
  const { span, lastDay } = periodSpan(f.period.from, f.period.to);
  const rate = onTimeRate(t.onTime, t.closed);
  const closedPart = `办结${t.closed}件，其中按期办结${t.onTime}件${rate === null ? '' : `，按期办结率${rate}%`}`;
  const quality = `办理报告被退回${t.returned}件次，办理结果评定为不合格${t.failed}件次`;
  // A1: the unit is late by its answer; an item it asked to close in time and that waits for 审核/审定 is not its lateness.
  const waiting = t.awaiting ? `；已按期申请办结、待审核或审定事项${t.awaiting}件` : '';
  const late = `截至${lastDay}，承办单位未按期反馈的未办结事项${t.overdue}件${waiting}`;
  if (f.kind === 'key_supervision') {
    return `${span}，共有${t.keySupervision}件事项转入重点督办；${late}。同期共登记督办事项${t.registered}件，${closedPart}；${quality}。`;
  }
  return `${span}，共登记督办事项${t.registered}件，${closedPart}。${late}。本期${quality}，转入重点督办事项${t.keySupervision}件。`;
}

/** Tables are numbered after the sections are built, so the paragraphs can cite 表N. */
type TableRef = { table: BulletinTable };
function tableBlock(caption: string, headers: string[], rows: string[][]): BulletinBlock & TableRef {
  return { type: 'table', table: { caption, headers, rows } };
}
const para = (text: string): BulletinBlock => ({ type: 'paragraph', text });

function overviewSection(f: BulletinFacts, overview: string, ref: (t: BulletinTable) => string): BulletinSection {
  const blocks: BulletinBlock[] = [para(overview)];
  const sources = sortSources(f.bySource).filter((s) => COUNT_KEYS.some((k) => s[k] > 0));
  if (sources.length) {
    const t = tableBlock(
      '按事项来源统计',
      ['事项来源', ...COUNT_HEADERS],
      sources.map((s) => [SOURCES[s.source], ...counts(s)]),
    );
    const registered = sources.filter((s) => s.registered > 0).map((s) => `${SOURCES[s.source]}${s.registered}件`);
    const lead = registered.length ? `从事项来源看，本期登记${registered.join('、')}。` : '';
    blocks.push(para(`${lead}各类来源事项办理情况见${ref(t.table)}。`), t);
  }
  return { heading: '一、总体情况', blocks };
}

function praiseSection(f: BulletinFacts, ref: (t: BulletinTable) => string): BulletinSection {
  const items = sortPraise(f.praise);
  if (!items.length) return { heading: '二、表扬', blocks: [para('本期无符合通报表扬条件的事项。')] };
  const units = distinctUnits(items.map((i) => i.unitName));
  const t = tableBlock(
    '通报表扬事项',
    ['序号', '事项编号', '事项名称', '承办单位', '评定等次', '办结日期'],
    items.map((i, n) => [String(n + 1), i.number, oneLine(i.title), i.unitName, i.rating ? RATINGS[i.rating] : '—', shanghaiDate(i.closedAt)]),
  );
  const text = `${units.join('、')}共${units.length}个单位的${items.length}件督办事项按期办结或办理结果评定为优秀、良好，予以通报表扬（详见${ref(t.table)}）。`;
  return { heading: '二、表扬', blocks: [para(text), t] };
}

/** The sentence of each kind of criticism (the count is of items); bulletin-counts.rules rewrites it after an edit. */
export const CRITICISM_SENTENCES: Record<CriticismReason, (units: string, n: number) => string> = {
  late: (u, n) => `逾期办理。${u}共${n}件事项未在规定时限内办理反馈。`,
  returned: (u, n) => `办理报告被退回。${u}共${n}件事项的办理报告不符合要求，被退回重新办理。`,
  failed: (u, n) => `办理结果不合格。${u}共${n}件事项的办理结果被评定为不合格。`,
  key_supervision: (u, n) => `转入重点督办。${u}共${n}件事项已转入重点督办。`,
};

function criticismSection(f: BulletinFacts, ref: (t: BulletinTable) => string): BulletinSection {
  const items = sortCriticism(f.criticism);
  if (!items.length) return { heading: '三、批评', blocks: [para('本期无需通报批评的事项。'), ...awaitingBlocks(f, ref)] };
  const blocks: BulletinBlock[] = [];
  let n = 0;
  for (const reason of CRITICISM_REASONS) {
    const these = items.filter((i) => i.reason === reason);
    if (!these.length) continue;
    const units = distinctUnits(these.map((i) => i.unitName)).join('、');
    blocks.push(para(`（${chineseNumeral(++n)}）${CRITICISM_SENTENCES[reason](units, new Set(these.map((i) => i.number)).size)}`));
  }
  const t = tableBlock(
    '通报批评事项',
    ['序号', '事项编号', '事项名称', '承办单位', '问题类型', '具体情况'],
    items.map((i, k) => [String(k + 1), i.number, oneLine(i.title), i.unitName, CRITICISM_LABELS[i.reason], oneLine(i.detail)]),
  );
  blocks.push(para(`对上述单位予以通报批评（详见${ref(t.table)}），请认真分析原因，切实整改到位。`), t, ...awaitingBlocks(f, ref));
  return { heading: '三、批评', blocks };
}

/**
 * A1, B1: items past their deadline whose unit asked for closure in time and that wait for the owner's 审核 or the
 * leader's 审定 — listed on their own line, not criticised (the delay is not the unit's).
 */
function awaitingBlocks(f: BulletinFacts, ref: (t: BulletinTable) => string): BulletinBlock[] {
  const items = sortAwaiting(f.awaiting ?? []);
  if (!items.length) return [];
  const units = distinctUnits(items.map((i) => i.unitName));
  // Issue 14: an extension asked in time and not yet decided is the owner's time too.
  const extension = items.some((i) => i.stage === 'extension');
  const t = tableBlock(
    extension ? '按期申请办结或延期待审核审定事项' : '按期申请办结待审核审定事项',
    ['序号', '事项编号', '事项名称', '承办单位', '办理环节', extension ? '申请日期' : '申请办结日期'],
    items.map((i, n) => [String(n + 1), i.number, oneLine(i.title), i.unitName, awaitingLabel(i), shanghaiDate(i.askedAt)]),
  );
  const text = extension
    ? `另有${units.join('、')}的${items.length}件事项已过办理时限，但承办单位已按期申请办结或申请延期，正待立项主体审核、审批或分管领导审定，不属于承办单位逾期，不予批评（详见${ref(t.table)}）；请立项主体和分管领导抓紧审核、审批、审定。`
    : `另有${units.join('、')}的${items.length}件事项已过办理时限，但承办单位已按期申请办结，正待审核或审定，不属于承办单位逾期，不予批评（详见${ref(t.table)}）；请立项主体和分管领导抓紧审核、审定。`;
  return [para(text), t];
}

function unitSection(f: BulletinFacts, ref: (t: BulletinTable) => string): BulletinSection {
  const units = sortUnits(f.byUnit);
  if (!units.length) return { heading: '四、分单位情况', blocks: [para('本期无分单位统计数据。')] };
  const t = tableBlock(
    '各单位办理情况',
    ['承办单位', ...COUNT_HEADERS],
    units.map((u) => [u.unitName, ...counts(u)]),
  );
  return { heading: '四、分单位情况', blocks: [para(`${units.length}个承办单位的督办事项办理情况见${ref(t.table)}。`), t] };
}

function rankingSection(f: BulletinFacts, ref: (t: BulletinTable) => string): BulletinSection {
  const rows = sortRanking(f.ranking);
  if (!rows.length) return { heading: '五、积分排名', blocks: [para('本期不发布激励积分排名。')] };
  const { lastDay } = periodSpan(f.period.from, f.period.to);
  const t = tableBlock(
    '激励积分排名',
    ['名次', '单位', '总分', '本年增减'],
    rows.map((r) => [String(r.rank), r.unitName, total(r.total), formatPoints(r.points)]),
  );
  return { heading: '五、积分排名', blocks: [para(`截至${lastDay}，各单位激励积分排名情况见${ref(t.table)}。`), t] };
}

function requirementsSection(f: BulletinFacts): BulletinSection {
  return {
    heading: '六、下步工作要求',
    blocks: [
      para('（一）抓紧整改落实。各承办单位要对照本通报指出的问题，逐项分析原因、明确时限、落实责任；逾期未办结事项要倒排工期，尽快办结并按要求反馈办理情况。'),
      para(
        '（二）提高办理质量。办理报告要做到事实查清、问题解决、任务落实、结论准确、处理符合法律政策；被退回或评定为不合格的事项，要按照审核意见补充完善后重新报送。',
      ),
      para(`（三）强化跟踪督办。${f.office}将对重点督办事项持续跟踪问效，办理情况纳入下期通报，并作为年度督查工作考评的重要依据。`),
    ],
  };
}

/** The cells of a table's rows by header name ('' when the table has no such column). */
function columns(t: BulletinTable, ...names: string[]): string[][] {
  const at = names.map((n) => t.headers.indexOf(n));
  return t.rows.map((r) => at.map((i) => (i >= 0 ? oneLine(r[i] ?? '') : '')));
}

/** The first table of a section whose heading names `heading`, with a column named `marker`. */
function findTable(sections: readonly BulletinSection[], heading: string, marker: string): BulletinTable | null {
  for (const s of sections) {
    if (!s.heading.includes(heading)) continue;
    for (const b of s.blocks) if (b.type === 'table' && b.table.headers.includes(marker)) return b.table;
  }
  return null;
}

/**
 * Issue 14 (defect 1): what the short summary and the leader's card quote, read from the draft's own sections — the
 * 总体情况 paragraph, the rows of the praise table (评定等次) and of the criticism table (问题类型) — so an edit of the
 * draft is what they say. For a draft just composed from facts this gives exactly the lines composed from the facts.
 */
export function highlightsOf(sections: readonly BulletinSection[]): BulletinDraft['highlights'] {
  const general = sections.find((s) => s.heading.includes('总体情况')) ?? sections[0];
  const first = general?.blocks.find((b) => b.type === 'paragraph');
  const praiseTable = findTable(sections, '表扬', '评定等次');
  const criticismTable = findTable(sections, '批评', '问题类型');
  const praise = praiseTable ? columns(praiseTable, '事项编号', '事项名称', '承办单位', '评定等次') : [];
  const criticism = criticismTable ? columns(criticismTable, '事项编号', '事项名称', '承办单位', '问题类型', '具体情况') : [];
  const rated = (r: string) => (r && r !== '—' ? r : '按期办结');
  return {
    overview: first?.type === 'paragraph' ? first.text : '',
    praise: praise.slice(0, HIGHLIGHTS).map(([n, t, u, r]) => `${n} ${t}（${u}，${rated(r)}）`),
    praiseCount: praise.length,
    criticism: criticism.slice(0, HIGHLIGHTS).map(([n, t, u, why, detail]) => `${n} ${t}（${u}，${why}${detail ? `：${detail}` : ''}）`),
    criticismCount: criticism.length,
  };
}

/**
 * Issue 14 (defect 1): the chart's bars from the draft's own 各单位办理情况 table (承办单位 and 办结), so a figure the
 * 督查室 corrected is the figure drawn; null when the draft has no such table (the chart is then drawn from the facts).
 */
export function unitChartRows(draft: Pick<BulletinDraft, 'sections'>): { name: string; closed: number; registered: number }[] | null {
  for (const s of draft.sections)
    for (const b of s.blocks) {
      if (b.type !== 'table' || b.table.headers[0] !== '承办单位' || !b.table.headers.includes('办结')) continue;
      const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : 0);
      return columns(b.table, '承办单位', '办结', '登记').map(([name, closed, registered]) => ({ name, closed: num(closed), registered: num(registered) }));
    }
  return null;
}

/** An item number at the start of a line (DB2026-0042): the line quotes that item. */
const LEADING_NUMBER = /^([A-Z][A-Z0-9]*\d{4}-\d+)(?:\s|$)/;

/**
 * The draft with its highlights read again from its sections (after an edit; before any summary or card is made).
 * Issue 15: lines the 督查室 chose by hand are kept, in their order — except a line quoting an item whose row is no
 * longer in its table (what goes out never names a row that was removed); the overview and the counts are read anew.
 */
export function withHighlights(draft: BulletinDraft): BulletinDraft {
  const read = highlightsOf(draft.sections);
  if (!draft.highlights?.edited) return { ...draft, highlights: read };
  return { ...draft, highlights: { ...read, ...stillQuoted(draft.sections, draft.highlights), edited: true } };
}

/** Issue 15: the lines chosen by hand, without those quoting an item no longer in its table (praise or criticism). */
export function stillQuoted(sections: readonly BulletinSection[], lines: { praise: string[]; criticism: string[] }): { praise: string[]; criticism: string[] } {
  const still = (heading: string, marker: string) => {
    const t = findTable(sections, heading, marker);
    const numbers = new Set(t ? columns(t, '事项编号').map(([n]) => n) : []);
    return (line: string) => {
      const m = LEADING_NUMBER.exec(line.trim());
      return !m || numbers.has(m[1]);
    };
  };
  return { praise: lines.praise.filter(still('表扬', '评定等次')), criticism: lines.criticism.filter(still('批评', '问题类型')) };
}

/** B1: the structured draft — 一、总体情况 … 六、下步工作要求, tables numbered 表1, 表2… in order of appearance. */
export function composeBulletin(facts: BulletinFacts): BulletinDraft {
  const issueLabel = `${facts.issue.year}年第${facts.issue.number}期`;
  const overview = overviewText(facts);
  // Tables get their numbers as they are cited, which is also the order they appear in.
  const numbered = new Map<BulletinTable, number>();
  const ref = (t: BulletinTable) => {
    if (!numbered.has(t)) numbered.set(t, numbered.size + 1);
    return `表${numbered.get(t)}`;
  };
  const sections = [
    overviewSection(facts, overview, ref),
    praiseSection(facts, ref),
    criticismSection(facts, ref),
    unitSection(facts, ref),
    rankingSection(facts, ref),
    requirementsSection(facts),
  ];
  for (const s of sections) for (const b of s.blocks) if (b.type === 'table') b.table.caption = `${ref(b.table)}　${b.table.caption}`;
  return {
    kind: facts.kind,
    ...titles(facts, issueLabel),
    issueLabel,
    office: facts.office,
    periodLabel: facts.period.label,
    recipients: facts.recipients?.trim() || null,
    sections,
    highlights: highlightsOf(sections),
  };
}

/** Facts a caller could get wrong; composeBulletin does not check, the service refuses these before composing. */
export function bulletinFactProblems(f: BulletinFacts): BulletinProblem[] {
  const out: BulletinProblem[] = [];
  const bad = (code: string, field: string, message: string) => out.push({ code, field, message });
  const okTime = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());
  if (!okTime(f.period.from) || !okTime(f.period.to) || f.period.to <= f.period.from)
    bad('BULLETIN.BAD_PERIOD', 'period', '通报期间须有有效的起止时间，且结束晚于开始。');
  if (!Number.isInteger(f.issue.number) || f.issue.number < 1) bad('BULLETIN.BAD_ISSUE', 'issue.number', `期号须为正整数（给定 ${f.issue.number}）。`);
  const checkCounts = (c: BulletinCounts, field: string) => {
    for (const k of COUNT_KEYS)
      if (!Number.isInteger(c[k] ?? 0) || (c[k] ?? 0) < 0) bad('BULLETIN.BAD_COUNT', `${field}.${k}`, `统计数须为非负整数（${field}.${k} = ${c[k]}）。`);
    if (c.onTime > c.closed) bad('BULLETIN.ON_TIME_EXCEEDS_CLOSED', `${field}.onTime`, `按期办结数（${c.onTime}）不能多于办结数（${c.closed}）。`);
  };
  checkCounts(f.totals, 'totals');
  f.byUnit.forEach((u, i) => checkCounts(u, `byUnit[${i}]`));
  f.bySource.forEach((s, i) => {
    if (!Object.prototype.hasOwnProperty.call(SOURCES, s.source)) bad('BULLETIN.BAD_SOURCE', `bySource[${i}].source`, `未知的事项来源：${s.source}。`);
    checkCounts(s, `bySource[${i}]`);
  });
  f.praise.forEach((p, i) => {
    if (!okTime(p.closedAt)) bad('BULLETIN.BAD_TIME', `praise[${i}].closedAt`, `表扬事项 ${p.number} 须有有效的办结时间。`);
  });
  return out;
}

/* ---------- text forms: the chat summary and the archived plain text ---------- */

const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
/** UTF-8 length of a string (a lone surrogate counts 3, as Buffer encodes it as U+FFFD). */
export const utf8Bytes = (text: string) => [...text].reduce((n, ch) => n + utf8Length(ch.codePointAt(0)!), 0);

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, cut between code points (never inside a character). */
export function cutUtf8(text: string, maxBytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const n = utf8Length(ch.codePointAt(0)!);
    if (used + n > maxBytes) break;
    used += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** A partial line may be kept only if it is plain text: half an image or a link is garbage, half a **bold** runs on. */
function keepPartial(fullLine: string, partial: string): boolean {
  return !/^\s*!?\[/.test(fullLine) && (partial.match(/\*\*/g) ?? []).length % 2 === 0;
}

/**
 * B2: the short summary broadcast to the chat groups — title, the 总体情况 paragraph, the chart (right after the
 * overview, so a cut never loses it before the lists), the first praise and criticism lines, and a link to the full
 * text. Within `maxBytes` UTF-8 bytes: when the whole does not fit, the text is cut between characters (a partial
 * image, link or bold line is dropped whole) and ends with '……' and the link line.
 */
export function draftToMarkdown(draft: BulletinDraft, opts: { chartUrl?: string; fullTextUrl?: string; maxBytes: number }): string {
  const h = draft.highlights;
  const blocks: string[] = [`### ${draft.title}`];
  if (draft.subtitle) blocks.push(`**${draft.subtitle}**`);
  blocks.push(`${draft.office}　${draft.periodLabel}`, `**总体情况**：${h.overview}`);
  if (opts.chartUrl) blocks.push(`![图表](${opts.chartUrl})`);
  const list = (label: string, lines: string[], count: number) =>
    [`**${label}**（${count}项）`, ...lines.map((l) => `- ${l}`), ...(count > lines.length ? [`- ……等${count}项，详见全文`] : [])].join('\n');
  if (h.praiseCount) blocks.push(list('表扬', h.praise, h.praiseCount));
  if (h.criticismCount) blocks.push(list('批评', h.criticism, h.criticismCount));
  const link = opts.fullTextUrl ? `[查看通报全文](${opts.fullTextUrl})` : '';
  const whole = [...blocks, ...(link ? [link] : [])].join('\n\n');
  if (utf8Bytes(whole) <= opts.maxBytes) return whole;

  const tail = `……${link ? `\n\n${link}` : ''}`;
  // Two bytes more than the tail, for the blank line that sets '……' apart when the cut falls between blocks.
  const budget = opts.maxBytes - utf8Bytes(tail) - 2;
  if (budget <= 0) return cutUtf8(tail, opts.maxBytes); // too small for anything but the tail itself
  const body = blocks.join('\n\n');
  let cut = cutUtf8(body, budget);
  const lineStart = cut.lastIndexOf('\n') + 1;
  const complete = cut.length === body.length || body[cut.length] === '\n';
  if (!complete && !keepPartial(body.slice(lineStart).split('\n')[0], cut.slice(lineStart))) cut = cut.slice(0, lineStart);
  const kept = cut.trimEnd();
  const betweenLines = kept.length === 0 || body[kept.length] === '\n' || kept.length === body.length;
  return `${kept}${betweenLines && kept ? '\n\n' : ''}${tail}`;
}

/** The whole draft as plain text, for the archive and for the B2 reproduction check (compare two recompositions). */
export function draftToPlainText(draft: BulletinDraft): string {
  const out: string[] = [draft.title];
  if (draft.subtitle) out.push(draft.subtitle);
  out.push(draft.issueLabel, draft.office, '');
  if (draft.recipients) out.push(`${draft.recipients}：`);
  out.push(draft.intro);
  for (const s of draft.sections) {
    out.push('', s.heading);
    for (const b of s.blocks) {
      if (b.type === 'paragraph') out.push(b.text);
      else out.push(b.table.caption, b.table.headers.join('\t'), ...b.table.rows.map((r) => r.join('\t')));
    }
  }
  out.push('', draft.office);
  return `${out.join('\n')}\n`;
}
