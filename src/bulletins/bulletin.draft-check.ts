/**
 * Issue 11 (defect 10): what the 督查室 may send as an edit of a 通报 draft, checked strictly before it is stored —
 * every block is a paragraph or a table, every field of the right type and length, every table row as wide as its
 * header — so that what a leader approves always renders (the public page, the .docx, the chat summary). Pure.
 */
import { invalid } from '../shared/errors';
import type { BulletinBlock, BulletinDraft, BulletinSection } from './bulletin.rules';

/** Issue 15: the lines of praise and criticism the summary quotes, as the 督查室 chose them; null: read them from the tables again. */
export type HighlightLines = { praise: string[]; criticism: string[] };
export type DraftPatch = Partial<Pick<BulletinDraft, 'title' | 'subtitle' | 'intro' | 'sections' | 'recipients'>> & {
  groupIds?: number[];
  highlights?: HighlightLines | null;
};

export const DRAFT_LIMITS = {
  title: 100,
  subtitle: 100,
  intro: 2000,
  recipients: 300,
  sections: 50,
  heading: 100,
  blocks: 500,
  paragraph: 10_000,
  caption: 100,
  columns: 20,
  header: 50,
  rows: 5000,
  cell: 1000,
  groupIds: 500,
  highlightLines: 20,
  highlightLine: 300,
};

const FIELDS: Record<string, string> = {
  title: '标题',
  subtitle: '副标题',
  intro: '导语',
  recipients: '主送机关',
  sections: '章节',
  groupIds: '推送的工作群',
  highlights: '推送摘要',
};

class Problem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, where: string, field: string, max: number, opts: { nullable?: boolean; required?: boolean } = {}): string | null {
  if (v === null && opts.nullable) return null;
  if (typeof v !== 'string') throw new Problem(field, `${where}须为文字${opts.nullable ? '（不需要时可填 null）' : ''}`);
  if (opts.required && !v.trim()) throw new Problem(field, `${where}不能为空`);
  if ([...v].length > max) throw new Problem(field, `${where}过长（最多 ${max} 个字）`);
  return v;
}

function onlyKeys(o: Record<string, unknown>, keys: string[], where: string, field: string): void {
  const extra = Object.keys(o).filter((k) => !keys.includes(k));
  if (extra.length) throw new Problem(field, `${where}含有不认识的内容「${extra[0].slice(0, 30)}」，请删去`);
}

function block(v: unknown, where: string, field: string): BulletinBlock {
  if (!isObj(v)) throw new Problem(field, `${where}须为段落或表格`);
  if (v.type === 'paragraph') {
    onlyKeys(v, ['type', 'text'], where, field);
    return { type: 'paragraph', text: text(v.text, `${where}的文字`, `${field}.text`, DRAFT_LIMITS.paragraph)! };
  }
  if (v.type === 'table') {
    onlyKeys(v, ['type', 'table'], where, field);
    const t = v.table;
    if (!isObj(t)) throw new Problem(`${field}.table`, `${where}是表格，但缺少表格内容（表题、表头和各行）`);
    onlyKeys(t, ['caption', 'headers', 'rows'], `${where}的表格`, `${field}.table`);
    const caption = text(t.caption, `${where}的表题`, `${field}.table.caption`, DRAFT_LIMITS.caption)!;
    if (!Array.isArray(t.headers) || t.headers.length === 0) throw new Problem(`${field}.table.headers`, `${where}的表头须为至少一列的文字`);
    if (t.headers.length > DRAFT_LIMITS.columns) throw new Problem(`${field}.table.headers`, `${where}的表格列数过多（最多 ${DRAFT_LIMITS.columns} 列）`);
    const headers = t.headers.map((h, i) => text(h, `${where}表头第${i + 1}列`, `${field}.table.headers`, DRAFT_LIMITS.header)!);
    if (!Array.isArray(t.rows)) throw new Problem(`${field}.table.rows`, `${where}的表格各行须为数组`);
    if (t.rows.length > DRAFT_LIMITS.rows) throw new Problem(`${field}.table.rows`, `${where}的表格行数过多（最多 ${DRAFT_LIMITS.rows} 行）`);
    const rows = t.rows.map((r, i) => {
      if (!Array.isArray(r)) throw new Problem(`${field}.table.rows`, `${where}表格第${i + 1}行须为一行单元格`);
      if (r.length !== headers.length)
        throw new Problem(`${field}.table.rows`, `${where}表格第${i + 1}行有 ${r.length} 格，表头有 ${headers.length} 列，须一致`);
      return r.map((c, j) => text(c, `${where}表格第${i + 1}行第${j + 1}格`, `${field}.table.rows`, DRAFT_LIMITS.cell)!);
    });
    return { type: 'table', table: { caption, headers, rows } };
  }
  throw new Problem(`${field}.type`, `${where}的类型须为段落（paragraph）或表格（table）`);
}

