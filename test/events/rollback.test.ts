import { Clue, ClueEvent } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { EventDispatcher } from '../../src/events/event-dispatcher';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12 §1: domain events run inside the publisher's transaction. A subscriber that throws — registered here after
 * the real ones (score ledger 10, clue opener 20) — fails the command, and everything the command and the earlier
 * subscribers wrote is rolled back: the item row, the timeline, the score lines, the clue, the outbox.
 */
describe('domain events: a subscriber that throws rolls the whole command back', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
  });
  afterAll(() => t?.close());

  /** Everything a command or its subscribers could have written, as committed. */
  const snapshot = async (itemId: number) => ({
    item: await t.db.getRepository(Item).findOneByOrFail({ id: itemId }),
    timeline: (await t.db.getRepository(ItemEvent).find({ where: { itemId }, order: { id: 'ASC' } })).map((e) => e.type),
    scoreLines: await t.db.getRepository(ScoreLineRow).count(),
    clues: await t.db.getRepository(Clue).count(),
    clueEvents: await t.db.getRepository(ClueEvent).count(),
    outbox: await t.db.getRepository(OutboxMessage).count(),
  });

  it('a rating of 不合格: the real subscribers wrote score lines, a clue and its notice — all undone with the rating', async () => {
    const cmd = t.get(ItemCommandsService);
    const item = await t.get(RegistrationService).register(
      {
        title: '回滚测试',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { node: '7d' },
      },
      org.supervisor.actor,
    );
    await cmd.assign(item.number, org.owner.actor);
    await cmd.sign(item.number, org.leadContact.actor);
    await cmd.report(item.number, org.leadContact.actor, '已完成');
    await cmd.requestClosure(item.number, org.leadContact.actor, { summary: '完成' });
    await cmd.startReview(item.number, org.owner.actor);
    const before = await snapshot(item.id);

    // What the earlier subscribers had written in the transaction when the failing one ran.
    const seen: { scoreLines?: number; clues?: number; outbox?: number } = {};
    const off = t.get(EventDispatcher).on('item.event-recorded', { order: 30, name: 'test.throws' }, async (em, { event }) => {
      if (event.type !== 'rated') return;
      seen.scoreLines = await em.count(ScoreLineRow, { where: { eventId: event.id } });
      seen.clues = await em.count(Clue, { where: { itemId: event.itemId } });
      seen.outbox = await em.count(OutboxMessage, { where: { kind: 'clue_notice', itemId: event.itemId } });
      throw new Error('injected: subscriber failed');
    });
    try {
      await expect(cmd.rate(item.number, org.owner.actor, 'fail', '问题未解决')).rejects.toThrow(/injected/);
    } finally {
      off();
    }
    // The subscribers before it did run, on the command's transaction (S8 lines, the A1 clue and its notice)…
    expect(seen.scoreLines).toBeGreaterThan(0);
    expect(seen.clues).toBe(1);
    expect(seen.outbox).toBeGreaterThan(0);
    // …and nothing of it, nor of the command, was committed.
    expect(await snapshot(item.id)).toEqual(before);
    expect(before.item.state).toBe('under_review');

    // Without the failing subscriber the same command goes through, with the same effects committed.
    await cmd.rate(item.number, org.owner.actor, 'fail', '问题未解决');
    const after = await snapshot(item.id);
    expect(after.timeline).toEqual([...before.timeline, 'rated']);
    expect(after.scoreLines - before.scoreLines).toBe(seen.scoreLines);
    expect(after.clues - before.clues).toBe(1);
  });

  it('an S10 obstruction: a failing subscriber of scoring.obstruction-recorded undoes the manual score lines and the clue', async () => {
    const before = {
      lines: await t.db.getRepository(ScoreLineRow).count(),
      clues: await t.db.getRepository(Clue).count(),
      outbox: await t.db.getRepository(OutboxMessage).count(),
    };
    let cluesSeen = -1;
    const off = t.get(EventDispatcher).on('scoring.obstruction-recorded', { order: 30, name: 'test.throws' }, async (em, e) => {
      cluesSeen = await em.count(Clue, { where: { unitId: e.unitId, trigger: 'obstruction' } });
      throw new Error('injected: subscriber failed');
    });
    const entry = { rule: 'S10', unitId: org.units.co, kind: 'obstruction', reason: '拒绝提供台账' };
    try {
      const res = await t.http().post('/api/scores/manual').set(bearer(org.supervisor)).send(entry);
      expect(res.status).toBe(500);
    } finally {
      off();
    }
    expect(cluesSeen).toBe(1);
    expect({
      lines: await t.db.getRepository(ScoreLineRow).count(),
      clues: await t.db.getRepository(Clue).count(),
      outbox: await t.db.getRepository(OutboxMessage).count(),
    }).toEqual(before);
    await t.http().post('/api/scores/manual').set(bearer(org.supervisor)).send(entry).expect(201);
    expect(await t.db.getRepository(Clue).count()).toBe(before.clues + 1);
  });

  it('the subscribers of the application, in the order of their effects', () => {
    const events = t.get(EventDispatcher);
    expect(events.subscribers('item.event-recorded')).toEqual(['10:scoring.ledger', '20:accountability.clues', '40:cases.cards']);
    expect(events.subscribers('scoring.obstruction-recorded')).toEqual(['20:accountability.clues']);
  });
});
