import { Injectable } from '@nestjs/common';
import type { Actor } from '../shared/actor';
import type { OutboxMessage } from './outbox-message.entity';
import type { CardViewKind, DecisionBuilder, DecisionView, MessageText } from './message-views';

export type { ActionButton, CardViewKind, DecisionBuilder, DecisionView, MessageText } from './message-views';

/** Composes the text of one outbox row of a kind, reading what it is about as it is NOW (a late message shows the current state). */
export type TextComposer = (msg: OutboxMessage) => Promise<MessageText>;

/**
 * The registry of message kinds (issue 12): each feature registers, at start-up, the kinds of message it writes to the
 * outbox — how a text kind reads, which kinds are cards and what they show, and the decisions about its own subjects
 * (by number prefix: XS…, a bulletin's …). Chat composes every outbox row through it, so adding a kind touches only
 * the feature that owns it. It sits low, with the outbox, so features register without importing chat.
 */
@Injectable()
export class MessageKinds {
  private readonly texts = new Map<string, TextComposer>();
  private readonly cards = new Map<string, CardViewKind>();
  private readonly decisions = new Map<string, DecisionBuilder>();
  private readonly coalescing = new Set<string>();

  /**
   * A text kind and how it reads. `coalesce`: an informational notice that, when several wait for the same chat, may go
   * out in one 汇总 message with the others (issue 17, digest.rules.ts) — never a card, an answer to the person who
   * asked, a broadcast, or a message that is a digest already.
   */
  text(kind: string, compose: TextComposer, opts: { coalesce?: boolean } = {}): void {
    this.texts.set(kind, compose);
    if (opts.coalesce) this.coalescing.add(kind);
    else this.coalescing.delete(kind);
  }

  /** The kind may be sent together with other such notices for the same recipient (issue 17). */
  coalesces(kind: string): boolean {
    return this.coalescing.has(kind);
  }

  /** Every kind that may be sent in a digest. */
  coalescingKinds(): string[] {
    return [...this.coalescing];
  }

  /** A card kind and the view it shows (a 'decision' card is about payload.subject). */
  card(kind: string, view: CardViewKind): void {
    this.cards.set(kind, view);
  }

  /** Decisions about the subjects numbered with this prefix ('XS' for XS2026-0001). */
  decision(prefix: string, build: DecisionBuilder): void {
    this.decisions.set(prefix.toUpperCase(), build);
  }

  textOf(kind: string): TextComposer | undefined {
    return this.texts.get(kind);
  }

  cardOf(kind: string): CardViewKind | undefined {
    return this.cards.get(kind);
  }

  /** Every kind that is sent as a card. */
  cardKinds(): string[] {
    return [...this.cards.keys()];
  }

  /** The builder for 'XS2026-0001' (by its letters), if a feature registered one. */
  private decisionFor(subject: string): DecisionBuilder | undefined {
    const prefix = /^([A-Z]+)\d{4}-/.exec(subject.toUpperCase())?.[1];
    return prefix ? this.decisions.get(prefix) : undefined;
  }

  handlesDecision(subject: string): boolean {
    return this.decisionFor(subject) !== undefined;
  }

  buildDecision(subject: string, viewer: Actor | null): Promise<DecisionView | null> {
    return this.decisionFor(subject)?.(subject, viewer) ?? Promise.resolve(null);
  }
}
