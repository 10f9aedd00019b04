import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { renderChartSvg, svgToPng } from '../../src/bulletins/bulletin.chart';
import { renderBulletinDocx } from '../../src/bulletins/bulletin.docx';
import { marchFacts, unitFigures } from '../../src/bulletins/bulletin.fixtures';
import { composeBulletin, type BulletinFacts } from '../../src/bulletins/bulletin.rules';

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const TOOLS = has('soffice') && has('pdftotext') && has('pdftoppm');
if (!TOOLS) {
  console.warn('bulletin-docx-render: SKIPPED — libreoffice (soffice) and poppler-utils (pdftotext, pdftoppm) are not installed; .ci/run installs them.');
}
const maybe = TOOLS ? describe : describe.skip;

/** A month with every kind of row the tables hold: long names, every criticism reason, both waiting stages, 15 units. */
function fullMonth(): BulletinFacts {
  const units = ['市发展改革委', '市交通运输局', '市住房和城乡建设局', '市财政局', '市自然资源和规划局', '市生态环境局', '市教育局', '市卫生健康委'];
  return marchFacts({
    byUnit: units.map((name, i) => unitFigures(i + 1, name, { registered: 9 - i, closed: 8 - i, onTime: 7 - i, overdue: i % 3, returned: i % 2 })),
    praise: [
      { number: 'DB2026-0031', title: '推进老旧小区改造', unitName: '市住房和城乡建设局', rating: 'excellent', closedAt: new Date('2026-03-20T02:00:00Z') },
      { number: 'DB2026-10007', title: '落实惠企资金兑付', unitName: '市财政局', rating: null, closedAt: new Date('2026-03-09T08:30:00Z') },
    ],
    criticism: [
      { number: 'DB2026-0042', title: '整治城区道路积水点', unitName: '市交通运输局', reason: 'key_supervision', detail: '逾期3天转入重点督办' },
      { number: 'DB2026-0012', title: '编制专项资金管理办法', unitName: '市财政局', reason: 'failed', detail: '办理结果评定为不合格' },
      { number: 'DB2026-0042', title: '整治城区道路积水点', unitName: '市交通运输局', reason: 'late', detail: '截至期末逾期5个工作日未反馈' },
      { number: 'DB2026-0051', title: '清理拖欠中小企业账款', unitName: '市自然资源和规划局', reason: 'returned', detail: '第2次退回' },
    ],
    awaiting: [
      { number: 'DB2026-0060', title: '完善12345热线转办机制', unitName: '市发展改革委', stage: 'approval', askedAt: new Date('2026-03-25T02:00:00Z') },
      { number: 'DB2026-0061', title: '推进政务数据共享', unitName: '市教育局', stage: 'review', askedAt: new Date('2026-03-26T02:00:00Z') },
    ],
  });
}

/**
 * Issue 14 (defect 3): the .docx as LibreOffice lays it out on the 公文 page — every item number, date, 问题类型 and
 * 办理环节 on one line (they wrapped as "DB / 202 / 6- / 000 / 1", one character per line), and the chart wide enough
 * to read. The pages are also drawn as PNGs (pdftoppm -r 60) into the folder logged below, to look at.
 */
