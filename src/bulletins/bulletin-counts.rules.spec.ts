import { marchFacts } from './bulletin.fixtures';
import { composeBulletin, draftToPlainText, type BulletinDraft, type BulletinSection, type BulletinTable } from './bulletin.rules';
import { countsTableRows, recountSections } from './bulletin-counts.rules';

const draft = composeBulletin(
  marchFacts({
    awaiting: [
      { number: 'DB2026-0050', title: '修订公园管理办法', unitName: '市住建局', stage: 'approval', askedAt: new Date('2026-03-10T02:00:00Z'), waitedDays: 4 },
      { number: 'DB2026-0051', title: '核定公交线路补贴', unitName: '市交通运输局', stage: 'review', askedAt: new Date('2026-03-12T02:00:00Z'), waitedDays: 2 },
    ],
  }),
);

const section = (sections: readonly BulletinSection[], heading: string) => sections.find((s) => s.heading.includes(heading))!;
const paragraphs = (s: BulletinSection) => s.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
const tables = (sections: readonly BulletinSection[]) => sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : [])));
/** The draft's sections with the rows of the table whose headers include `marker` changed by `rows`. */
function withRows(marker: string, rows: (t: BulletinTable) => string[][], from: BulletinDraft = draft): BulletinSection[] {
  return from.sections.map((s) => ({
    heading: s.heading,
    blocks: s.blocks.map((b) =>
      b.type === 'table' && b.table.headers.includes(marker) ? { type: 'table' as const, table: { ...b.table, rows: rows(b.table) } } : b,
    ),
  }));
}

/** Issue 15 (B1, B2): the sentences that count a table's rows say what the rows say, after the 督查室 removed or added rows. */
describe('recountSections: the counting sentences follow the rows (B2)', () => {
  it('a draft just composed is left exactly as it is (every counting sentence already says its rows)', () => {
    expect(recountSections(draft.sections)).toEqual(draft.sections);
    const empty = composeBulletin(marchFacts({ praise: [], criticism: [], byUnit: [], ranking: [] }));
    expect(recountSections(empty.sections)).toEqual(empty.sections);
  });

  it('B1: the one 不合格 row removed — its sentence goes, the others are numbered again and say their units and counts', () => {
    const sections = recountSections(withRows('问题类型', (t) => t.rows.filter((r) => r[1] !== 'DB2026-0012')));
    const p = paragraphs(section(sections, '批评'));
    expect(p.slice(0, 2)).toEqual([
      '（一）逾期办理。市交通运输局共1件事项未在规定时限内办理反馈。',
      '（二）转入重点督办。市交通运输局共1件事项已转入重点督办。',
    ]);
    expect(p.join()).not.toContain('不合格');
  });

  it('a row added with another kind of problem: its sentence is added in its place, with the unit', () => {
    const sections = recountSections(
      withRows('问题类型', (t) => [...t.rows, ['4', 'DB2026-0060', '修缮学校校舍', '市住建局', '报告被退回', '第1次退回：未附佐证材料']]),
    );
    const p = paragraphs(section(sections, '批评'));
    expect(p[1]).toBe('（二）办理报告被退回。市住建局共1件事项的办理报告不符合要求，被退回重新办理。');
    expect(p[2]).toBe('（三）办理结果不合格。市财政局共1件事项的办理结果被评定为不合格。');
    expect(p[3]).toBe('（四）转入重点督办。市交通运输局共1件事项已转入重点督办。');
  });

  it('praise: a row removed — the units and the count; words the 督查室 put before the units are kept', () => {
    const edited = withRows('评定等次', (t) => t.rows.slice(1));
    const s = section(edited, '表扬');
    const at = s.blocks.findIndex((b) => b.type === 'paragraph');
    s.blocks[at] = { type: 'paragraph', text: `经逐件核实，${(s.blocks[at] as { text: string }).text}` };
    expect(paragraphs(section(recountSections(edited), '表扬'))[0]).toBe(
      '经逐件核实，市住建局共1个单位的1件督办事项按期办结或办理结果评定为优秀、良好，予以通报表扬（详见表2）。',
    );
  });

  it('every praise row removed: 「本期无…」, the empty table is not published, the later tables and their citations are numbered again', () => {
    const sections = recountSections(withRows('评定等次', () => []));
    expect(section(sections, '表扬').blocks).toEqual([{ type: 'paragraph', text: '本期无符合通报表扬条件的事项。' }]);
    expect(tables(sections).map((t) => t.caption.slice(0, 3))).toEqual(['表1　', '表2　', '表3　', '表4　', '表5　']);
    expect(paragraphs(section(sections, '批评')).join()).toContain('（详见表2）');
    expect(paragraphs(section(sections, '分单位')).join()).toBe('3个承办单位的督办事项办理情况见表4。');
    // …but in the form, the empty table stays for a row to be added back.
    const kept = recountSections(
      withRows('评定等次', () => []),
      { dropEmpty: false },
    );
    expect(tables(kept)).toHaveLength(6);
  });

  it('the waiting list, the units and the sources: counts and lists from their rows', () => {
    let sections = recountSections(withRows('办理环节', (t) => t.rows.slice(0, 1)));
    expect(paragraphs(section(sections, '批评')).find((p) => p.startsWith('另有'))).toMatch(/^另有市住建局的1件事项已过办理时限/);
    sections = recountSections(withRows('办结', (t) => (t.headers[0] === '承办单位' ? t.rows.slice(1) : t.rows)));
    expect(paragraphs(section(sections, '分单位'))).toEqual(['2个承办单位的督办事项办理情况见表5。']);
    sections = recountSections(withRows('事项来源', (t) => t.rows.map((r) => (r[0] === '领导批示' ? [r[0], '5', ...r.slice(2)] : r))));
    expect(paragraphs(section(sections, '总体情况'))[1]).toBe('从事项来源看，本期登记会议议定事项4件、领导批示5件、市长热线2件。各类来源事项办理情况见表1。');
  });

  it('a sentence the 督查室 wrote in its own words is left as written; the plain text changes only where a count changed', () => {
    const own = draft.sections.map((s) =>
      s.heading.includes('表扬') ? { ...s, blocks: s.blocks.map((b) => (b.type === 'paragraph' ? { ...b, text: '两个单位表现突出。' } : b)) } : s,
    );
    expect(recountSections(own)).toEqual(own);
    // Only the changed sentences differ in the plain text: the one removed and the one numbered again.
    const before = draftToPlainText(draft).split('\n');
    const after = draftToPlainText({ ...draft, sections: recountSections(withRows('问题类型', (t) => t.rows.slice(1))) }).split('\n');
    expect(after.filter((l) => !before.includes(l))).toEqual([
      '（二）转入重点督办。市交通运输局共1件事项已转入重点督办。',
      '1\tDB2026-0042\t整治城区道路积水点\t市交通运输局\t逾期办理\t逾期5天未办结',
      '2\tDB2026-0042\t整治城区道路积水点\t市交通运输局\t重点督办\t逾期3天转入重点督办',
    ]);
    expect(countsTableRows('3个承办单位的督办事项办理情况见表4。')).toBe(true);
    expect(countsTableRows('两个单位表现突出。')).toBe(false);
  });
});
