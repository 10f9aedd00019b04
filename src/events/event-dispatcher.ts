import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The domain events, by name: what each one carries. Empty here on purpose — infrastructure knows no feature. Each
 * publishing feature adds its events by declaration merging, next to its own code (immich's EventMap, spread over
 * the features that own the words):
 *
 *     declare module '../events/event-dispatcher' { interface DomainEvents { 'item.event-recorded': ItemEventRecorded } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type DomainEventName = keyof DomainEvents;

/** A subscriber: runs inside the publisher's transaction, on the publisher's EntityManager. */
export type DomainEventHandler<K extends DomainEventName> = (em: EntityManager, event: DomainEvents[K]) => Promise<void> | void;

export interface Subscription {
  /** Handlers run in ascending order; two subscribers of one event may not share an order (the order of effects is explicit). */
  order: number;
  /** Who subscribes ('scoring.ledger'): registering again under the same name replaces the handler, it never runs twice. */
  name: string;
}

interface Registered {
  order: number;
  name: string;
  handler: DomainEventHandler<never>;
}

/**
 * In-transaction domain events (issue 12 §1), modelled on Vendure's blocking event handlers: `publish(em, …)` awaits
 * every handler one after another, in their order, on the same EntityManager — no concurrency, nothing after the
 * commit. A handler that throws fails `publish`, so the publisher's transaction (the whole command) rolls back.
 */
@Injectable()
export class EventDispatcher {
  private readonly handlers = new Map<DomainEventName, Registered[]>();

  /** Subscribes; returns the way to unsubscribe. Normally called from a provider's onModuleInit. */
  on<K extends DomainEventName>(event: K, sub: Subscription, handler: DomainEventHandler<K>): () => void {
    const list = (this.handlers.get(event) ?? []).filter((h) => h.name !== sub.name);
    const clash = list.find((h) => h.order === sub.order);
    if (clash) throw new Error(`${String(event)}: order ${sub.order} is taken by ${clash.name}; ${sub.name} needs an order of its own`);
    const entry: Registered = { order: sub.order, name: sub.name, handler: handler as DomainEventHandler<never> };
    this.handlers.set(
      event,
      [...list, entry].sort((a, b) => a.order - b.order),
    );
    return () =>
      this.handlers.set(
        event,
        (this.handlers.get(event) ?? []).filter((h) => h !== entry),
      );
  }

  /** Runs the event's handlers in order inside the caller's transaction (`em`); the first failure stops and propagates. */
  async publish<K extends DomainEventName>(em: EntityManager, event: K, payload: DomainEvents[K]): Promise<void> {
    // A copy: a handler that (un)subscribes does not change the run in progress.
    for (const h of [...(this.handlers.get(event) ?? [])]) await (h.handler as DomainEventHandler<K>)(em, payload);
  }

  /** The subscribers of an event, in the order they run (for tests and diagnostics). */
  subscribers(event: DomainEventName): string[] {
    return (this.handlers.get(event) ?? []).map((h) => `${h.order}:${h.name}`);
  }
}
