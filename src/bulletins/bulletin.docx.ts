/**
 * B2: a bulletin draft as a .docx in the usual 公文 layout (after GB/T 9704-2012): A4; margins top 37 mm, bottom 35 mm,
 * left 28 mm, right 26 mm; a red 版头 with the issuing office and a red separator; the title in 二号 小标宋; body text in
 * 三号 仿宋 with a two-character first-line indent and a fixed 28.95 pt line pitch (22 lines a page); 一级标题 in 黑体,
 * （一） 二级标题 in 楷体; 落款 office and date at the end; page numbers '— 1 —' at the foot.
 *
 * Pure like the rule core: no framework, no database, no clock (the date of the 落款 is passed in).
 *
 * Fonts: Word has no per-run fallback list, so the fonts are also declared in word/fontTable.xml with a GB2312 charset
 * and an altName (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体): a machine without the 方正/GB2312 fonts
 * substitutes the named common font. An office that wants other fonts outright passes `fonts`.
 */
import { AlignmentType, BorderStyle, Document, Footer, ImageRun, LineRuleType, Packer, PageNumber, Paragraph, TextRun, type IRunOptions } from 'docx';
import { randomBytes } from 'node:crypto';
import type { BulletinBlock, BulletinDraft, BulletinTable } from './bulletin.rules';
import { readZipText, replaceZipText } from './docx-zip';

export const BULLETIN_FONTS = {
  masthead: '方正小标宋简体',
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading: '黑体',
  subheading: '楷体_GB2312',
  pageNumber: '宋体',
  latin: 'Times New Roman',
};
export type BulletinFonts = typeof BULLETIN_FONTS;

/** Substitutes Word should use when a font is missing (fontTable altName). */
const ALT_NAMES: Record<string, string> = { 方正小标宋简体: '宋体', 仿宋_GB2312: '仿宋', 楷体_GB2312: '楷体', 黑体: 'SimHei', 宋体: 'SimSun' };

const twips = (mm: number) => Math.round((mm * 1440) / 25.4);
/** GB/T 9704 margins in twips: top 2098, bottom 1984, left 1587, right 1474. */
export const PAGE_MARGINS_TWIPS = { top: twips(37), bottom: twips(35), left: twips(28), right: twips(26) };
const A4 = { width: 11906, height: 16838 };
const TEXT_WIDTH = A4.width - PAGE_MARGINS_TWIPS.left - PAGE_MARGINS_TWIPS.right;
const RED = 'C00000';
/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt. */
const SIZE = { masthead: 60, title: 44, body: 32, caption: 28, table: 24 };
/** 28.95 pt in twips, exact: GB/T 9704's 22 lines on the type area. */
const LINE = Math.round(28.95 * 20);
const INDENT_2 = { firstLine: 2 * 320, firstLineChars: 200 };
/** Issue 14 (defect 3): the chart across the whole type area (15.6 cm), at 96 px to the inch. */
const CHART_WIDTH_PX = Math.floor((TEXT_WIDTH / 1440) * 96);

export interface BulletinDocxOptions {
  office: string;
  /** 成文日期 as printed, e.g. '2026年4月1日'. */
  date: string;
  /** Placed at the end of 一、总体情况. */
  chartPng?: Buffer;
  fonts?: Partial<BulletinFonts>;
}

type Fonts = BulletinFonts;
const font = (f: Fonts, cjk: string): IRunOptions['font'] => ({ ascii: f.latin, hAnsi: f.latin, eastAsia: cjk, cs: f.latin });

function run(f: Fonts, text: string, cjk: string, size: number, extra: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: font(f, cjk), size, ...extra });
}

const bodySpacing = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

