import type { Actor } from '../shared/actor';

/**
 * S10 → A1: the 督查室 recorded a refusal or obstruction of the 督查 as a manual S10 entry, inside the transaction that
 * writes its score lines. Accountability subscribes and opens a clue (the entry itself punishes nothing more).
 */
export interface ObstructionRecorded {
  /** The manual entry's id (the clue's dedupe key is built from it). */
  incidentId: string;
  unitId: number;
  itemId: number | null;
  /** The reason the 督查室 wrote. */
  description: string;
  actor: Actor;
  at: Date;
}

declare module '../events/event-dispatcher' {
  interface DomainEvents {
    'scoring.obstruction-recorded': ObstructionRecorded;
  }
}
