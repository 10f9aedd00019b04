/**
 * Issue 15 (B1, B2): the sentences of a 通报 that count the rows of a table — 「市财政局、市住建局共2个单位的2件督办事项…」,
 * 「（一）逾期办理。市交通运输局共1件事项…」, 「3个承办单位的…」 — rewritten from the rows after the 督查室 removed or added
 * rows, so that what is approved and published says what its tables say. Pure, and shared with the console (the form
 * and the preview rewrite them as rows change; the service rewrites them again when the draft is saved).
 *
 * Only sentences in the form the draft was composed with are rewritten (the units before 「共」 and the numbers); a
 * sentence the 督查室 put in its own words is left as written. A table left without rows is not published: its sentence
 * becomes 「本期无…」 and the later tables, and the paragraphs citing them, are numbered again.
 */
import { SOURCES } from '../shared/vocabulary';
import {
  chineseNumeral,
  CRITICISM_LABELS,
  CRITICISM_REASONS,
  CRITICISM_SENTENCES,
  type BulletinBlock,
  type BulletinSection,
  type BulletinTable,
} from './bulletin.rules';

const zh = new Intl.Collator('zh-CN');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const cell = (t: BulletinTable, row: string[], header: string) => {
  const i = t.headers.indexOf(header);
  return i >= 0 ? oneLine(row[i] ?? '') : '';
};
const unitsOf = (t: BulletinTable, rows: string[][]) => [...new Set(rows.map((r) => cell(t, r, '承办单位')).filter(Boolean))].sort(zh.compare);
/** Items counted once each (an item criticised for two reasons has a row under each); a row without a number counts itself. */
const itemsOf = (t: BulletinTable, rows: string[][]) => new Set(rows.map((r, i) => cell(t, r, '事项编号') || `#${i}`)).size;

const PRAISE = /共\d+个单位的\d+件/;
const UNIT_COUNT = /^(\d+)个承办单位的/;
const AWAITING = /另有(.*?)的(\d+)件事项已过办理时限/;
const SOURCE_LEAD = /从事项来源看，本期登记[^。]*。/;
const RANKING = /激励积分排名情况见表\d+/;
const CRITICISM_CLOSE = /予以通报批评/;
const REASON = /^（[一二三四五六七八九十]+）([^。]+)。/;
const ITEMS = /共\d+件/;

/** The first words of each kind's sentence (逾期办理, 办理报告被退回 …) and the kind of a row's 问题类型 (逾期办理, 报告被退回 …). */
const REASON_HEADS = CRITICISM_REASONS.map((r) => CRITICISM_SENTENCES[r]('', 0).split('。')[0]);
const reasonOfLabel = (label: string) => CRITICISM_REASONS.findIndex((r) => CRITICISM_LABELS[r] === label);

/** Whether a paragraph is one of the sentences rewritten from a table's rows (the form says so under it). */
export function countsTableRows(text: string): boolean {
  return [PRAISE, UNIT_COUNT, AWAITING, SOURCE_LEAD].some((re) => re.test(text)) || REASON.test(text);
}

/** The units before 「共」 (after the last stop before them) replaced by `units`. */
function withUnits(text: string, at: number, units: string[]): string {
  const head = text.slice(0, at);
  const stop = Math.max(...['，', '。', '；', '：', '！', '？', ',', ';', ':', '\n'].map((p) => head.lastIndexOf(p)));
  return `${head.slice(0, stop + 1)}${units.join('、')}${text.slice(at)}`;
}

/** The first paragraph matching `test` rewritten by `f`; false when there is none. */
function rewrite(blocks: BulletinBlock[], test: RegExp, f: (text: string) => string): boolean {
  const i = blocks.findIndex((b) => b.type === 'paragraph' && test.test(b.text));
  if (i < 0) return false;
  blocks[i] = { type: 'paragraph', text: f((blocks[i] as { text: string }).text) };
  return true;
}

type Recount = (blocks: BulletinBlock[], t: BulletinTable, dropEmpty: boolean) => void;

/** 二、表扬: 「X、Y共2个单位的N件督办事项…」. */
const praise: Recount = (blocks, t, dropEmpty) => {
  if (t.rows.length === 0) {
    if (dropEmpty && rewrite(blocks, PRAISE, () => '本期无符合通报表扬条件的事项。'))
      blocks.splice(
        blocks.findIndex((b) => b.type === 'table' && b.table === t),
        1,
      );
    return;
  }
  const units = unitsOf(t, t.rows);
  rewrite(blocks, PRAISE, (text) => {
    const at = text.search(PRAISE);
    return withUnits(text.replace(PRAISE, `共${units.length}个单位的${t.rows.length}件`), at, units);
  });
};