function bodyParagraph(f: Fonts, text: string): Paragraph {
  // A （一）… paragraph opens with a 二级标题 up to its first 。, in 楷体; the rest is body text.
  const m = text.match(/^（[一二三四五六七八九十]+）[^。]*。/);
  const children = m ? [run(f, m[0], f.subheading, SIZE.body), run(f, text.slice(m[0].length), f.body, SIZE.body)] : [run(f, text, f.body, SIZE.body)];
  return new Paragraph({ children, indent: INDENT_2, spacing: bodySpacing, alignment: AlignmentType.JUSTIFIED });
}

/**
 * Issue 14 (defect 3): fixed column widths in twips, on the 15.6 cm type area, 小四 (12 pt = 240 twips a character)
 * plus the cell's 0.19 cm margins each side. What must never wrap gets room to stand on one line: 序号, an item number
 * up to DB2026-10000, a date, a 问题类型 (5 characters), a 办理环节 (7), a 评定等次; a count column takes two
 * characters of its heading a line. The text columns (名称, 具体情况, the unit) share what is left, a unit at least 5
 * characters wide. A table of known columns only fills the width in proportion.
 */
type ColumnSpec = { fixed: number } | { flex: number; min?: number };
const COLUMN_SPECS: Record<string, ColumnSpec> = {
  序号: { fixed: 780 },
  名次: { fixed: 780 },
  事项编号: { fixed: 1800 },
  评定等次: { fixed: 1200 },
  问题类型: { fixed: 1450 },
  办理环节: { fixed: 1920 },
  办结日期: { fixed: 1400 },
  申请办结日期: { fixed: 1400 },
  总分: { fixed: 1100 },
  本年增减: { fixed: 1300 },
  事项名称: { flex: 1.2 },
  具体情况: { flex: 1 },
  承办单位: { flex: 1, min: 1450 },
  单位: { flex: 1, min: 1450 },
  事项来源: { flex: 1, min: 1450 },
};
/** A count column of a wide table (登记, 办结, 单位逾期未办结, 退回（件次）…): digits, and its heading two characters a line. */
const COUNT_COLUMN = 760;

export function columnWidths(headers: string[], total = TEXT_WIDTH): number[] {
  const spec = (h: string, i: number): ColumnSpec => COLUMN_SPECS[h] ?? (i > 0 && headers.length > 6 ? { fixed: COUNT_COLUMN } : { flex: 1 });
  const specs = headers.map(spec);
  const widths = specs.map((s) => ('fixed' in s ? s.fixed : 0));
  let flex = specs.map((s, i) => ('flex' in s ? i : -1)).filter((i) => i >= 0);
  if (flex.length === 0) {
    // Only fixed columns: widened in proportion to fill the line.
    const sum = widths.reduce((a, b) => a + b, 0);
    const scaled = widths.map((w) => Math.floor((w * total) / sum));
    scaled[0] += total - scaled.reduce((a, b) => a + b, 0);
    return scaled;
  }
  // Share the rest by weight; a column that falls under its minimum takes the minimum, and the others share again.
  for (;;) {
    const left = total - widths.reduce((a, b, i) => a + (flex.includes(i) ? 0 : b), 0);
    const weight = flex.reduce((a, i) => a + (specs[i] as { flex: number }).flex, 0);
    const short = flex.find((i) => Math.floor((left * (specs[i] as { flex: number }).flex) / weight) < ((specs[i] as { min?: number }).min ?? 0));
    if (short === undefined) {
      for (const i of flex) widths[i] = Math.floor((left * (specs[i] as { flex: number }).flex) / weight);
      widths[flex[0]] += total - widths.reduce((a, b) => a + b, 0);
      return widths;
    }
    widths[short] = (specs[short] as { min: number }).min;
    flex = flex.filter((i) => i !== short);
    if (flex.length === 0) {
      widths[short] += total - widths.reduce((a, b) => a + b, 0);
      return widths;
    }
  }
}

/** XML text and attribute values escaped as docx escapes them (characters XML cannot carry are left out). */
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
// eslint-disable-next-line no-control-regex
const escapeXml = (v: string) => v.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => XML_ESCAPES[c] ?? '');

