import { Item } from '../../src/cases/item.entity';
import { MessageKinds } from '../../src/outbox/message-kinds';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * E2 by board over the API (issue 13 §4): an approved extension, where it takes the item, what the timeline and the
 * unit are told, and the reminders the item then gets (the preview of the policy in force).
 */
describe('E2 by board: 持续跟进 for daily items, 持续推进 for key tasks and reforms', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const post = (url: string, who: Someone, body: object = {}) => t.http().post(url).set(bearer(who)).send(body);

  async function extended(board: 'daily' | 'key_task', title: string, newDeadline: string): Promise<{ n: string; approved: { board: string } }> {
    t.clock.set(shanghaiInstant('2026-03-02', '09:00'));
    const reg = await post('/api/items', org.supervisor, {
      title,
      content: '内容',
      source: 'work_report',
      board,
      ownerId: org.owner.id,
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      deadlineDate: '2026-03-20',
    }).expect(201);
    const n: string = reg.body.number;
    await post(`/api/items/${n}/assign`, org.owner).expect(200);
    await post(`/api/items/${n}/sign`, org.leadContact).expect(200);
    t.clock.set(shanghaiInstant('2026-03-10', '10:00'));
    const ext = await post(`/api/items/${n}/extension-requests`, org.leadContact, { newDeadline, reason: '需分阶段推进', plan: '按月推进' }).expect(201);
    const approved = await post(`/api/items/${n}/extension-requests/${ext.body.result.requestId}/approve`, org.owner, { note: '同意' }).expect(200);
    return { n, approved: approved.body };
  }

  const lastSummary = async (n: string) => {
    const tl = await t.http().get(`/api/items/${n}/timeline`).set(bearer(org.supervisor)).expect(200);
    return tl.body.events.filter((e: { type: string }) => e.type === 'extension_approved').map((e: { summary: string }) => e.summary);
  };
  const rulesAhead = async (n: string, days: number) => {
    const p = await t.http().post('/api/reminder-policies/preview').set(bearer(ADMIN_TOKEN)).send({ number: n, days }).expect(200);
    return p.body as { plannedAt: string; rule: string; kind: string; audience: string; policy: string }[];
  };

  it('E2 — 重点工作任务制度: 对在一个月内确实解决不了的事项…转入“持续推进”板块跟踪督办，并逐月反馈，季度小结，年底清零 — the key task stays a key task and keeps R6 and R7', async () => {
    const { n, approved } = await extended('key_task', '持续推进的重点任务', '2026-06-30T18:00:00+08:00');
    expect(approved).toMatchObject({ board: 'key_task', deadline: '2026-06-30T18:00:00+08:00' });
    expect(await lastSummary(n)).toEqual([
      '同意延期：期限由 2026-03-20 18:00 改为 2026-06-30 18:00。本事项一个月内难以办结，转入持续推进：请承办单位每月底前反馈当月进展，每季度末书面报送季度小结，年底前办结清零。',
    ]);
    // The unit is told the same, in its group.
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    const notice = await t.db.getRepository(OutboxMessage).findOneByOrFail({ kind: 'extension_decided', itemId: item.id });
    const { text } = await t.get(MessageKinds).textOf('extension_decided')!(notice);
    expect(text).toContain('转入持续推进');
    expect(text).toContain('每季度末书面报送季度小结');

    // The reminders it then gets over the next 90 days: 逐月反馈 (R6) at the end of April and May (March, the month of
    // the decision, is covered by the node), 季度小结 (R7) on 03-31, no weekly reminder.
    const ahead = await rulesAhead(n, 90);
    const notices = ahead.filter((r) => r.kind === 'month_end_report').map((r) => r.plannedAt);
    expect(notices).toEqual(['2026-04-30T09:00:00+08:00', '2026-05-29T09:00:00+08:00']);
    expect(ahead.filter((r) => r.rule === 'R7').map((r) => r.plannedAt)).toEqual(['2026-03-31T09:00:00+08:00']);
    expect(ahead.some((r) => r.rule === 'R2' || r.rule === 'E2')).toBe(false);
    expect(new Set(ahead.map((r) => r.policy))).toEqual(new Set(['key_task@1+work_report@2']));

    // A second extension of a 持续推进 item changes the date only.
    t.clock.set(shanghaiInstant('2026-06-01', '10:00'));
    const ext = await post(`/api/items/${n}/extension-requests`, org.leadContact, {
      newDeadline: '2026-09-30T18:00:00+08:00',
      reason: '工程延后',
      plan: '9月底完成',
    });
    await post(`/api/items/${n}/extension-requests/${ext.body.result.requestId}/approve`, org.owner, { note: '同意' }).expect(200);
    expect((await lastSummary(n))[1]).toBe('同意延期：期限由 2026-06-30 18:00 改为 2026-09-30 18:00。');
  });

  it('E2 — a key task extended within one month of registration is not 持续推进 (the 7-day rule of the daily board does not apply)', async () => {
    const { n, approved } = await extended('key_task', '一个月内办结的重点任务', '2026-03-31T18:00:00+08:00');
    expect(approved.board).toBe('key_task');
    expect(await lastSummary(n)).toEqual(['同意延期：期限由 2026-03-20 18:00 改为 2026-03-31 18:00。']);
  });

  it('E2 — 001 §16: 转入系统“持续跟进”版块予以推进，每周发送短信提醒，按月报告进展情况 — a daily item past 7 days moves to 持续跟进', async () => {
    const { n, approved } = await extended('daily', '持续跟进的日常事项', '2026-05-29T18:00:00+08:00');
    expect(approved.board).toBe('ongoing');
    expect(await lastSummary(n)).toEqual([
      '同意延期：期限由 2026-03-20 18:00 改为 2026-05-29 18:00。本事项转入「持续跟进」版块：系统每周提醒一次，请承办单位每月报告进展，直至任务全面落实。',
    ]);
    const ahead = await rulesAhead(n, 30);
    expect(ahead.filter((r) => r.rule === 'E2').map((r) => r.plannedAt)).toEqual([
      '2026-03-17T09:00:00+08:00',
      '2026-03-24T09:00:00+08:00',
      '2026-03-31T09:00:00+08:00',
      '2026-04-07T09:00:00+08:00',
    ]);
  });
});
