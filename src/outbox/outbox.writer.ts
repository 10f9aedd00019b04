import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxMessage, OutboxTarget } from './outbox-message.entity';

export interface OutgoingMessage {
  /** What to render: assignment_card, review_card, approval_card, notice… */
  kind: string;
  target: OutboxTarget;
  platform?: string | null;
  itemId?: number | null;
  payload: Record<string, unknown>;
  /** Unique per cause and target, so a retried command never queues a message twice. */
  dedupeKey: string;
  dueAt: Date;
}

/** Principle 2: rows written in the command's transaction; the relay sends them after commit. */
@Injectable()
export class OutboxWriter {
  async enqueue(em: EntityManager, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // save() rather than insert(): the JSON transformer must run on the payload.
    await em.save(
      OutboxMessage,
      messages.map((m): Partial<OutboxMessage> => ({
        kind: m.kind,
        target: m.target,
        platform: m.platform ?? null,
        itemId: m.itemId ?? null,
        payload: m.payload,
        dedupeKey: m.dedupeKey,
        status: 'pending' as const,
        attempts: 0,
        dueAt: m.dueAt,
      })),
    );
  }
}
