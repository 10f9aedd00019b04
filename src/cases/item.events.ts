import type { Actor } from '../shared/actor';
import type { ItemEvent } from './item-event.entity';
import type { Item } from './item.entity';
import type { ItemUnit } from './item-unit.entity';
import type { ActorRelation } from './item.rules';

/** Who recorded an event through an item command (CommandContext): the item as the command left it, and the role of the unit the actor acts for. */
export interface ItemCommandOrigin {
  item: Item;
  unitRole: ActorRelation['unitRole'];
  /** The item's units as the command holds them (issue 17: the score ledger need not read them again). */
  units?: readonly Pick<ItemUnit, 'unitId' | 'role'>[];
}

/** C6 → DOMAIN §5 (S1…), A1: one line was appended to an item's 一事一卷 timeline, inside the command's transaction. */
export interface ItemEventRecorded {
  /** The saved timeline row (id, item, type, at, from/to state, data). */
  event: ItemEvent;
  /** Who caused it (SYSTEM_ACTOR for the reminder tick). */
  actor: Actor;
  /** Set when an item command recorded it; absent for registration and for the reminder tick (they refresh no cards). */
  command?: ItemCommandOrigin;
}

declare module '../events/event-dispatcher' {
  interface DomainEvents {
    'item.event-recorded': ItemEventRecorded;
  }
}
