import { Resvg } from '@resvg/resvg-js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import { marchFacts } from './bulletin.fixtures';
import { BULLETIN_FONTS, columnWidths, PAGE_MARGINS_TWIPS, renderBulletinDocx, tableXml, type BulletinFonts } from './bulletin.docx';
import { composeBulletin, type BulletinTable } from './bulletin.rules';

const draft = composeBulletin(marchFacts());
const opts = { office: '市人民政府督查室', date: '2026年4月1日' };

async function readBack(buf: Buffer): Promise<{ zip: JSZip; xml: string; fonts: string }> {
  const zip = await JSZip.loadAsync(buf);
  return { zip, xml: await zip.file('word/document.xml')!.async('string'), fonts: await zip.file('word/fontTable.xml')!.async('string') };
}

/** A 400×200 PNG, made here so the test needs no binary fixture. */
const png = () =>
  new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200" fill="#2f5597"/></svg>').render().asPng();

describe('B2 renderBulletinDocx: the 公文 .docx', () => {
  let xml: string;
  let fonts: string;
  let zip: JSZip;
  beforeAll(async () => ({ zip, xml, fonts } = await readBack(await renderBulletinDocx(draft, opts))));

  it('is a Word package with the title, the headings, table cells and the 落款', () => {
    expect(xml).toContain('政务督查 2026年第3期');
    expect(xml).toContain('2026年3月督查督办事项落实情况');
    for (const h of ['一、总体情况', '二、表扬', '三、批评', '四、分单位情况', '五、积分排名', '六、下步工作要求']) expect(xml).toContain(`>${h}<`);
    expect(xml).toContain('>DB2026-0031<');
    expect(xml).toContain('>表4　各单位办理情况<');
    expect(xml).toContain('>−6.5<');
    const tail = xml.slice(xml.lastIndexOf('六、下步工作要求'));
    expect(tail.indexOf('>市人民政府督查室<')).toBeLessThan(tail.indexOf('>2026年4月1日<'));
    expect(tail).toMatch(/<w:jc w:val="right"\/>.*>2026年4月1日</);
  });

  it('GB/T 9704 page: A4, margins 37/35/28/26 mm in twips', () => {
    expect(PAGE_MARGINS_TWIPS).toEqual({ top: 2098, bottom: 1984, left: 1587, right: 1474 });
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
  });

  it('fonts: 仿宋_GB2312 body, 黑体 headings, 方正小标宋简体 title, set for East Asian text', () => {
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="楷体_GB2312"'); // （一） 二级标题
  });

  it('body: 三号 (16 pt = 32 half-points), two-character first-line indent, exact 28.95 pt lines', () => {
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(xml).toMatch(/<w:ind w:firstLine="640" w:firstLineChars="200"\/>/);
    expect(xml).toContain('<w:spacing w:after="0" w:before="0" w:line="579" w:lineRule="exact"/>');
  });

  it('版头: the office in red over a red rule; the title 二号 (44 half-points) bold and centred', () => {
    const masthead = xml.slice(0, xml.indexOf('>市人民政府督查室<'));
    expect(masthead.slice(masthead.lastIndexOf('<w:r>'))).toContain('<w:color w:val="C00000"/>');
    expect(xml).toMatch(/<w:pBdr><w:bottom w:val="single" w:color="C00000"[^>]*\/><\/w:pBdr>/);
    const title = xml.slice(xml.lastIndexOf('<w:p>', xml.indexOf('>政务督查 2026年第3期<')), xml.indexOf('>政务督查 2026年第3期<'));
    expect(title).toContain('<w:jc w:val="center"/>');
    expect(title).toContain('<w:b/>');
    expect(title).toContain('<w:sz w:val="44"/>');
  });

  it('tables have borders and a bold, repeated header row', () => {
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml).toMatch(/<w:tblBorders><w:top w:val="single"/);
    const header = xml.slice(xml.indexOf('<w:tblHeader/>'), xml.indexOf('</w:tr>', xml.indexOf('<w:tblHeader/>')));
    expect(header).toContain('<w:b/>');
    expect(header).toContain('>事项来源<');
  });

  it('declares the CJK fonts with a GB2312 charset and a common fallback (方正小标宋简体 → 宋体)', () => {
    expect(fonts).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/>');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
  });

  it('has no image without a chart', () => {
    expect(Object.keys(zip.files).filter((p) => p.startsWith('word/media/'))).toEqual([]);
  });

  it('embeds the chart PNG across the type area (15.6 cm), keeping its aspect ratio', async () => {
    const { zip: z, xml: x } = await readBack(await renderBulletinDocx(draft, { ...opts, chartPng: png() }));
    const media = Object.keys(z.files).filter((p) => p.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    const bytes = await z.file(media[0])!.async('nodebuffer');
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Issue 14: across the type area — 589 px at 96 dpi = 15.6 cm; 1 px = 9525 EMU; 400×200 → 589×295.
    expect(x).toContain(`<wp:extent cx="${589 * 9525}" cy="${295 * 9525}"/>`);
    // Placed at the end of 一、总体情况, before 二、表扬.
    expect(x.indexOf('<w:drawing>')).toBeGreaterThan(x.indexOf('一、总体情况'));
    expect(x.indexOf('<w:drawing>')).toBeLessThan(x.indexOf('二、表扬'));
  });

  it('refuses a chart that is not a PNG', async () => {
    await expect(renderBulletinDocx(draft, { ...opts, chartPng: Buffer.from('GIF89a not a png at all....') })).rejects.toThrow('not a PNG');
  });

  it('an office without the 方正 fonts can name its own', async () => {
    const { xml: x } = await readBack(await renderBulletinDocx(draft, { ...opts, fonts: { title: '宋体', masthead: '宋体' } }));
    expect(x).not.toContain('方正小标宋简体');
    expect(x).toContain('w:eastAsia="宋体"');
  });

  it('is deterministic apart from the package timestamps', async () => {
    const strip = (s: string) => s.replace(/<dcterms:(created|modified)[^<]*<\/dcterms:\1>/g, '');
    const a = await readBack(await renderBulletinDocx(draft, opts));
    const b = await readBack(await renderBulletinDocx(draft, opts));
    expect(b.xml).toBe(a.xml);
    expect(strip(await b.zip.file('docProps/core.xml')!.async('string'))).toBe(strip(await a.zip.file('docProps/core.xml')!.async('string')));
  });

  describe('issue 17: a table is written as text, the same XML docx writes for it', () => {
    /** The table built with docx's own Table, cells and runs, as the .docx was made before issue 17. */
    async function byDocx(f: BulletinFonts, t: BulletinTable): Promise<string> {
      const widths = columnWidths(t.headers);
      const font = { ascii: f.latin, hAnsi: f.latin, eastAsia: f.body, cs: f.latin };
      const cell = (text: string, i: number, header: boolean) =>
        new TableCell({
          width: { size: widths[i], type: WidthType.DXA },
          verticalAlign: VerticalAlignTable.CENTER,
          children: [
            new Paragraph({
              ...(header ? { keepNext: true } : {}),
              alignment: header || text.length <= 6 ? AlignmentType.CENTER : AlignmentType.LEFT,
              children: [new TextRun({ text, font, size: 24, bold: header })],
            }),
          ],
        });
      const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
      const table = new Table({
        rows: [
          new TableRow({ tableHeader: true, cantSplit: true, children: t.headers.map((h, i) => cell(h, i, true)) }),
          ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i, false)) })),
        ],
        width: { size: 8845, type: WidthType.DXA },
        columnWidths: widths,
        layout: TableLayoutType.FIXED,
        borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
      });
      const x = (await readBack(await Packer.toBuffer(new Document({ sections: [{ children: [table] }] })))).xml;
      return x.slice(x.indexOf('<w:tbl>'), x.lastIndexOf('</w:tbl>') + '</w:tbl>'.length);
    }
    const t: BulletinTable = {
      caption: '表9　测试',
      headers: ['序号', '事项编号', '事项名称', '承办单位', '具体情况'],
      rows: [
        ['1', 'DB2026-0001', '推进老旧小区改造和城市更新工作', '市住建局', '逾期5个工作日才反馈'],
        ['2', '', 'A&B <c> "d" \'e\'', '市交通\u0007运输局', ''],
      ],
    };

    it('cells of every kind: header, short and long text, empty, characters XML escapes or cannot carry', async () => {
      expect(tableXml(BULLETIN_FONTS, t)).toBe(await byDocx(BULLETIN_FONTS, t));
    });

    it('in the fonts an office names', async () => {
      const f = { ...BULLETIN_FONTS, body: '仿宋', latin: 'Arial' };
      expect(tableXml(f, t)).toBe(await byDocx(f, t));
    });

    it('in place in the document: every table of the draft, between its caption and the space after it', async () => {
      const tables = draft.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : [])));
      expect(tables.length).toBeGreaterThan(2);
      let from = 0;
      for (const table of tables) {
        const at = xml.indexOf(tableXml(BULLETIN_FONTS, table), from);
        expect(at).toBeGreaterThan(xml.lastIndexOf(`>${table.caption}<`, at));
        from = at + 1;
      }
      expect(xml).not.toContain('bulletin-table-');
    });
  });
});