function section(v: unknown, n: number): BulletinSection {
  const where = `第${n}章`;
  const field = `sections.${n - 1}`;
  if (!isObj(v)) throw new Problem(field, `${where}须包含标题和内容`);
  onlyKeys(v, ['heading', 'blocks'], where, field);
  const heading = text(v.heading, `${where}的标题`, `${field}.heading`, DRAFT_LIMITS.heading, { required: true })!;
  if (!Array.isArray(v.blocks)) throw new Problem(`${field}.blocks`, `${where}的内容须为段落和表格的列表`);
  if (v.blocks.length > DRAFT_LIMITS.blocks) throw new Problem(`${field}.blocks`, `${where}的段落和表格过多（最多 ${DRAFT_LIMITS.blocks} 个）`);
  return { heading, blocks: v.blocks.map((b, i) => block(b, `${where}第${i + 1}段`, `${field}.blocks.${i}`)) };
}

const LIST_NAMES = { praise: '表扬', criticism: '批评' } as const;

/** Issue 15: the summary's lines, each a line of text (no empty line), at most 20 a list; null goes back to the tables. */
function highlightLines(v: unknown): HighlightLines | null {
  if (v === null) return null;
  if (!isObj(v)) throw new Problem('highlights', '推送摘要须包含表扬和批评两组摘要行');
  onlyKeys(v, ['praise', 'criticism'], '推送摘要', 'highlights');
  const list = (key: keyof typeof LIST_NAMES): string[] => {
    const lines = v[key] ?? [];
    const where = `推送摘要的${LIST_NAMES[key]}`;
    if (!Array.isArray(lines)) throw new Problem(`highlights.${key}`, `${where}须为摘要行的列表`);
    if (lines.length > DRAFT_LIMITS.highlightLines) throw new Problem(`highlights.${key}`, `${where}最多 ${DRAFT_LIMITS.highlightLines} 行`);
    return lines.map((l, i) => {
      const field = `highlights.${key}.${i}`;
      const line = text(l, `${where}第${i + 1}行`, field, DRAFT_LIMITS.highlightLine, { required: true })!;
      if (/[\r\n]/.test(line)) throw new Problem(field, `${where}第${i + 1}行须为一行文字，不能换行`);
      return line.trim();
    });
  };
  return { praise: list('praise'), criticism: list('criticism') };
}

/** The edit as typed values, or a 400 naming the first thing that is wrong and where. */
export function checkDraftPatch(body: unknown): DraftPatch {
  try {
    if (!isObj(body)) throw new Problem('body', '请以 JSON 对象提交要修改的内容');
    const unknown = Object.keys(body).filter((k) => !(k in FIELDS));
    if (unknown.length) throw new Problem(unknown[0], `不能修改「${unknown[0].slice(0, 30)}」：可修改的是${Object.values(FIELDS).join('、')}`);
    const out: DraftPatch = {};
    if ('title' in body) out.title = text(body.title, '标题', 'title', DRAFT_LIMITS.title, { required: true })!;
    if ('subtitle' in body) out.subtitle = text(body.subtitle, '副标题', 'subtitle', DRAFT_LIMITS.subtitle, { nullable: true });
    if ('intro' in body) out.intro = text(body.intro, '导语', 'intro', DRAFT_LIMITS.intro)!;
    if ('recipients' in body) out.recipients = text(body.recipients, '主送机关', 'recipients', DRAFT_LIMITS.recipients, { nullable: true });
    if ('sections' in body) {
      if (!Array.isArray(body.sections) || body.sections.length === 0) throw new Problem('sections', '章节须为至少一章的列表');
      if (body.sections.length > DRAFT_LIMITS.sections) throw new Problem('sections', `章节过多（最多 ${DRAFT_LIMITS.sections} 章）`);
      out.sections = body.sections.map((s, i) => section(s, i + 1));
    }
    if ('highlights' in body) out.highlights = highlightLines(body.highlights);
    if ('groupIds' in body) {
      const g = body.groupIds;
      if (!Array.isArray(g) || g.length > DRAFT_LIMITS.groupIds || !g.every((id) => Number.isInteger(id) && id > 0 && id <= 2_147_483_647)) {
        throw new Problem('groupIds', `推送的工作群须为工作群编号（正整数）的列表，最多 ${DRAFT_LIMITS.groupIds} 个`);
      }
      out.groupIds = g as number[];
    }
    return out;
  } catch (e) {
    if (e instanceof Problem)
      throw invalid('BULLETIN.BAD_DRAFT', `通报稿未保存：${e.message}。请改正后重新提交。`, {
        field: e.field,
        problems: [{ field: e.field, message: e.message }],
      });
    throw e;
  }
}
