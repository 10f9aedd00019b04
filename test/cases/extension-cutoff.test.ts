import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ExtensionCutoffJob } from '../../src/cases/extension-cutoff.job';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * E1 (issue 14): 申请延期 is offered only until the last day one may ask. A card sent before that day still showed the
 * button afterwards, until something else changed the item: the day after the cut-off, every card of the item is
 * refreshed once (the cards then offer no 申请延期).
 */
describe('E1: the cards are refreshed once when the last day to ask for an extension has passed', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a 7-day item due Friday 03-13: nothing on Wednesday 03-11 (the last day), one card_refresh on Thursday, none again', async () => {
    t.clock.set(new Date('2026-03-02T01:00:00Z')); // Monday 09:00
    const { number } = await t.get(RegistrationService).register(
      {
        title: '报送季度数据',
        content: '按时报送',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date: '2026-03-13' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(number, org.supervisor.actor);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number });
    const refreshes = () => t.db.getRepository(OutboxMessage).countBy({ itemId: item.id, kind: 'card_refresh' });
    const before = await refreshes();
    const job = t.get(ExtensionCutoffJob);

    t.clock.set(new Date('2026-03-11T15:00:00Z')); // Wednesday 23:00: still the last day to ask
    await job.run();
    expect(await refreshes()).toBe(before);

    t.clock.set(new Date('2026-03-11T16:05:00Z')); // Thursday 00:05
    await job.run();
    expect(await refreshes()).toBe(before + 1);
    const row = await t.db.getRepository(OutboxMessage).findOneOrFail({ where: { itemId: item.id, kind: 'card_refresh' }, order: { id: 'DESC' } });
    expect(row.target).toBe(`cards:${item.id}`);

    t.clock.set(new Date('2026-03-12T02:00:00Z'));
    await job.run();
    expect(await refreshes()).toBe(before + 1);
  });
});