/** 三、批评: one sentence per kind of problem the rows have, numbered （一）（二）…, in the order of the kinds. */
const criticism: Recount = (blocks, t, dropEmpty) => {
  const tableAt = () => blocks.findIndex((b) => b.type === 'table' && b.table === t);
  const labels = [...new Set(t.rows.map((r) => cell(t, r, '问题类型')).filter(Boolean))].sort(
    (a, b) => (reasonOfLabel(a) < 0 ? 99 : reasonOfLabel(a)) - (reasonOfLabel(b) < 0 ? 99 : reasonOfLabel(b)),
  );
  const headOf = (label: string) => (reasonOfLabel(label) >= 0 ? REASON_HEADS[reasonOfLabel(label)] : label);
  const found = new Map<string, number>(); // sentence head → block index
  blocks.forEach((b, i) => {
    const m = b.type === 'paragraph' && i < tableAt() ? REASON.exec(b.text) : null;
    if (m && (REASON_HEADS.includes(m[1]) || labels.includes(m[1]))) found.set(m[1], i);
  });
  if (t.rows.length === 0) {
    if (!dropEmpty) return;
    const gone = new Set([...found.values(), tableAt(), blocks.findIndex((b) => b.type === 'paragraph' && CRITICISM_CLOSE.test(b.text))]);
    const first = Math.min(...[...gone].filter((i) => i >= 0));
    const kept = blocks.filter((_, i) => !gone.has(i));
    kept.splice(Math.min(first, kept.length), 0, { type: 'paragraph', text: '本期无需通报批评的事项。' });
    blocks.splice(0, blocks.length, ...kept);
    return;
  }
  const sentences = labels.map((label, n) => {
    const these = t.rows.filter((r) => cell(t, r, '问题类型') === label);
    const units = unitsOf(t, these);
    const count = itemsOf(t, these);
    const r = reasonOfLabel(label);
    const at = found.get(headOf(label));
    let text: string;
    if (at !== undefined) {
      const was = (blocks[at] as { text: string }).text.replace(REASON, '');
      const i = was.search(ITEMS);
      text = i < 0 ? was : withUnits(was.replace(ITEMS, `共${count}件`), i, units);
    } else {
      const whole = r >= 0 ? CRITICISM_SENTENCES[CRITICISM_REASONS[r]](units.join('、'), count) : `${label}。${units.join('、')}共${count}件事项存在此类问题。`;
      text = whole.slice(whole.indexOf('。') + 1);
    }
    return { type: 'paragraph' as const, text: `（${chineseNumeral(n + 1)}）${headOf(label)}。${text}` };
  });
  const at = found.size
    ? Math.min(...found.values())
    : Math.max(
        0,
        blocks.findIndex((b) => (b.type === 'paragraph' && CRITICISM_CLOSE.test(b.text)) || b === blocks[tableAt()]),
      );
  const kept = blocks.filter((_, i) => ![...found.values()].includes(i));
  kept.splice(at, 0, ...sentences);
  blocks.splice(0, blocks.length, ...kept);
};

/** The waiting list (待审核审定): 「另有X、Y的N件事项已过办理时限…」. */
const awaiting: Recount = (blocks, t, dropEmpty) => {
  if (t.rows.length === 0) {
    if (!dropEmpty) return;
    const i = blocks.findIndex((b) => b.type === 'paragraph' && AWAITING.test(b.text));
    if (i >= 0) blocks.splice(i, 1);
    blocks.splice(
      blocks.findIndex((b) => b.type === 'table' && b.table === t),
      1,
    );
    return;
  }
  rewrite(blocks, AWAITING, (text) => text.replace(AWAITING, `另有${unitsOf(t, t.rows).join('、')}的${t.rows.length}件事项已过办理时限`));
};

/** 四、分单位情况: 「N个承办单位的…」. */
const byUnit: Recount = (blocks, t, dropEmpty) => {
  if (t.rows.length === 0) {
    if (dropEmpty && rewrite(blocks, UNIT_COUNT, () => '本期无分单位统计数据。'))
      blocks.splice(
        blocks.findIndex((b) => b.type === 'table' && b.table === t),
        1,
      );
    return;
  }
  rewrite(blocks, UNIT_COUNT, (text) => text.replace(UNIT_COUNT, `${t.rows.length}个承办单位的`));
};

