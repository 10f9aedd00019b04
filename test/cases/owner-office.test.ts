import { TokenService } from '../../src/auth/token.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { OutboundComposer } from '../../src/chat/outbound.composer';
import { OrgService } from '../../src/org/org.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import type { Role } from '../../src/shared/vocabulary';
import { bearer, Someone } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const MONDAY_9 = new Date('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai

/**
 * P2, P4, R4 over HTTP and the tick on MariaDB: the 立项主体 is an office (科室) any of whose owner-role people may act,
 * and R4's escalation reaches the office and its coordinating leader (分管副秘书长 / 办公厅分管领导), not the D3 approver.
 */
describe('the owner is an office; R4 escalates to the office and its coordinating leader (P2, P4, R4)', () => {
  let t: TestApp;
  let units: { office: number; otherOffice: number; lead: number };
  let p: Record<'supervisor' | 'li' | 'zhang' | 'wang' | 'coordinator' | 'viceMayor' | 'contact', Someone>;

  beforeAll(async () => {
    t = await startTestApp({ now: MONDAY_9 });
    const org = t.get(OrgService);
    const tokens = t.get(TokenService);
    units = {
      office: (await org.createUnit({ code: 'ZH1', name: '综合一科' })).id,
      otherOffice: (await org.createUnit({ code: 'ZH2', name: '综合二科' })).id,
      lead: (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id,
    };
    let n = 0;
    const person = async (name: string, roles: { role: Role; unitId?: number }[], unitId?: number): Promise<Someone> => {
      n++;
      const created = await org.createPerson({ name, unitId, roles, identities: [{ platform: 'dingtalk', externalUserId: `dt-o${n}` }] });
      const { token } = await tokens.issue(created.id, 'test');
      return { id: created.id, name, token, actor: (await tokens.actorFor(created.id, 'api'))! };
    };
    p = {
      supervisor: await person('王督查', [{ role: 'supervisor' }]),
      li: await person('李科长', [{ role: 'owner' }], units.office),
      zhang: await person('张科员', [{ role: 'owner' }], units.office),
      wang: await person('王科长', [{ role: 'owner' }], units.otherOffice),
      coordinator: await person('刘副秘书长', [{ role: 'leader' }]),
      viceMayor: await person('赵副市长', [{ role: 'leader' }]),
      contact: await person('陈联络', [{ role: 'unit_contact', unitId: units.lead }], units.lead),
    };
  });
  afterAll(() => t.close());

  const post = (path: string, who: Someone, body: object = {}) => t.http().post(path).set(bearer(who)).send(body);
  const ok = (r: { status: number }) => expect(r.status).toBeLessThan(300);

  async function register(title: string, node = '7d'): Promise<string> {
    t.clock.set(MONDAY_9);
    const res = await post('/api/items', p.supervisor, {
      title,
      content: '内容',
      source: 'meeting',
      ownerId: p.li.id,
      leaderId: p.viceMayor.id,
      leadUnitId: units.lead,
      deadlineNode: node,
    }).expect(201);
    return res.body.number;
  }

  it('P4 — 谁立项、谁督办, the owner being an office: a colleague of the registering owner may assign, review and rate; an owner of another office may not', async () => {
    const n = await register('科室同事可办理');
    await post(`/api/items/${n}/assign`, p.wang, {}).expect(403);
    await post(`/api/items/${n}/assign`, p.zhang, {}).expect(ok);
    await post(`/api/items/${n}/sign`, p.contact).expect(ok);
    await post(`/api/items/${n}/closure-request`, p.contact, { summary: '已办结' }).expect(ok);
    await post(`/api/items/${n}/review`, p.wang).expect(403);
    await post(`/api/items/${n}/review`, p.zhang).expect(ok);
    await post(`/api/items/${n}/rate`, p.wang, { rating: 'excellent' }).expect(403);
    await post(`/api/items/${n}/rate`, p.zhang, { rating: 'excellent' }).expect(ok);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    expect([item.state, item.ownerId, item.ownerUnitId]).toEqual(['pending_approval', p.li.id, units.office]);
  });

  it('P4 — messages to the 立项主体 reach every owner of its office: a report (反馈) and a closure request (审核卡片) go to both colleagues, not to another office', async () => {
    const n = await register('反馈告知科室');
    await post(`/api/items/${n}/assign`, p.li).expect(ok);
    await post(`/api/items/${n}/sign`, p.contact).expect(ok);
    await post(`/api/items/${n}/reports`, p.contact, { content: '已完成初稿' }).expect(ok);
    await post(`/api/items/${n}/closure-request`, p.contact, { summary: '已办结' }).expect(ok);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    const sent = await t.db.getRepository(OutboxMessage).findBy({ itemId: item.id });
    const to = (kind: string) =>
      sent
        .filter((m) => m.kind === kind)
        .map((m) => m.target)
        .sort();
    const office = [`person:${p.li.id}`, `person:${p.zhang.id}`].sort();
    expect(to('report_notice')).toEqual(office);
    expect(to('review_card')).toEqual(office);
  });

  it("only an admin names an office's coordinating leader (分管领导), and only a person with the leader role", async () => {
    const path = `/api/units/${units.office}/coordinating-leader`;
    await t.http().put(path).set(bearer(p.supervisor)).send({ coordinatingLeaderId: p.coordinator.id }).expect(403);
    const bad = await t.http().put(path).set(bearer(ADMIN_TOKEN)).send({ coordinatingLeaderId: p.zhang.id }).expect(400);
    expect(bad.body.message).toContain('不是在职的领导');
    await t.http().put(path).set(bearer(ADMIN_TOKEN)).send({ coordinatingLeaderId: p.coordinator.id }).expect(200);
  });

  /** Walks the clock hour by hour from Monday 09:00, ticking as the service would. */
  async function walk(hours: number): Promise<void> {
    const s = t.get(ReminderScheduler);
    for (let h = 1; h <= hours; h += 1) {
      t.clock.set(new Date(MONDAY_9.getTime() + h * HOUR));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
  }
  const digestsFor = async (itemId: number, target: string) =>
    (await t.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest', target: target as never } })).filter((m) =>
      (m.payload.reminders as { itemId: number }[]).some((r) => r.itemId === itemId),
    );
  const read = async (m: OutboxMessage) => {
    const [delivery] = await t.get(OutboundComposer).compose(m, new Set(['dingtalk']));
    return (delivery.outbound as { text: string }).text;
  };

  it("R4 — 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调 (001 §14): 2 days overdue, the office's owners and its coordinating leader are told, never the D3 approver", async () => {
    const n = await register('逾期报请协调', '1d');
    await t.get(ItemCommandsService).assign(n, p.li.actor);
    await t.get(ItemCommandsService).sign(n, p.contact.actor);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    await walk(84); // the 1d node ends Tuesday 18:00 (C3: day end); 2 days overdue is Thursday 18:00
    const rows = await t.db.getRepository(Reminder).findBy({ itemId: item.id, kind: 'leader_escalation' });
    expect(rows.map((r) => [r.audience, r.recipientKey]).sort()).toEqual([
      ['coordinating_leader', `person:${p.coordinator.id}`],
      ['owner', `owners:${units.office}:${p.li.id}`],
    ]);
    expect(await digestsFor(item.id, `person:${p.viceMayor.id}`)).toEqual([]);
    const [toLeader] = await digestsFor(item.id, `person:${p.coordinator.id}`);
    expect(await read(toLeader)).toContain('「综合一科」报请您协调');
    for (const owner of [p.li, p.zhang]) {
      const [toOwner] = await digestsFor(item.id, `person:${owner.id}`);
      expect(await read(toOwner)).toContain('请及时报请分管领导协调');
    }
    expect(await digestsFor(item.id, `person:${p.wang.id}`)).toEqual([]);
  });

  it('R4: an office with no coordinating leader — the 督查室 is told, with the next step (请在单位设置中指定分管领导)', async () => {
    await t.http().put(`/api/units/${units.office}/coordinating-leader`).set(bearer(ADMIN_TOKEN)).send({ coordinatingLeaderId: null }).expect(200);
    const n = await register('无分管领导', '1d');
    await t.get(ItemCommandsService).assign(n, p.li.actor);
    await t.get(ItemCommandsService).sign(n, p.contact.actor);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    await walk(84);
    const [toOffice] = (await digestsFor(item.id, `person:${p.supervisor.id}`)).filter((m) =>
      (m.payload.reminders as { kind: string }[]).some((r) => r.kind === 'leader_escalation'),
    );
    const text = await read(toOffice);
    expect(text).toContain('尚未指定分管领导');
    expect(text).toContain('请在单位设置中为「综合一科」指定分管领导');
    expect(await digestsFor(item.id, `person:${p.viceMayor.id}`)).toEqual([]);
  });
});
