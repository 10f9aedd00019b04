import { shanghaiInstant } from '../shared/shanghai-time';
import { marchFacts, sourceFigures, unitFigures } from './bulletin.fixtures';
import {
  bulletinFactProblems,
  composeBulletin,
  cutUtf8,
  draftToMarkdown,
  draftToPlainText,
  onTimeRate,
  utf8Bytes,
  type BulletinDraft,
  type BulletinTable,
} from './bulletin.rules';

const section = (d: BulletinDraft, heading: string) => d.sections.find((s) => s.heading === heading)!;
const paragraphs = (d: BulletinDraft, heading: string) => section(d, heading).blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
const tables = (d: BulletinDraft, heading: string): BulletinTable[] => section(d, heading).blocks.flatMap((b) => (b.type === 'table' ? [b.table] : []));
const reversed = <T>(xs: T[]) => [...xs].reverse();

describe('B1 composeBulletin: monthly 《政务督查》', () => {
  const draft = composeBulletin(marchFacts());

  it('titles the issue with its 期号 and the period', () => {
    expect(draft.title).toBe('政务督查 2026年第3期');
    expect(draft.subtitle).toBe('2026年3月督查督办事项落实情况');
    expect(draft.issueLabel).toBe('2026年第3期');
    expect(draft.recipients).toBe('各县（市、区）人民政府，市政府各部门');
    expect(draft.intro).toBe('现将2026年3月督查督办事项落实情况通报如下：');
  });

  it('has the six sections in 公文 order', () => {
    expect(draft.sections.map((s) => s.heading)).toEqual(['一、总体情况', '二、表扬', '三、批评', '四、分单位情况', '五、积分排名', '六、下步工作要求']);
  });

  it('B2: 总体情况 quotes the totals exactly (rate = 6/7 = 85.7%)', () => {
    expect(paragraphs(draft, '一、总体情况')[0]).toBe(
      '2026年3月1日至3月31日，共登记督办事项12件，办结7件，其中按期办结6件，按期办结率85.7%。截至2026年3月31日，承办单位未按期反馈的未办结事项2件。' +
        '本期办理报告被退回3件次，办理结果评定为不合格1件次，转入重点督办事项1件。',
    );
  });

  it('B2: every number in 总体情况 comes from the facts, the period or the one derived rate', () => {
    const t = marchFacts().totals;
    const allowed = new Set([...Object.values(t).map(String), '2026', '3', '1', '31', '85.7']);
    const numbers = paragraphs(draft, '一、总体情况')[0].match(/\d+(?:\.\d+)?/g)!;
    expect(numbers.filter((n) => !allowed.has(n))).toEqual([]);
  });

  it('lists sources in C1 order with SOURCES labels, leaving out sources with nothing to report', () => {
    const [bySource] = tables(draft, '一、总体情况');
    expect(bySource.caption).toBe('表1　按事项来源统计');
    expect(bySource.rows.map((r) => r[0])).toEqual(['会议议定事项', '领导批示', '市长热线']);
    expect(bySource.rows[1]).toEqual(['领导批示', '6', '4', '3', '1', '0', '2', '1', '1']);
    expect(paragraphs(draft, '一、总体情况')[1]).toBe('从事项来源看，本期登记会议议定事项4件、领导批示6件、市长热线2件。各类来源事项办理情况见表1。');
  });

  it('B1 praise: items by number, units in zh-CN (pinyin) order, ratings by RATINGS label', () => {
    expect(paragraphs(draft, '二、表扬')).toEqual(['市财政局、市住建局共2个单位的2件督办事项按期办结或办理结果评定为优秀、良好，予以通报表扬（详见表2）。']);
    const [t] = tables(draft, '二、表扬');
    expect(t.caption).toBe('表2　通报表扬事项');
    expect(t.rows).toEqual([
      ['1', 'DB2026-0007', '落实惠企资金兑付', '市财政局', '良好', '2026-03-09'],
      ['2', 'DB2026-0031', '推进老旧小区改造', '市住建局', '优秀', '2026-03-20'],
    ]);
  });

  it('B1, A1 — 按期申请办结 items waiting for 审核/审定 are listed on their own line and table under 三、批评, not criticised', () => {
    const d = composeBulletin(
      marchFacts({
        totals: { ...marchFacts().totals, awaiting: 2 },
        awaiting: [
          { number: 'DB2026-0050', title: '优化营商环境专项行动', unitName: '市住建局', stage: 'approval', askedAt: new Date('2026-03-05T02:00:00Z') },
          { number: 'DB2026-0044', title: '推进政务服务一网通办', unitName: '市财政局', stage: 'review', askedAt: new Date('2026-03-04T02:00:00Z') },
        ],
      }),
    );
    expect(paragraphs(d, '三、批评').at(-1)).toBe(
      '另有市财政局、市住建局的2件事项已过办理时限，但承办单位已按期申请办结，正待审核或审定，不属于承办单位逾期，不予批评（详见表4）；请立项主体和分管领导抓紧审核、审定。',
    );
    expect(tables(d, '三、批评')[1]).toEqual({
      caption: '表4　按期申请办结待审核审定事项',
      headers: ['序号', '事项编号', '事项名称', '承办单位', '办理环节', '申请办结日期'],
      rows: [
        ['1', 'DB2026-0044', '推进政务服务一网通办', '市财政局', '待立项主体审核', '2026-03-04'],
        ['2', 'DB2026-0050', '优化营商环境专项行动', '市住建局', '待分管领导审定', '2026-03-05'],
      ],
    });
    expect(tables(d, '三、批评')[0].rows.map((r) => r[1])).not.toContain('DB2026-0050');
    expect(d.highlights.overview).toContain('承办单位未按期反馈的未办结事项2件；已按期申请办结、待审核或审定事项2件。');
    // With nothing to criticise the line still stands, after the sentence that says so.
    const calm = composeBulletin(
      marchFacts({
        criticism: [],
        awaiting: [
          { number: 'DB2026-0050', title: '优化营商环境专项行动', unitName: '市住建局', stage: 'approval', askedAt: new Date('2026-03-05T02:00:00Z') },
        ],
      }),
    );
    expect(paragraphs(calm, '三、批评')[0]).toBe('本期无需通报批评的事项。');
    expect(paragraphs(calm, '三、批评')[1]).toContain('另有市住建局的1件事项已过办理时限，但承办单位已按期申请办结');
  });

  it('B2 — facts stored before issue 13 (no awaiting count, no list) still compose', () => {
    const old = marchFacts();
    delete (old.totals as Partial<typeof old.totals>).awaiting;
    delete old.awaiting;
    const d = composeBulletin(old);
    expect(tables(d, '一、总体情况')[0].rows[0]).toContain('0');
    expect(bulletinFactProblems(old)).toEqual([]);
  });

  it('B1 criticism: one （一）（二）… paragraph per reason in late → returned → failed → 重点督办 order; the table by number then reason', () => {
    expect(paragraphs(draft, '三、批评')).toEqual([
      '（一）逾期办理。市交通运输局共1件事项未在规定时限内办理反馈。',
      '（二）办理结果不合格。市财政局共1件事项的办理结果被评定为不合格。',
      '（三）转入重点督办。市交通运输局共1件事项已转入重点督办。',
      '对上述单位予以通报批评（详见表3），请认真分析原因，切实整改到位。',
    ]);
    expect(tables(draft, '三、批评')[0].rows).toEqual([
      ['1', 'DB2026-0012', '编制专项资金管理办法', '市财政局', '评定不合格', '办理结果评定为不合格'],
      ['2', 'DB2026-0042', '整治城区道路积水点', '市交通运输局', '逾期办理', '逾期5天未办结'],
      ['3', 'DB2026-0042', '整治城区道路积水点', '市交通运输局', '重点督办', '逾期3天转入重点督办'],
    ]);
  });

  it('B4 by unit: units sorted by name in zh-CN collation (财 cai < 交 jiao < 住 zhu), figures as given', () => {
    const [t] = tables(draft, '四、分单位情况');
    expect(t.caption).toBe('表4　各单位办理情况');
    expect(t.headers).toEqual(['承办单位', '登记', '办结', '按期办结', '单位逾期未办结', '按期报结待审', '退回（件次）', '不合格（件次）', '重点督办']);
    expect(t.rows).toEqual([
      ['市财政局', '3', '2', '2', '0', '0', '0', '1', '0'],
      ['市交通运输局', '4', '2', '1', '2', '0', '2', '0', '1'],
      ['市住建局', '5', '3', '3', '0', '0', '1', '0', '0'],
    ]);
  });

  it('units of the same name keep a stable order by unitId', () => {
    const d = composeBulletin(marchFacts({ byUnit: [unitFigures(9, '市财政局', { registered: 9 }), unitFigures(2, '市财政局', { registered: 2 })] }));
    expect(tables(d, '四、分单位情况')[0].rows.map((r) => r[1])).toEqual(['2', '9']);
  });

  it('ranking (S1–S11 totals): by rank, totals plain and the year’s points with formatPoints (U+2212 minus)', () => {
    const [t] = tables(draft, '五、积分排名');
    expect(t.rows).toEqual([
      ['1', '市住建局', '104.5', '+4.5'],
      ['2', '市财政局', '101', '+1'],
      ['3', '市交通运输局', '93.5', '−6.5'],
    ]);
    expect(paragraphs(draft, '五、积分排名')).toEqual(['截至2026年3月31日，各单位激励积分排名情况见表5。']);
  });

  it('下步工作要求 names the issuing office and quotes no figures', () => {
    const texts = paragraphs(draft, '六、下步工作要求');
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('市人民政府督查室将对重点督办事项持续跟踪问效');
    expect(texts.join('').match(/\d/)).toBeNull();
  });

  it('highlights carry the overview and the first praise and criticism lines', () => {
    expect(draft.highlights.praise).toEqual(['DB2026-0007 落实惠企资金兑付（市财政局，良好）', 'DB2026-0031 推进老旧小区改造（市住建局，优秀）']);
    expect(draft.highlights.criticism[0]).toBe('DB2026-0012 编制专项资金管理办法（市财政局，评定不合格：办理结果评定为不合格）');
    expect(draft.highlights.criticismCount).toBe(3);
  });
});