/** 一、总体情况, by source: 「从事项来源看，本期登记会议议定事项4件、…。」 from each row's 登记. */
const bySource: Recount = (blocks, t, dropEmpty) => {
  const i = blocks.findIndex((b) => b.type === 'paragraph' && (SOURCE_LEAD.test(b.text) || b.text.includes('各类来源事项办理情况见')));
  if (i < 0) return;
  if (t.rows.length === 0) {
    if (!dropEmpty) return;
    blocks.splice(
      blocks.findIndex((b) => b.type === 'table' && b.table === t),
      1,
    );
    blocks.splice(i, 1); // the paragraph comes before its table
    return;
  }
  const order = Object.values(SOURCES) as string[];
  const registered = t.rows
    .map((r) => ({ name: cell(t, r, '事项来源'), n: cell(t, r, '登记') }))
    .filter((r) => /^\d+$/.test(r.n) && Number(r.n) > 0)
    .sort((a, b) => (order.indexOf(a.name) < 0 ? 99 : order.indexOf(a.name)) - (order.indexOf(b.name) < 0 ? 99 : order.indexOf(b.name)))
    .map((r) => `${r.name}${Number(r.n)}件`);
  const lead = registered.length ? `从事项来源看，本期登记${registered.join('、')}。` : '';
  const text = (blocks[i] as { text: string }).text;
  blocks[i] = {
    type: 'paragraph',
    text: SOURCE_LEAD.test(text) ? text.replace(SOURCE_LEAD, lead) : text.startsWith('各类来源事项办理情况见') ? `${lead}${text}` : text,
  };
};

/** 五、积分排名: nothing counted; without rows, 「本期不发布激励积分排名。」. */
const ranking: Recount = (blocks, t, dropEmpty) => {
  if (t.rows.length === 0 && dropEmpty && rewrite(blocks, RANKING, () => '本期不发布激励积分排名。'))
    blocks.splice(
      blocks.findIndex((b) => b.type === 'table' && b.table === t),
      1,
    );
};

/** Which sentence a table has, by its columns (the tables composeBulletin makes). */
function recountOf(t: BulletinTable): Recount | null {
  if (t.headers.includes('评定等次')) return praise;
  if (t.headers.includes('问题类型')) return criticism;
  if (t.headers.includes('办理环节')) return awaiting;
  if (t.headers[0] === '承办单位' && t.headers.includes('办结')) return byUnit;
  if (t.headers[0] === '事项来源') return bySource;
  if (t.headers.includes('名次')) return ranking;
  return null;
}

/**
 * The sections with their counting sentences rewritten from their tables' rows. `dropEmpty` (the default, as saved
 * and published): a table without rows goes, with its sentence turned to 「本期无…」; false (the form while it is being
 * edited): an empty table stays, so that a row can be added back, and its sentence is left for now.
 */
export function recountSections(sections: readonly BulletinSection[], opts: { dropEmpty?: boolean } = {}): BulletinSection[] {
  const dropEmpty = opts.dropEmpty ?? true;
  let dropped = false;
  const out = sections.map((s) => {
    // 序号 counts the rows too: 1, 2, 3 … again after a row was removed or added.
    const blocks = s.blocks.map((b) =>
      b.type === 'table' && b.table.headers[0] === '序号' && b.table.rows.some((r, i) => r[0] !== String(i + 1))
        ? { type: 'table' as const, table: { ...b.table, rows: b.table.rows.map((r, i) => [String(i + 1), ...r.slice(1)]) } }
        : b,
    );
    for (const b of [...blocks]) {
      if (b.type !== 'table') continue;
      const f = recountOf(b.table);
      if (!f) continue;
      f(blocks, b.table, dropEmpty);
      if (!blocks.some((x) => x.type === 'table' && x.table === b.table)) dropped = true;
    }
    return { heading: s.heading, blocks };
  });
  return dropped ? renumberTables(out) : out;
}

/** 表1, 表2 … in order of appearance again, in the captions and in every paragraph citing them. */
function renumberTables(sections: BulletinSection[]): BulletinSection[] {
  const now = new Map<string, string>();
  let n = 0;
  for (const s of sections)
    for (const b of s.blocks) {
      const m = b.type === 'table' ? /^表(\d+)/.exec(b.table.caption) : null;
      n += b.type === 'table' ? 1 : 0;
      if (m) now.set(m[1], String(n));
    }
  const cite = (text: string) => text.replace(/表(\d+)/g, (all, k: string) => (now.has(k) ? `表${now.get(k)}` : all));
  return sections.map((s) => ({
    heading: s.heading,
    blocks: s.blocks.map((b) =>
      b.type === 'paragraph'
        ? { type: 'paragraph' as const, text: cite(b.text) }
        : { type: 'table' as const, table: { ...b.table, caption: b.table.caption.replace(/^表(\d+)/, (_, k: string) => `表${now.get(k)}`) } },
    ),
  }));
}
