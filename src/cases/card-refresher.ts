import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventDispatcher } from '../events/event-dispatcher';
import { OutboxWriter } from '../outbox/outbox.writer';
import type { ItemEventRecorded } from './item.events';

/**
 * Cards already in groups show the item's state and the buttons it allows. The card refresher subscribes to
 * 'item.event-recorded' and, in the command's transaction, queues one 'card_refresh' row (target cards:<itemId>,
 * delivered after commit) when an item command changes the state of an assigned item, or when a co-unit signs (the
 * state stays, but its contacts' 签收 button must go), when the 督查室 reassigns it, or when a 限期整改 moves its deadline (R5).
 * Registration and the reminder tick refresh no cards.
 * Order 40: after the score ledger (10) and the clue opener (20), where the command context queued it before.
 */
const REQUEST_EVENTS = ['extension_requested', 'extension_approved', 'extension_refused', 'request_withdrawn'];

@Injectable()
export class CardRefresher implements OnModuleInit {
  static readonly ORDER = 40;

  constructor(
    private readonly events: EventDispatcher,
    private readonly outbox: OutboxWriter,
  ) {}

  onModuleInit(): void {
    this.events.on('item.event-recorded', { order: CardRefresher.ORDER, name: 'cases.cards' }, (em, e) => this.refresh(em, e));
  }

  async refresh(em: EntityManager, { event, command }: ItemEventRecorded): Promise<void> {
    if (!command) return;
    const { item, unitRole } = command;
    const stateChanged = event.fromState !== event.toState && item.assignedAt !== null;
    const coUnitSigned = event.type === 'signed' && unitRole === 'co';
    // P2, P4: after a reassignment the cards show the new units and people, and the old unit's buttons go.
    const reassigned = event.type === 'reassigned' && item.assignedAt !== null;
    // R5 限期整改: the state stays, but the cards show the deadline, which is now the new limit.
    const newLimit = event.type === 'urged' && typeof event.data?.newLimit === 'string' && item.assignedAt !== null;
    // Issue 14: an extension asked, decided or withdrawn changes what the owner's extension card offers (and an
    // approval moves the deadline every card shows); a withdrawn request brings back the unit's buttons.
    const requestChanged = REQUEST_EVENTS.includes(event.type) && item.assignedAt !== null;
    if (!stateChanged && !coUnitSigned && !reassigned && !newLimit && !requestChanged) return;
    const target = `cards:${item.id}` as const;
    await this.outbox.enqueue(em, [
      {
        kind: 'card_refresh',
        target,
        platform: null,
        itemId: item.id,
        payload: { itemNumber: item.number, eventId: event.id, state: event.toState },
        dedupeKey: `evt:${event.id}:card_refresh:${target}`,
        dueAt: event.at,
        hold: false, // R10: a silent redraw (a click's own card among them) wakes nobody; stale buttons overnight would mislead
      },
    ]);
  }
}
