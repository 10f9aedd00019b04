import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue, ClueEvent } from '../../src/accountability/clue.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { Item } from '../../src/cases/item.entity';
import type { DeadlineSpec } from '../../src/cases/deadline.rules';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 7, done-when: an accountability clue opens by itself from an overdue item and runs through the whole A2
 * procedure; a wrong role at any step is refused and changes nothing.
 */
describe('责任追究: A1 triggers and the A2 procedure', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
  });
  afterAll(() => t?.close());

  async function openItem(title: string, node: '1d' | '7d' | DeadlineSpec = '1d', assign = true): Promise<string> {
    const deadline = typeof node === 'string' ? { node } : node;
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline },
        org.supervisor.actor,
      );
    if (!assign) return item.number;
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    return item.number;
  }

  it('A1 — 超过规定落实时限2天以上: a minute short of 2 days opens nothing; exactly 2 days (以上 includes the number) opens one clue, once, and tells the 督查室', async () => {
    t.clock.set(shanghaiInstant('2026-03-02', '09:00'));
    const number = await openItem('逾期未办');
    const s = t.get(AccountabilityService);
    // Deadline Tue 03-03 18:00 (C3: a 1d node ends at the day end); 2 working days later is Thu 03-05 18:00 — 以上 includes it.
    expect(await s.scanOverdue(shanghaiInstant('2026-03-05', '17:59'))).toBe(0);
    expect(await s.scanOverdue(shanghaiInstant('2026-03-05', '18:00'))).toBe(1);
    expect(await s.scanOverdue(shanghaiInstant('2026-03-05', '19:00'))).toBe(0);
    const clues = await t.db.getRepository(Clue).find();
    expect(clues).toHaveLength(1);
    expect(clues[0]).toMatchObject({ number: 'XS2026-0001', trigger: 'overdue', unitId: org.units.lead, state: 'clue_opened' });
    expect(clues[0].summary).toContain(number);
    // The 督查室, and (issue 14) the unit's group: the unit is told a clue concerning it opened, and what happens next — in
    // the reminders' one message of that moment (R10), with the unit's urge, not as a message of its own.
    expect(await t.db.getRepository(OutboxMessage).countBy({ kind: 'clue_notice' })).toBe(0);
    await t.get(ReminderScheduler).dispatch(shanghaiInstant('2026-03-05', '18:00'));
    const digests = await t.db.getRepository(OutboxMessage).findBy({ kind: 'reminder_digest' });
    const withClue = digests.filter((d) => JSON.stringify(d.payload).includes(`clue_opened`) && JSON.stringify(d.payload).includes(clues[0].number));
    expect(withClue.map((n) => n.target).sort()).toEqual([`group:${org.groups.lead}`, `person:${org.supervisor.id}`].sort());
  });

  it("A2: the whole procedure — hand-over, 核查, opinion, the leader's 审核 (card), 复核 returning once, 实施, result, 结果运用; a wrong role refused at every step", async () => {
    const http = t.http();
    const step = (who: { token: string }, action: string, body: object = {}) =>
      http
        .post(`/api/accountability/clues/XS2026-0001/${action}`)
        .set(bearer(who as never))
        .send(body);
    const opinion = {
      targets: [
        { target: 'unit', name: '市发展改革委', measures: ['bulletin', 'talk'] },
        { target: 'person', name: '张某', measures: ['admonition'] },
      ],
    };
    const walk: [string, object, { token: string }, { token: string }][] = [
      ['hand_over', { proposal: '建议对市发展改革委通报并约谈' }, org.supervisor, org.leader],
      ['start_verification', {}, org.supervisor, org.leadContact],
      ['verify', { report: { title: '核查报告', ref: '督核〔2026〕3号' } }, org.supervisor, org.owner],
      ['propose_opinion', opinion, org.supervisor, org.leader],
      ['audit_approve', { note: '同意' }, org.leader, org.supervisor],
      ['recheck_return', { reason: '措施偏重，请重新提出' }, org.supervisor, org.leader],
      ['propose_opinion', { targets: [{ target: 'unit', name: '市发展改革委', measures: ['bulletin'] }] }, org.supervisor, org.leadContact],
      ['audit_approve', {}, org.leader, org.owner],
      ['recheck_approve', {}, org.supervisor, org.leader],
      ['implement', { note: '已在《政务督查》第3期通报' }, org.supervisor, org.leader],
      ['report_result', { result: '通报已印发，单位已提交整改报告' }, org.supervisor, org.leadContact],
      ['apply_result', { scope: 'internal' }, org.supervisor, org.leader],
    ];
    const expected = [
      'handed_over',
      'verifying',
      'opinion',
      'audit',
      'recheck',
      'opinion',
      'audit',
      'recheck',
      'implementing',
      'implementing',
      'result_reported',
      'applied',
    ];
    for (const [i, [action, body, right, wrong]] of walk.entries()) {
      const before = await t.db.getRepository(Clue).findOneByOrFail({ number: 'XS2026-0001' });
      const refused = await step(wrong, action, body);
      expect([refused.status, refused.body.code]).toEqual([403, 'ACCOUNTABILITY.FORBIDDEN']);
      expect(await t.db.getRepository(Clue).findOneByOrFail({ number: 'XS2026-0001' })).toMatchObject({ state: before.state, version: before.version });
      const done = await step(right, action, body);
      expect([action, done.status, done.body.state]).toEqual([action, 200, expected[i]]);
    }
    // The leader's 审核 came as a one-to-one card, once per time the opinion reached 审核.
    const cards = await t.db.getRepository(OutboxMessage).findBy({ kind: 'clue_audit_card' });
    expect(cards.map((c) => [c.target, c.payload.subject])).toEqual([
      [`person:${org.leader.id}`, 'XS2026-0001'],
      [`person:${org.leader.id}`, 'XS2026-0001'],
    ]);
    // Everything is on the clue's timeline, and its file holds the documents.
    const clue = (await http.get('/api/accountability/clues/xs2026-1').set(bearer(org.leader)).expect(200)).body;
    expect(clue.timeline.map((e: { action: string }) => e.action)).toEqual(['opened', ...walk.map(([a]) => a)]);
    expect(clue.data).toMatchObject({
      proposal: '建议对市发展改革委通报并约谈',
      verification: { title: '核查报告', ref: '督核〔2026〕3号' },
      opinion: [{ target: 'unit', measures: ['bulletin'] }],
      scope: 'internal',
    });
    // A finished procedure takes no more steps.
    expect((await step(org.supervisor, 'implement', { note: '再来' })).body.code).toBe('ACCOUNTABILITY.ILLEGAL_TRANSITION');
  });

  it('A1 — the unit is late only if its answer did not come: a report before the deadline and an item never 交办 open nothing; the 2 days are working days, and clues wait for a working morning', async () => {
    t.clock.set(shanghaiInstant('2026-03-02', '09:00'));
    const s = t.get(AccountabilityService);
    const late = await openItem('周三到期未反馈', { date: '2026-03-04' });
    const answered = await openItem('按期反馈', { date: '2026-03-04' });
    await t.get(ItemCommandsService).report(answered, org.leadContact.actor, '已按期完成排查'); // Monday, before the deadline
    const never = await openItem('已立项未交办', { date: '2026-03-04' }, false);
    // Deadline Wed 03-04 18:00: 2 working days later is Fri 03-06 18:00.
    expect(await s.scanOverdue(shanghaiInstant('2026-03-06', '17:59'))).toBe(0);
    // Saturday, then Monday before 08:00 (quiet hours): held to the next working morning.
    expect(await s.scanOverdue(shanghaiInstant('2026-03-07', '10:00'))).toBe(0);
    expect(await s.scanOverdue(shanghaiInstant('2026-03-09', '07:59'))).toBe(0);
    expect(await s.scanOverdue(shanghaiInstant('2026-03-09', '08:00'))).toBe(1);
    const ids = async (n: string) => (await t.db.getRepository(Item).findOneByOrFail({ number: n })).id;
    const clued = (await t.db.getRepository(Clue).findBy({ trigger: 'overdue' })).map((c) => c.itemId);
    expect(clued).toContain(await ids(late));
    expect(clued).not.toContain(await ids(answered));
    expect(clued).not.toContain(await ids(never));
    const clue = (await t.db.getRepository(Clue).findOneByOrFail({ trigger: 'overdue', itemId: await ids(late) })).summary;
    expect(clue).not.toMatch(/^A1/);
    expect(clue).toContain('超过规定落实时限2天以上');
  });

  it('A3: an opinion with a wrong measure is refused in Chinese and nothing moves', async () => {
    const http = t.http();
    const opened = await http
      .post('/api/accountability/clues')
      .set(bearer(org.supervisor))
      .send({ unitId: org.units.other, reason: '群众举报推诿扯皮' })
      .expect(201);
    const n = opened.body.number;
    await http.post(`/api/accountability/clues/${n}/hand_over`).set(bearer(org.supervisor)).send({ proposal: '建议核查' }).expect(200);
    // Clear-cut: 核查 skipped, with the reason.
    await http.post(`/api/accountability/clues/${n}/skip_verification`).set(bearer(org.supervisor)).send({ reason: '事实清楚，单位已承认' }).expect(200);
    const bad = await http
      .post(`/api/accountability/clues/${n}/propose_opinion`)
      .set(bearer(org.supervisor))
      .send({ targets: [{ target: 'unit', name: '市教育局', measures: ['talk'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('对单位「市教育局」约谈主要负责人须与通报同时使用。');
    expect((await http.get(`/api/accountability/clues/${n}`).set(bearer(org.supervisor))).body.state).toBe('opinion');
  });

  it('A2 documents: a 核查报告 uploaded as a file is cited by a step as doc:<id>, kept on the clue, and downloads byte for byte', async () => {
    const http = t.http();
    const n = (await http.post('/api/accountability/clues').set(bearer(org.supervisor)).send({ unitId: org.units.co, reason: '台账造假' }).expect(201)).body
      .number;
    await http.post(`/api/accountability/clues/${n}/hand_over`).set(bearer(org.supervisor)).send({ proposal: '建议核查' }).expect(200);
    await http.post(`/api/accountability/clues/${n}/start_verification`).set(bearer(org.supervisor)).send({}).expect(200);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 7), Buffer.from('核查报告')]);
    await http
      .post(`/api/accountability/clues/${n}/documents?name=x.pdf`)
      .set(bearer(org.leadContact))
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(403);
    const up = await http
      .post(`/api/accountability/clues/${n}/documents?name=${encodeURIComponent('核查报告（终稿）.pdf')}`)
      .set(bearer(org.supervisor))
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(201);
    expect(up.body).toMatchObject({ ref: `doc:${up.body.id}`, name: '核查报告（终稿）.pdf', mime: 'application/pdf', size: pdf.length });
    // A step may only cite this clue's documents.
    const wrong = await http
      .post(`/api/accountability/clues/${n}/verify`)
      .set(bearer(org.supervisor))
      .send({ report: { title: '核查报告', ref: 'doc:99999' } });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'CLUE.DOCUMENT_NOT_FOUND']);
    await http
      .post(`/api/accountability/clues/${n}/verify`)
      .set(bearer(org.supervisor))
      .send({ report: { title: '核查报告', ref: up.body.ref } })
      .expect(200);
    const clue = (await http.get(`/api/accountability/clues/${n}`).set(bearer(org.leader)).expect(200)).body;
    expect(clue.data.verification).toEqual({ title: '核查报告', ref: up.body.ref });
    // Issue 15: the clue lists its uploaded files (not their bytes), so the console offers them for download.
    expect(clue.files).toEqual([
      {
        id: up.body.id,
        ref: up.body.ref,
        name: '核查报告（终稿）.pdf',
        size: pdf.length,
        uploadedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      },
    ]);
    expect(clue.timeline.map((e: { action: string }) => e.action)).toEqual(['opened', 'hand_over', 'start_verification', 'attached', 'verify']);
    const down = await http
      .get(`/api/accountability/documents/${up.body.id}`)
      .set(bearer(org.leader))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(down.body as Buffer, pdf)).toBe(0);
    expect(down.headers['content-disposition']).toContain(encodeURIComponent('核查报告（终稿）.pdf'));
  });

  it('A1: a result rated 不合格 and an obstruction the 督查室 records each open a clue by themselves', async () => {
    t.clock.set(shanghaiInstant('2026-03-10', '09:00'));
    const number = await openItem('评定不合格', '7d');
    const cmd = t.get(ItemCommandsService);
    await cmd.report(number, org.leadContact.actor, '已完成');
    await cmd.requestClosure(number, org.leadContact.actor, { summary: '完成' });
    await cmd.startReview(number, org.owner.actor);
    await cmd.rate(number, org.owner.actor, 'fail', '问题未解决');
    await t
      .http()
      .post('/api/scores/manual')
      .set(bearer(org.supervisor))
      .send({ rule: 'S10', unitId: org.units.co, kind: 'obstruction', reason: '拒绝提供台账' })
      .expect(201);
    const clues = await t.db.getRepository(Clue).find({ order: { id: 'ASC' } });
    expect(clues.slice(-2).map((c) => [c.trigger, c.unitId])).toEqual([
      ['review_finding', org.units.lead],
      ['obstruction', org.units.co],
    ]);
    expect(await t.db.getRepository(ClueEvent).countBy({ clueId: clues[clues.length - 1].id, action: 'opened' })).toBe(1);
  });
});