describe('B1 quarterly and 重点督办 bulletins', () => {
  const q1 = { from: shanghaiInstant('2026-01-01'), to: shanghaiInstant('2026-04-01'), label: '2026年第一季度' };

  it('quarterly: 关于…的通报, no subtitle, the quarter spelt out', () => {
    const d = composeBulletin(marchFacts({ kind: 'quarterly', period: q1, issue: { year: 2026, number: 1 } }));
    expect(d.title).toBe('关于2026年第一季度督查督办事项落实情况的通报');
    expect(d.subtitle).toBeNull();
    expect(paragraphs(d, '一、总体情况')[0]).toMatch(/^2026年1月1日至3月31日，共登记督办事项12件/);
  });

  it('a period across the new year repeats the year', () => {
    const d = composeBulletin(
      marchFacts({ period: { from: shanghaiInstant('2025-12-01'), to: shanghaiInstant('2026-03-01'), label: '2025年12月至2026年2月' } }),
    );
    expect(paragraphs(d, '一、总体情况')[0]).toMatch(/^2025年12月1日至2026年2月28日，/);
  });

  it('R5 key_supervision: leads with the items that entered 重点督办', () => {
    const d = composeBulletin(marchFacts({ kind: 'key_supervision' }));
    expect(d.title).toBe('关于2026年3月重点督办事项办理情况的通报');
    expect(paragraphs(d, '一、总体情况')[0]).toBe(
      '2026年3月1日至3月31日，共有1件事项转入重点督办；截至2026年3月31日，承办单位未按期反馈的未办结事项2件。' +
        '同期共登记督办事项12件，办结7件，其中按期办结6件，按期办结率85.7%；办理报告被退回3件次，办理结果评定为不合格1件次。',
    );
  });

  it('empty lists give a sentence, not an empty table; no rate when nothing closed', () => {
    const d = composeBulletin(
      marchFacts({
        totals: { registered: 2, closed: 0, onTime: 0, overdue: 0, awaiting: 0, returned: 0, failed: 0, keySupervision: 0 },
        byUnit: [],
        bySource: [sourceFigures('other', {})],
        praise: [],
        criticism: [],
        ranking: [],
      }),
    );
    expect(paragraphs(d, '一、总体情况')[0]).toContain('办结0件，其中按期办结0件。');
    expect(paragraphs(d, '二、表扬')).toEqual(['本期无符合通报表扬条件的事项。']);
    expect(paragraphs(d, '三、批评')).toEqual(['本期无需通报批评的事项。']);
    expect(paragraphs(d, '四、分单位情况')).toEqual(['本期无分单位统计数据。']);
    expect(paragraphs(d, '五、积分排名')).toEqual(['本期不发布激励积分排名。']);
    expect(d.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'table')).toEqual([]);
  });
});

