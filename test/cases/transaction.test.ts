import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboxWriter, OutgoingMessage } from '../../src/outbox/outbox.writer';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { TimelineWriter, TimelineEntry } from '../../src/cases/timeline.writer';
import type { Actor } from '../../src/shared/actor';
import { seedOrg } from '../support/fixtures';
import { startTestApp } from '../support/test-app';

/** A real timeline writer that fails on the 'assigned' event — after the item row has already been updated. */
@Injectable()
class TimelineFailingOnAssign extends TimelineWriter {
  override async append(em: EntityManager, actor: Actor, e: TimelineEntry) {
    if (e.type === 'assigned') throw new Error('injected: timeline write failed');
    return super.append(em, actor, e);
  }
}

/** A real outbox writer that fails on assignment cards — after the state change and the timeline row. */
@Injectable()
class OutboxFailingOnCards extends OutboxWriter {
  override async enqueue(em: EntityManager, messages: OutgoingMessage[]) {
    if (messages.some((m) => m.kind === 'assignment_card')) throw new Error('injected: outbox write failed');
    return super.enqueue(em, messages);
  }
}

/** Principle 2 / non-negotiable 4: state change + timeline + outbox rows commit together or not at all. */
describe.each([
  ['the timeline write', TimelineWriter, TimelineFailingOnAssign],
  ['the outbox write', OutboxWriter, OutboxFailingOnCards],
] as const)('a failure injected in %s after the state change', (_label, provide, useClass) => {
  it('leaves the item as it was, with no timeline row and no outbox row from the failed command', async () => {
    const t = await startTestApp({ overrides: [{ provide, useClass }] });
    try {
      const org = await seedOrg(t);
      const item = await t
        .get(RegistrationService)
        .register(
          { title: '事务测试', content: '内容', source: 'other', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead },
          org.supervisor.actor,
        );
      await expect(t.get(ItemCommandsService).assign(item.number, org.owner.actor)).rejects.toThrow(/injected/);
      const after = await t.db.getRepository(Item).findOneByOrFail({ id: item.id });
      expect(after).toMatchObject({ state: 'registered', assignedAt: null, version: item.version });
      expect((await t.db.getRepository(ItemEvent).findBy({ itemId: item.id })).map((e) => e.type)).toEqual(['registered']);
      expect(await t.db.getRepository(OutboxMessage).countBy({ itemId: item.id })).toBe(0);
    } finally {
      await t.close();
    }
  });
});