describe('S11 → A1: below base and in the bottom two for two years running', () => {
  it('opens one clue per unit that qualifies, once; a unit below base but not in the bottom two gets none', async () => {
    const t = await startTestApp({ now: shanghaiInstant('2027-01-05', '09:00') });
    try {
      const org = await seedOrg(t);
      const extra = (
        await t
          .http()
          .post('/api/units')
          .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
          .send({ code: 'SWJ', name: '市商务局' })
          .expect(201)
      ).body.id as number;
      // 2025 / 2026 totals: 发改委 110/108, 财政局 95/97 and 商务局 96/96 (the bottom two both years, below 100),
      // 教育局 97/104 (below 100 in 2025 but third, not bottom two).
      const points: [number, number, number][] = [
        [org.units.lead, 2025, 100],
        [org.units.lead, 2026, 80],
        [org.units.co, 2025, -50],
        [org.units.co, 2026, -30],
        [org.units.other, 2025, -30],
        [org.units.other, 2026, 40],
        [extra, 2025, -40],
        [extra, 2026, -40],
      ];
      for (const [unitId, year, tenths] of points) {
        await t.db.query(
          "INSERT INTO score_line (line_key, rule, unit_id, item_id, points_tenths, at, year, quarter, explanation, table_id, table_version, source) VALUES (?, 'S4', ?, NULL, ?, ?, ?, 2, 'test', 'default', 1, 'manual')",
          [`t:${unitId}:${year}`, unitId, tenths, new Date(`${year}-06-01T00:00:00Z`), year],
        );
      }
      const r = await t.http().post('/api/accountability/ranking/2026').set(bearer(org.supervisor)).expect(200);
      expect(r.body.opened).toHaveLength(2);
      const clues = await t.db.getRepository(Clue).find({ order: { unitId: 'ASC' } });
      expect(clues.map((c) => [c.trigger, c.unitId]).sort()).toEqual(
        [
          ['ranking', org.units.co],
          ['ranking', extra],
        ].sort(),
      );
      expect((await t.http().post('/api/accountability/ranking/2026').set(bearer(org.supervisor)).expect(200)).body.opened).toEqual([]);
      // Nobody has to ask: in January the tick looks at the year just closed — once a day, and never twice per unit.
      await t.db.query('DELETE FROM clue');
      const s = t.get(AccountabilityService);
      expect(await s.scanRanking(shanghaiInstant('2026-12-31', '09:00'))).toBe(0); // not January
      expect(await s.scanRanking(shanghaiInstant('2027-01-05', '09:00'))).toBe(2);
      expect(await s.scanRanking(shanghaiInstant('2027-01-05', '10:00'))).toBe(0);
      expect(await s.scanRanking(shanghaiInstant('2027-01-06', '09:00'))).toBe(0);
    } finally {
      await t.close();
    }
  });
});