describe('onTimeRate', () => {
  it.each([
    [6, 7, '85.7'],
    [1, 8, '12.5'],
    [1, 3, '33.3'],
    [2, 3, '66.7'],
    [5, 5, '100.0'],
    [0, 0, null],
  ])('%i of %i → %s', (onTime, closed, rate) => expect(onTimeRate(onTime, closed)).toBe(rate));
});

describe('B2 reproduction: draftToPlainText', () => {
  it('is the same whatever order the facts arrive in', () => {
    const f = marchFacts();
    const shuffled = marchFacts({
      byUnit: reversed(f.byUnit),
      bySource: reversed(f.bySource),
      praise: reversed(f.praise),
      criticism: [f.criticism[2], f.criticism[0], f.criticism[1]],
      ranking: reversed(f.ranking),
    });
    expect(draftToPlainText(composeBulletin(shuffled))).toBe(draftToPlainText(composeBulletin(f)));
  });

  it('prints the draft in reading order, tables as tab-separated rows', () => {
    const text = draftToPlainText(composeBulletin(marchFacts()));
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '政务督查 2026年第3期',
      '2026年3月督查督办事项落实情况',
      '2026年第3期',
      '市人民政府督查室',
      '',
      '各县（市、区）人民政府，市政府各部门：',
      '现将2026年3月督查督办事项落实情况通报如下：',
    ]);
    expect(lines).toContain('表4　各单位办理情况');
    expect(lines).toContain('市交通运输局\t4\t2\t1\t2\t0\t2\t0\t1');
    expect(text.endsWith('\n市人民政府督查室\n')).toBe(true);
    expect(text.indexOf('二、表扬')).toBeLessThan(text.indexOf('三、批评'));
  });
});

