import { Injectable } from '@nestjs/common';
import type { Actor } from '../shared/actor';
import type { DecisionCardView } from '../chat/cards';

/** Builds the decision card of one subject for one viewer (null: nobody may act on it any more, or no such subject). */
export type DecisionCardBuilder = (subject: string, viewer: Actor | null) => Promise<DecisionCardView | null>;

/**
 * Decision cards about things other than items — an accountability clue's 审核 (XS…), a bulletin's approval —
 * are built by the module that owns the subject. Each registers its number prefix here at start-up; the composer,
 * the card view and the chat router ask here. (The registry sits low, in the outbox module, so the owners need not
 * import the bot module that uses it.)
 */
@Injectable()
export class DecisionCards {
  private readonly builders = new Map<string, DecisionCardBuilder>();

  register(prefix: string, build: DecisionCardBuilder): void {
    this.builders.set(prefix.toUpperCase(), build);
  }

  /** The builder for 'XS2026-0001' (by its letters), if a module registered one. */
  private builderFor(subject: string): DecisionCardBuilder | undefined {
    const prefix = /^([A-Z]+)\d{4}-/.exec(subject.toUpperCase())?.[1];
    return prefix ? this.builders.get(prefix) : undefined;
  }

  handles(subject: string): boolean {
    return this.builderFor(subject) !== undefined;
  }

  build(subject: string, viewer: Actor | null): Promise<DecisionCardView | null> {
    return this.builderFor(subject)?.(subject, viewer) ?? Promise.resolve(null);
  }
}
