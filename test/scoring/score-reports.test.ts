import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const at = (date: string, time = '09:00') => shanghaiInstant(date, time);

/**
 * Issue 17: a report on a node already answered is scored without reading the item's timeline again (S5 counts only the
 * report that answers a late node). The ledger must still be what the replay of the timeline says — late reports,
 * reports on an answered node, a return that takes the answer back, and a report after it.
 */
describe('S5 late reports, scored live without re-reading the timeline (issue 17)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-03-02') });
    org = await seedOrg(t);
  });
  afterAll(() => t?.close());

  const cmd = () => t.get(ItemCommandsService);
  const s5 = async (itemId: number) => (await t.db.getRepository(ScoreLineRow).find({ where: { itemId, rule: 'S5' } })).map((l) => l.pointsTenths / 10);

  it('S5: one late report per node; reports on the answered node and after a return add nothing; the recompute agrees', async () => {
    const item = await t.get(RegistrationService).register(
      {
        title: '积分增量',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { node: '1d' },
      },
      org.supervisor.actor,
    );
    await cmd().assign(item.number, org.owner.actor);
    await cmd().sign(item.number, org.leadContact.actor);
    const id = (await t.db.query('SELECT id FROM item WHERE number = ?', [item.number]))[0].id as number;

    t.clock.set(at('2026-03-06'));
    await cmd().report(item.number, org.leadContact.actor, '逾期后第一次反馈');
    expect(await s5(id)).toEqual([-0.5]);
    t.clock.set(at('2026-03-06', '10:00'));
    await cmd().report(item.number, org.leadContact.actor, '同一时间节点的第二次反馈'); // the node is answered: nothing read, nothing scored
    await cmd().returnWork(item.number, org.owner.actor, '材料不全');
    t.clock.set(at('2026-03-06', '11:00'));
    await cmd().report(item.number, org.leadContact.actor, '退回后再次反馈'); // late, but this node's late report was counted
    t.clock.set(at('2026-03-06', '12:00'));
    await cmd().report(item.number, org.leadContact.actor, '又一次反馈');
    expect(await s5(id)).toEqual([-0.5]);

    const r = await t.http().get('/api/scores/recompute?year=2026').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toMatchObject({ equal: true, missing: [], extra: [] });
  });
});
