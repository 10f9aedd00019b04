import { marchFacts } from './bulletin.fixtures';
import { columnWidths } from './bulletin.docx';
import { composeBulletin, highlightsOf, unitChartRows, withHighlights, type BulletinDraft } from './bulletin.rules';

/** Issue 14 (defect 1): the summary's and the card's lines come from the draft as the 督查室 left it. */
describe('highlightsOf: the summary read from the draft itself', () => {
  const draft = composeBulletin(marchFacts());

  it('for a draft just composed, the same lines and counts as composed from the facts', () => {
    expect(highlightsOf(draft.sections)).toEqual(draft.highlights);
    expect(draft.highlights.criticismCount).toBe(3);
    expect(draft.highlights.criticism[0]).toBe('DB2026-0012 编制专项资金管理办法（市财政局，评定不合格：办理结果评定为不合格）');
    expect(draft.highlights.praise).toEqual(['DB2026-0007 落实惠企资金兑付（市财政局，良好）', 'DB2026-0031 推进老旧小区改造（市住建局，优秀）']);
  });

  it('a criticism row removed and the overview rewritten: the lines, the counts and the overview follow', () => {
    const edited: BulletinDraft = {
      ...draft,
      sections: draft.sections.map((s, i) => ({
        ...s,
        blocks: s.blocks.map((b, j) => {
          if (i === 0 && j === 0) return { type: 'paragraph' as const, text: '三月总体平稳。' };
          if (b.type === 'table' && b.table.headers.includes('问题类型')) return { ...b, table: { ...b.table, rows: b.table.rows.slice(1) } };
          return b;
        }),
      })),
    };
    const h = withHighlights(edited).highlights;
    expect(h.overview).toBe('三月总体平稳。');
    expect(h.criticismCount).toBe(2);
    expect(h.criticism.join()).not.toContain('DB2026-0012');
    expect(h.praiseCount).toBe(2);
  });

  it('a section deleted or a table without its columns: nothing to quote, no error', () => {
    const h = highlightsOf([{ heading: '三、批评', blocks: [{ type: 'table', table: { caption: '表', headers: ['单位', '办结'], rows: [['甲', '1']] } }] }]);
    expect(h).toEqual({ overview: '', praise: [], praiseCount: 0, criticism: [], criticismCount: 0 });
  });

  it('the chart reads the 各单位办理情况 table of the draft (null without one)', () => {
    expect(unitChartRows(draft)).toEqual([
      { name: '市财政局', closed: 2, registered: 3 },
      { name: '市交通运输局', closed: 2, registered: 4 },
      { name: '市住建局', closed: 3, registered: 5 },
    ]);
    expect(unitChartRows({ sections: [] })).toBeNull();
  });
});

/** Issue 14 (defect 3): fixed widths on the 15.6 cm type area (8,845 twips). */
describe('columnWidths', () => {
  const sum = (w: number[]) => w.reduce((a, b) => a + b, 0);

  it('criticism: number, type fixed; the unit at least five characters; the whole width used', () => {
    const w = columnWidths(['序号', '事项编号', '事项名称', '承办单位', '问题类型', '具体情况']);
    expect(sum(w)).toBe(8845);
    expect([w[0], w[1], w[4]]).toEqual([780, 1800, 1450]);
    expect(w[3]).toBeGreaterThanOrEqual(1450);
    expect(w[2]).toBeGreaterThan(w[5]);
  });

  it('a wide count table: 760 a count column, the unit the rest', () => {
    const w = columnWidths(['承办单位', '登记', '办结', '按期办结', '单位逾期未办结', '按期报结待审', '退回（件次）', '不合格（件次）', '重点督办']);
    expect(w.slice(1)).toEqual(Array(8).fill(760));
    expect(w[0]).toBe(8845 - 8 * 760);
  });

  it('the waiting list: the unit keeps its minimum, the name takes the rest', () => {
    const w = columnWidths(['序号', '事项编号', '事项名称', '承办单位', '办理环节', '申请办结日期']);
    expect(sum(w)).toBe(8845);
    expect(w[3]).toBeGreaterThanOrEqual(1450);
    expect(w[4]).toBe(1920);
  });
});

/** Issue 15: the praise and criticism lines the 督查室 chose by hand (added, removed, reordered). */
describe('withHighlights: lines chosen by hand', () => {
  const draft = composeBulletin(marchFacts());

  it('kept in their order across edits; the overview and the counts are still read from the sections', () => {
    const chosen = { ...draft.highlights, praise: ['DB2026-0031 推进老旧小区改造（市住建局，优秀）', '各单位普遍提速'], criticism: [], edited: true };
    const h = withHighlights({ ...draft, highlights: chosen }).highlights;
    expect(h).toEqual({ ...draft.highlights, praise: chosen.praise, criticism: [], edited: true });
  });

  it('a line quoting an item whose row was removed from its table goes; lines of the 督查室 without a number stay', () => {
    const chosen = { ...draft.highlights, criticism: ['本月另有一件事项正在核实', ...draft.highlights.criticism], edited: true };
    const sections = draft.sections.map((s) => ({
      ...s,
      blocks: s.blocks.map((b) =>
        b.type === 'table' && b.table.headers.includes('问题类型')
          ? { ...b, table: { ...b.table, rows: b.table.rows.filter((r) => r[1] !== 'DB2026-0012') } }
          : b,
      ),
    }));
    const h = withHighlights({ ...draft, sections, highlights: chosen }).highlights;
    expect(h.criticism).toEqual(['本月另有一件事项正在核实', ...draft.highlights.criticism.filter((l) => !l.startsWith('DB2026-0012'))]);
    expect(h.criticismCount).toBe(2);
  });
});
