import JSZip from 'jszip';
import { BulletinService } from '../../src/bulletins/bulletin.service';
import { draftToPlainText } from '../../src/bulletins/bulletin.rules';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegisterInput, RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 13 §3, done-when: "The 通报 test has a unit that asked for closure on time and a leader who signed late: the
 * unit is not criticised, the item is listed as awaiting approval." DOMAIN A1: "Overdue has one meaning everywhere: the
 * unit's answering report or closure request did not arrive by the deadline (a late leader sign-off does not make the
 * unit late)"; B1 names units to praise (on time) and to criticise (late); B4 the statistics say the same.
 */
describe('B1, B4 — the 通报 judges the unit by its answer, not by the leader’s sign-off', () => {
  let t: TestApp;
  let org: Org;
  const n: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    const base = (title: string, leadUnitId: number): RegisterInput => ({
      title,
      content: '内容',
      source: 'meeting',
      ownerId: org.owner.id,
      leaderId: org.leader.id,
      leadUnitId,
      deadline: { date: '2026-03-06' }, // Friday 18:00
    });
    const open = async (key: string, title: string, unit: number, contact: Org['leadContact']) => {
      n[key] = (await reg.register(base(title, unit), org.supervisor.actor)).number;
      await cmd.assign(n[key], org.owner.actor);
      await cmd.sign(n[key], contact.actor);
    };
    await open('waiting', '优化营商环境专项行动', org.units.lead, org.leadContact);
    await open('signedLate', '推进政务服务一网通办', org.units.lead, org.leadContact);
    await open('late', '清理拖欠企业账款', org.units.co, org.coContact);

    // Thursday: 市发展改革委 asks for closure of both its items, on time; the owner rates them at once.
    t.clock.set(shanghaiInstant('2026-03-05', '10:00'));
    for (const k of ['waiting', 'signedLate']) {
      await cmd.requestClosure(n[k], org.leadContact.actor, { summary: '已全部完成' });
      await cmd.rate(n[k], org.owner.actor, 'good');
    }
    // The leader signs one of them two weeks after the deadline, and leaves the other waiting past the month's end.
    t.clock.set(shanghaiInstant('2026-03-20', '10:00'));
    await cmd.signOff(n.signedLate, org.leader.actor);
    // 市财政局 never answers.
    t.clock.set(shanghaiInstant('2026-04-01', '09:00'));
  });
  afterAll(() => t?.close());

  it('B1 — a unit that asked for closure on time is not criticised; its item is listed as 待审定; the unit that did not answer is', async () => {
    const b = await t.get(BulletinService).generate({ kind: 'monthly', period: '2026-03' }, org.supervisor.actor);
    const text = draftToPlainText(b.draft);
    const criticism = b.draft.sections.find((s) => s.heading === '三、批评')!;
    const criticised = criticism.blocks.flatMap((x) => (x.type === 'table' && x.table.caption.includes('通报批评') ? x.table.rows.map((r) => r[1]) : []));
    expect(criticised).toEqual([n.late]);
    const awaiting = criticism.blocks.find((x) => x.type === 'table' && x.table.caption.includes('待审'));
    expect(awaiting?.type === 'table' && awaiting.table.rows.map((r) => [r[1], r[3], r[4]])).toEqual([
      [n.waiting, '市发展改革委', '待分管领导审定，已等待18个工作日'],
    ]);
    expect(text).toContain('承办单位已按期申请办结');
    expect(text).not.toMatch(/市发展改革委[^\n]*未在规定时限内/);
    // The item the leader signed late is praised as on time: the unit's answer came before the deadline.
    const praised = b.draft.sections.find((s) => s.heading === '二、表扬')!;
    expect(JSON.stringify(praised)).toContain(n.signedLate);
    expect(b.draft.highlights.overview).toContain('办结1件，其中按期办结1件，按期办结率100.0%');
    expect(b.draft.highlights.overview).toContain('承办单位未按期反馈的未办结事项1件');
    expect(b.draft.highlights.overview).toContain('已按期申请办结、待审核或审定事项1件');
    // The .docx prints the same line, and the figures reproduce from the database (B2).
    const docx = await t.get(BulletinService).docx(b.number);
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')!.async('string');
    expect(xml).toContain('待分管领导审定');
    expect(await t.get(BulletinService).reproduce(b.number)).toMatchObject({ equal: true });
  });

  it('B4 — the statistics count on time and late by the unit’s answer', async () => {
    const s = (await t.http().get('/api/statistics?from=2026-03-01&to=2026-03-31').set(bearer(org.leader)).expect(200)).body;
    expect(s.totals).toMatchObject({ registered: 3, closed: 1, onTime: 1, overdue: 1, awaiting: 1 });
    expect(s.byMonth).toEqual([
      { label: '2026年3月登记', registered: 3, closed: 1, onTime: 1, overdue: 1, awaiting: 1, returned: 0, failed: 0, keySupervision: 0 },
    ]);
  });
});
