import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Principle 6 (issue 15): "now" in what the service records and answers comes from its clock — the one tests and the demo
 * move —, never from the database's CURRENT_TIMESTAMP or the process's `new Date()`. The clock here stands in another year
 * than the machine's, so a time taken from the wrong clock shows.
 */
describe('times come from the service clock, not the database or the machine (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  const NOW = shanghaiInstant('2025-06-10', '10:00');

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    org = await seedOrg(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('C3: the calendar’s special days default to the service’s year (Asia/Shanghai), not the machine’s', async () => {
    const res = await t.http().get('/api/calendar/days').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(res.body.year).toBe(2025);
    expect(res.body.days.every((d: { date: string }) => d.date.startsWith('2025-'))).toBe(true);
    // Shanghai's new year arrives eight hours before the UTC one.
    t.clock.set(new Date('2025-12-31T16:30:00Z'));
    try {
      expect((await t.http().get('/api/calendar/days').set(bearer(ADMIN_TOKEN)).expect(200)).body.year).toBe(2026);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('C3: an admin’s change to the calendar is recorded at the service’s time', async () => {
    const put = await t.http().put('/api/calendar/overrides/2025-10-11').set(bearer(ADMIN_TOKEN)).send({ kind: 'restday', note: '本地调整' }).expect(200);
    expect(new Date(put.body.createdAt).toISOString()).toBe(NOW.toISOString());
    const listed = (await t.http().get('/api/calendar/overrides').set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(listed.map((o: { createdAt: string }) => new Date(o.createdAt).toISOString())).toEqual([NOW.toISOString()]);
  });

  it('A2: a clue document’s upload time is the service’s', async () => {
    const http = t.http();
    const n = (await http.post('/api/accountability/clues').set(bearer(org.supervisor)).send({ unitId: org.units.co, reason: '台账造假' }).expect(201)).body
      .number;
    await http
      .post(`/api/accountability/clues/${n}/documents?name=${encodeURIComponent('核查报告.pdf')}`)
      .set(bearer(org.supervisor))
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.7\n核查报告\n%%EOF\n'))
      .expect(201);
    const clue = (await http.get(`/api/accountability/clues/${n}`).set(bearer(org.supervisor)).expect(200)).body;
    expect(clue.files.map((f: { uploadedAt: string }) => f.uploadedAt)).toEqual(['2025-06-10 10:00']);
  });

  it('R10: a reminder policy version is saved at the service’s time', async () => {
    const http = t.http();
    const admin = bearer(ADMIN_TOKEN);
    const daily = (await http.get('/api/reminder-policies').set(admin).expect(200)).body.find((p: { id: string }) => p.id === 'daily');
    await http.put('/api/reminder-policies/daily').set(admin).send(daily).expect(200);
    const history = (await http.get('/api/reminder-policies/daily/history').set(admin).expect(200)).body;
    expect(history[history.length - 1].savedAt).toBe('2025-06-10T10:00:00+08:00');
  });

  it('P2: a personal token is issued at the service’s time', async () => {
    const http = t.http();
    await http.post(`/api/people/${org.owner.id}/tokens`).set(bearer(ADMIN_TOKEN)).send({ label: '手机' }).expect(201);
    const tokens = (await http.get(`/api/people/${org.owner.id}/tokens`).set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(tokens.map((k: { createdAt: string }) => new Date(k.createdAt).toISOString())).toEqual([NOW.toISOString(), NOW.toISOString()]);
  });

  it('Principle 2: an outgoing message is written at the service’s time (the 死信 list shows it)', async () => {
    const reg = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '年底前完成12个老旧小区改造。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        coUnitIds: [org.units.co],
        deadline: { date: '2025-07-10' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(reg.number, org.owner.actor);
    const rows = await t.db.getRepository(OutboxMessage).find();
    expect(rows.length).toBeGreaterThan(0);
    expect([...new Set(rows.map((r) => r.createdAt.toISOString()))]).toEqual([NOW.toISOString()]);
  });
});
