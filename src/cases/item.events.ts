import type { Actor } from '../shared/actor';
import type { ItemEvent } from './item-event.entity';

/** C6 → DOMAIN §5 (S1…), A1: one line was appended to an item's 一事一卷 timeline, inside the command's transaction. */
export interface ItemEventRecorded {
  /** The saved timeline row (id, item, type, at, from/to state, data). */
  event: ItemEvent;
  /** Who caused it (SYSTEM_ACTOR for the reminder tick). */
  actor: Actor;
}

declare module '../events/event-dispatcher' {
  interface DomainEvents {
    'item.event-recorded': ItemEventRecorded;
  }
}