describe('cutUtf8', () => {
  it.each([
    [0, ''],
    [1, 'a'],
    [3, 'a'],
    [4, 'a中'],
    [7, 'a中'],
    [8, 'a中😀'],
  ])('%i bytes of "a中😀" → %j (1 + 3 + 4 bytes; never half a character)', (max, out) => expect(cutUtf8('a中😀', max)).toBe(out));

  it('utf8Bytes agrees with Buffer', () => {
    for (const s of ['', 'abc', '政务督查', 'a中😀', '—……']) expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('B2 draftToMarkdown: the chat broadcast', () => {
  const opts = { chartUrl: 'https://duban.example/b/3/chart.png', fullTextUrl: 'https://duban.example/b/3' };
  const draft = composeBulletin(marchFacts());

  it('fits whole when there is room: title, overview, chart, praise, criticism, link', () => {
    const md = draftToMarkdown(draft, { ...opts, maxBytes: 20_000 });
    expect(
      md.startsWith(
        '### 政务督查 2026年第3期\n\n**2026年3月督查督办事项落实情况**\n\n市人民政府督查室　2026年3月\n\n**总体情况**：2026年3月1日至3月31日，共登记督办事项12件',
      ),
    ).toBe(true);
    expect(md).toContain('\n\n![图表](https://duban.example/b/3/chart.png)\n\n');
    expect(md).toContain('**表扬**（2项）\n- DB2026-0007 落实惠企资金兑付（市财政局，良好）');
    expect(md).toContain('**批评**（3项）\n- DB2026-0012');
    expect(md.endsWith('\n\n[查看通报全文](https://duban.example/b/3)')).toBe(true);
    expect(md).not.toContain('……');
  });

  it('leaves out the chart line when no chart is given, and says how many more items the full text has', () => {
    const many = marchFacts({
      praise: Array.from({ length: 5 }, (_, i) => ({
        number: `DB2026-00${50 + i}`,
        title: '事项',
        unitName: '市住建局',
        rating: null,
        closedAt: new Date('2026-03-02T00:00:00Z'),
      })),
    });
    const md = draftToMarkdown(composeBulletin(many), { maxBytes: 20_000 });
    expect(md).not.toContain('![');
    expect(md).toContain('**表扬**（5项）');
    expect(md).toContain('- DB2026-0050 事项（市住建局，按期办结）');
    expect(md).toContain('- ……等5项，详见全文');
    expect(md).not.toContain('DB2026-0053');
  });

  it('cut at any byte limit: within the limit, whole characters, never half an image or link, ends with …… and the link', () => {
    const emoji = composeBulletin(marchFacts({ praise: [{ ...marchFacts().praise[0], title: '推进😀老旧小区改造' }] }));
    const whole = draftToMarkdown(emoji, { ...opts, maxBytes: 1e6 });
    const link = '[查看通报全文](https://duban.example/b/3)';
    for (let max = utf8Bytes(`……\n\n${link}`) + 2; max < utf8Bytes(whole); max += 1) {
      const md = draftToMarkdown(emoji, { ...opts, maxBytes: max });
      expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(max);
      expect(md).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
      expect(md).not.toContain('\uFFFD');
      expect(md.endsWith(`……\n\n${link}`) || md.endsWith(`\n\n……\n\n${link}`)).toBe(true);
      for (const l of md.split('\n')) if (l.startsWith('![') || l.startsWith('[')) expect(l).toMatch(/\)$/);
      expect((md.match(/\*\*/g) ?? []).length % 2).toBe(0);
      expect(whole.startsWith(md.slice(0, md.lastIndexOf('……')).trimEnd())).toBe(true);
    }
  });

  it('a cut keeps the chart when there is room for the overview and the chart', () => {
    const md = draftToMarkdown(draft, { ...opts, maxBytes: 700 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(700);
    expect(md).toContain('![图表](https://duban.example/b/3/chart.png)');
    expect(md).toMatch(/……\n\n\[查看通报全文\]\(https:\/\/duban\.example\/b\/3\)$/);
  });
});

describe('bulletinFactProblems', () => {
  it('accepts the fixture', () => expect(bulletinFactProblems(marchFacts())).toEqual([]));

  it('refuses impossible figures with coded problems', () => {
    const f = marchFacts({
      period: { from: shanghaiInstant('2026-04-01'), to: shanghaiInstant('2026-03-01'), label: 'x' },
      issue: { year: 2026, number: 0 },
      totals: { registered: 1, closed: 1, onTime: 2, overdue: -1, awaiting: 0, returned: 0, failed: 0, keySupervision: 0.5 },
      bySource: [sourceFigures('nowhere' as never, {})],
    });
    expect(bulletinFactProblems(f).map((p) => `${p.code} ${p.field}`)).toEqual([
      'BULLETIN.BAD_PERIOD period',
      'BULLETIN.BAD_ISSUE issue.number',
      'BULLETIN.BAD_COUNT totals.overdue',
      'BULLETIN.BAD_COUNT totals.keySupervision',
      'BULLETIN.ON_TIME_EXCEEDS_CLOSED totals.onTime',
      'BULLETIN.BAD_SOURCE bySource[0].source',
    ]);
  });
});