/**
 * Issue 17: a table as WordprocessingML text, written row by row — the XML docx writes for the same table (fixed
 * layout, single borders, a repeated header row kept with the first row under it, rows that do not split, each cell's
 * run in the body font at 小四), byte for byte (bulletin.docx.spec.ts holds it to docx's), without the object tree
 * docx builds for every cell of a 500-unit table on the way (most of the time and memory of a large 通报's .docx).
 * The header row keeps with the next row: at the foot of a page LibreOffice otherwise printed the header alone and
 * dropped every data row of the table (bulletin-docx-render.test.ts).
 */
export function tableXml(f: Fonts, t: BulletinTable): string {
  const widths = columnWidths(t.headers);
  const fonts = `<w:rFonts w:ascii="${escapeXml(f.latin)}" w:cs="${escapeXml(f.latin)}" w:eastAsia="${escapeXml(f.body)}" w:hAnsi="${escapeXml(f.latin)}"/>`;
  const bold = { true: '<w:b/><w:bCs/>', false: '<w:b w:val="false"/><w:bCs w:val="false"/>' };
  const cell = (text: string, i: number, header: boolean) =>
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${widths[i]}"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>${header ? '<w:keepNext/>' : ''}<w:jc w:val="${header || text.length <= 6 ? 'center' : 'left'}"/></w:pPr>` +
    `<w:r><w:rPr>${fonts}${bold[`${header}`]}<w:sz w:val="${SIZE.table}"/><w:szCs w:val="${SIZE.table}"/></w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p></w:tc>`;
  const border = (side: string) => `<w:${side} w:val="single" w:color="000000" w:sz="4"/>`;
  // Fixed layout: Word and LibreOffice keep the widths given instead of fitting the columns to their content.
  const out = [
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${TEXT_WIDTH}"/><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
      `<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
    `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>${t.headers.map((h, i) => cell(h, i, true)).join('')}</w:tr>`,
  ];
  for (const r of t.rows) out.push(`<w:tr><w:trPr><w:cantSplit/></w:trPr>${r.map((v, i) => cell(v, i, false)).join('')}</w:tr>`);
  out.push('</w:tbl>');
  return out.join('');
}

/**
 * A table's caption, a paragraph standing in for the table (its XML goes in its place once docx has written the
 * document), and the space after it.
 */
function table(f: Fonts, t: BulletinTable, placeholder: string): Paragraph[] {
  const caption = new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 60 },
    keepNext: true,
    children: [run(f, t.caption, f.heading, SIZE.caption)],
  });
  return [caption, new Paragraph({ children: [new TextRun(placeholder)] }), new Paragraph({ spacing: { after: 120 }, children: [] })];
}

/** Pixel size from a PNG's IHDR (bytes 16–23), to keep the chart's aspect ratio. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47) throw new Error('chartPng is not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function chart(png: Buffer): Paragraph {
  const { width, height } = pngSize(png);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120 },
    children: [new ImageRun({ type: 'png', data: png, transformation: { width: CHART_WIDTH_PX, height: Math.round((CHART_WIDTH_PX * height) / width) } })],
  });
}

function block(f: Fonts, b: BulletinBlock, tables: Map<string, BulletinTable>): Paragraph[] {
  if (b.type === 'paragraph') return [bodyParagraph(f, b.text)];
  const placeholder = `bulletin-table-${randomBytes(12).toString('hex')}`;
  tables.set(placeholder, b.table);
  return table(f, b.table, placeholder);
}

function head(f: Fonts, draft: BulletinDraft, office: string): Paragraph[] {
  const centered = (children: TextRun[], spacing: object = {}) => new Paragraph({ alignment: AlignmentType.CENTER, spacing, children });
  const out = [
    centered([run(f, office, f.masthead, SIZE.masthead, { color: RED })], { after: 120 }),
    // The 期号 line is part of the 版头 unless the title already carries it (《政务督查》).
    ...(draft.title.includes(draft.issueLabel) ? [] : [centered([run(f, draft.issueLabel, f.body, SIZE.body)])]),
    // 版头分隔线: a red rule under the masthead.
    new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 } }, spacing: { after: 480 }, children: [] }),
    centered([run(f, draft.title, f.title, SIZE.title, { bold: true })], { line: Math.round(35 * 20), lineRule: LineRuleType.EXACT }),
  ];
  if (draft.subtitle) out.push(centered([run(f, draft.subtitle, f.subheading, SIZE.body)], bodySpacing));
  out.push(new Paragraph({ spacing: bodySpacing, children: [] }));
  if (draft.recipients) out.push(new Paragraph({ spacing: bodySpacing, children: [run(f, `${draft.recipients}：`, f.body, SIZE.body)] }));
  out.push(bodyParagraph(f, draft.intro));
  return out;
}

function signature(f: Fonts, office: string, date: string): Paragraph[] {
  // 落款: right-aligned, four characters in from the right margin.
  const right = (text: string) =>
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 4 * 320 }, spacing: bodySpacing, children: [run(f, text, f.body, SIZE.body)] });
  const blank = () => new Paragraph({ spacing: bodySpacing, children: [] });
  return [blank(), blank(), right(office), right(date)];
}

function fontTable(f: Fonts): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const names = [...new Set([f.masthead, f.title, f.body, f.heading, f.subheading, f.pageNumber])];
  const cjk = names.map((n) => {
    const alt = ALT_NAMES[n] ? `<w:altName w:val="${esc(ALT_NAMES[n])}"/>` : '';
    return `<w:font w:name="${esc(n)}">${alt}<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`;
  });
  const latin = `<w:font w:name="${esc(f.latin)}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${cjk.join('')}${latin}</w:fonts>`
  );
}