maybe('通报 .docx rendered by LibreOffice (issue 14)', () => {
  let layout: string;
  let docXml: string;
  const out = mkdtempSync(join(tmpdir(), 'bulletin-docx-'));

  beforeAll(async () => {
    const facts = fullMonth();
    const draft = composeBulletin(facts);
    const rows = facts.byUnit.map((u) => ({ name: u.unitName, value: u.closed }));
    const chartPng = svgToPng(renderChartSvg(rows, { title: '2026年3月各单位办结事项数' }));
    const docx = await renderBulletinDocx(draft, { office: '市人民政府督查室', date: '2026年4月1日', chartPng });
    docXml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    writeFileSync(join(out, 'bulletin.docx'), docx);
    // A profile of its own: a LibreOffice another process is running would otherwise take the job and lose it.
    const profile = `file://${join(out, 'profile')}`;
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, join(out, 'bulletin.docx')], {
      timeout: 120_000,
      stdio: 'ignore',
    });
    const pdf = join(out, 'bulletin.pdf');
    if (!existsSync(pdf)) throw new Error(`LibreOffice made no PDF in ${out}`);
    layout = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    mkdirSync(join(out, 'png'), { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(out, 'png', 'page')]);
    console.log(`bulletin .docx pages drawn: ${readdirSync(join(out, 'png')).length} PNGs in ${join(out, 'png')}`);
  }, 180_000);
  // The pages stay to be looked at; LibreOffice's profile (some MB) goes.
  afterAll(() => rmSync(join(out, 'profile'), { recursive: true, force: true }));

  it('every item number, date, 问题类型 and 办理环节 stands on one line', () => {
    const lines = layout.split('\n');
    const onOneLine = (s: string) => lines.some((l) => l.includes(s));
    const wanted = [
      'DB2026-0031',
      'DB2026-10007',
      'DB2026-0042',
      'DB2026-0012',
      'DB2026-0051',
      'DB2026-0060',
      'DB2026-0061',
      '2026-03-20',
      '2026-03-25',
      '报告被退回',
      '评定不合格',
      '逾期办理',
      '重点督办',
      '待分管领导审定',
      '待立项主体审核',
      '评定等次',
      '问题类型',
    ];
    expect(wanted.filter((s) => !onOneLine(s))).toEqual([]);
  });

  it('the chart spans the text width of the page (15.6 cm), its smallest type prints at 五号 (10.5 pt) or more', () => {
    const extent = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(docXml);
    expect(extent).not.toBeNull();
    const cm = Number(extent![1]) / 360_000;
    expect(cm).toBeGreaterThan(15.5);
    expect(cm).toBeLessThanOrEqual(15.61);
    // Every size of type in the drawing, scaled from the SVG's 800 px to the printed width, in points.
    const svg = renderChartSvg([{ name: '市发展改革委', value: 3 }], { title: '图' });
    const sizes = [...svg.matchAll(/font-size[:=]"?\s*(\d+(?:\.\d+)?)px/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    const smallestPt = (Math.min(...sizes) / 800) * (cm / 2.54) * 72;
    expect(smallestPt).toBeGreaterThanOrEqual(10.5);
  });
});

/**
 * Issue 17 (found at 100,000 items): when 表1's caption and header row fell at the foot of the first page, LibreOffice
 * printed the header alone — every data row of 表1 was missing from the 通报 (the header row may not split and repeats
 * on each page; with no room for a data row under it, the rows were dropped). The 通报 is made 24 times with 0 to 23
 * lines of text before 表1, so that in one of them it starts at every height of the page, and each row carries a
 * mark to find in the print. One LibreOffice run converts them all.
 */
maybe('a table that starts at the foot of a page keeps its rows (issue 17)', () => {
  const out = mkdtempSync(join(tmpdir(), 'bulletin-foot-'));
  const SHIFTS = 24;
  const ROWS = 10; // as many as 表1 has, one per 事项来源
  const mark = (row: number) => `mark${row}`;
  const name = (shift: number) => `shift${String(shift).padStart(2, '0')}`;

  beforeAll(async () => {
    const base = composeBulletin(fullMonth());
    const [first, ...rest] = base.sections;
    const sources = first.blocks.find((b) => b.type === 'table');
    if (sources?.type !== 'table') throw new Error('the composed 通报 has no table in its first section');
    const table = { ...sources.table, rows: Array.from({ length: ROWS }, (_, i) => [mark(i), ...sources.table.rows[i % sources.table.rows.length].slice(1)]) };
    const files: string[] = [];
    for (let shift = 0; shift < SHIFTS; shift++) {
      const filler = Array.from({ length: shift }, () => ({ type: 'paragraph' as const, text: '本段用于调整表格在页面中的位置。' }));
      const section = { ...first, blocks: [...filler, { type: 'table' as const, table }] };
      const docx = await renderBulletinDocx({ ...base, sections: [section, ...rest] }, { office: '市人民政府督查室', date: '2026年4月1日' });
      files.push(join(out, `${name(shift)}.docx`));
      writeFileSync(files[files.length - 1], docx);
    }
    const profile = `file://${join(out, 'profile')}`;
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files], {
      timeout: 180_000,
      stdio: 'ignore',
    });
  }, 240_000);
  afterAll(() => rmSync(join(out, 'profile'), { recursive: true, force: true }));

  it('every data row of 表1 is printed, wherever on the page the table starts', () => {
    const missing: string[] = [];
    for (let shift = 0; shift < SHIFTS; shift++) {
      const pdf = join(out, `${name(shift)}.pdf`);
      if (!existsSync(pdf)) throw new Error(`LibreOffice made no PDF of ${name(shift)} in ${out}`);
      const layout = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      for (let r = 0; r < ROWS; r++) if (!new RegExp(`\\b${mark(r)}\\b`).test(layout)) missing.push(`${name(shift)} ${mark(r)}`);
    }
    expect(missing).toEqual([]);
  });
});