const DOCUMENT_XML = 'word/document.xml';

export async function renderBulletinDocx(draft: BulletinDraft, opts: BulletinDocxOptions): Promise<Buffer> {
  const f: Fonts = { ...BULLETIN_FONTS, ...opts.fonts };
  const body: Paragraph[] = [...head(f, draft, opts.office)];
  const tables = new Map<string, BulletinTable>();
  draft.sections.forEach((s, i) => {
    body.push(new Paragraph({ indent: INDENT_2, spacing: bodySpacing, keepNext: true, children: [run(f, s.heading, f.heading, SIZE.body)] }));
    for (const b of s.blocks) body.push(...block(f, b, tables));
    if (i === 0 && opts.chartPng) body.push(chart(opts.chartPng));
  });
  body.push(...signature(f, opts.office, opts.date));

  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(f, f.pageNumber), size: SIZE.caption })],
      }),
    ],
  });
  const doc = new Document({
    creator: opts.office,
    title: draft.title,
    styles: { default: { document: { run: { font: font(f, f.body), size: SIZE.body } } } },
    sections: [
      {
        properties: { page: { size: A4, margin: { ...PAGE_MARGINS_TWIPS, header: 851, footer: 794 } } },
        footers: { default: footer },
        children: body,
      },
    ],
  });
  const packed = await Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTable(f) }]);
  if (tables.size === 0) return packed;
  // Issue 17: each table's XML in place of its stand-in paragraph; the rest of the package as docx wrote it.
  const xml = readZipText(packed, DOCUMENT_XML);
  const parts: string[] = [];
  let from = 0;
  for (const [placeholder, t] of tables) {
    const stand = `<w:p><w:r><w:t xml:space="preserve">${placeholder}</w:t></w:r></w:p>`;
    const at = xml.indexOf(stand, from);
    if (at < 0) throw new Error('a table of the 通报 has no place in the document');
    parts.push(xml.slice(from, at), tableXml(f, t));
    from = at + stand.length;
  }
  parts.push(xml.slice(from));
  return replaceZipText(packed, DOCUMENT_XML, parts.join(''));
}
