/**
 * DOMAIN §5, pure: which score facts an item's timeline (C6) holds. The live ledger and the recompute both read the
 * timeline through this one function, so "every point names the event that caused it" and a recompute from the
 * timeline must equal the ledger. Only facts the timeline itself settles are here; S3 (a quarter without urging)
 * and the 督查室's manual entries (S4, S9, S10) are written by their own steps.
 */
import type { Rating, UnitRole } from '../shared/vocabulary';
import { RATINGS } from '../shared/vocabulary';
import type { ScoreFact } from './score.rules';

export interface TimelineEventLike {
  id: number;
  type: string;
  at: Date;
  data: Record<string, unknown> | null;
}

export interface ItemUnitLike {
  unitId: number;
  role: UnitRole;
}

/** Event types that can score; anything else is skipped without reading the rest of the timeline. */
export const SCORING_EVENT_TYPES: ReadonlySet<string> = new Set(['assigned', 'reported', 'returned', 'rated', 'key_supervision']);

/** The event types the replay below reads; the others change no fact, so a caller may leave them out (issue 17). */
export const FACT_EVENT_TYPES: readonly string[] = [
  'registered',
  'extension_approved',
  'assigned',
  'reported',
  'closure_requested',
  'extension_requested',
  'extension_refused',
  'returned',
  'rated',
  'reassigned',
  'key_supervision',
];

const dateOf = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

/**
 * Replays one item's events (in id order) into facts:
 * - S1 `assigned` (the first time): the item is included for the lead and every co-unit.
 * - S5 `reported` after the deadline in force, while the node is unanswered (A1, one meaning of overdue — as
 *   item.answered_at: a report or closure request in time answers it; a return, F2, or a 不合格 rating takes the
 *   answer back): one late report per deadline (an approved extension sets a new deadline and a new chance to be
 *   late). Reporting more often is never punished.
 * - S7 `returned`: the nth return of this item (F2) — only the lead unit reports (P4), so the nth is per item.
 * - S2/S8 `rated`: the owner's rating of the result (D2).
 * - S6 `key_supervision`: the item entered 重点督办 (R5, or the 督查室 by hand) — once per item (001 积分 §10.2
 *   "进入重点督办环节的，每项减5分"): cleared and set again is still one S6, and `key_supervision_cleared` refunds nothing.
 * - `reassigned` to another lead unit (issue 14, blame follows custody): the new unit's time starts then — its own
 *   deadline (data.deadline when it moved), no answer yet unless the item waits on the owner or the leader
 *   (data.answerStands); what happened before is the old lead unit's (data.fromLeadUnitId), not the new one's.
 */
export function scoreFactsFromTimeline(itemId: number, events: readonly TimelineEventLike[], units: readonly ItemUnitLike[]): ScoreFact[] {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  // The units as they were at each event (issue 14): the current ones, undone reassignment by reassignment.
  let held: readonly ItemUnitLike[] = units;
  for (const e of [...sorted].reverse()) if (e.type === 'reassigned') held = unitsBefore(held, e.data ?? {});
  let lead = held.find((u) => u.role === 'lead');
  const out: ScoreFact[] = [];
  let deadline: Date | null = null;
  let lateCounted = false;
  let answered = false;
  let included = false;
  let returns = 0;
  let keySupervised = false;
  let lastRating: Rating | null = null;
  for (const e of sorted) {
    const data = e.data ?? {};
    switch (e.type) {
      case 'registered':
        deadline = dateOf(data.deadline) ?? deadline;
        break;
      case 'extension_approved':
        deadline = dateOf(data.to) ?? deadline;
        lateCounted = false;
        answered = false;
        break;
      case 'assigned':
        if (included) break;
        included = true;
        // Lead first, then co-units by id: a stable order for the ledger and its recompute.
        for (const u of [...held].sort((a, b) => (a.role === b.role ? a.unitId - b.unitId : a.role === 'lead' ? -1 : 1))) {
          out.push({ type: 'included', itemId, unitId: u.unitId, unitRole: u.role, at: e.at, eventId: e.id });
        }
        break;
      case 'reported':
        if (lead && deadline && e.at.getTime() > deadline.getTime() && !answered && !lateCounted) {
          lateCounted = true;
          out.push({ type: 'report_late', itemId, leadUnitId: lead.unitId, at: e.at, eventId: e.id });
        }
        answered = true;
        break;
      // Issue 14: an extension asked in time stops the unit's clock until the owner decides (item.answered_at), as a closure request answers the node.
      case 'closure_requested':
      case 'extension_requested':
        answered = true;
        break;
      case 'extension_refused':
        if (data.answerCleared === true) answered = false;
        if (dateOf(data.deadline)) {
          deadline = dateOf(data.deadline);
          lateCounted = false;
        }
        break;
      case 'returned': {
        returns++;
        answered = false;
        const nth = typeof data.returnNo === 'number' && data.returnNo >= 1 ? data.returnNo : returns;
        if (lead) out.push({ type: 'returned', itemId, leadUnitId: lead.unitId, nth, at: e.at, eventId: e.id });
        // Issue 14, D3: the leader's 退回 voids the owner's rating; the rating given after the unit files again counts instead.
        if (lead && data.by === 'leader' && lastRating) {
          out.push({ type: 'rating_voided', itemId, leadUnitId: lead.unitId, rating: lastRating, at: e.at, eventId: e.id });
        }
        lastRating = null;
        break;
      }
      case 'rated':
        if (data.rating === 'fail') answered = false;
        if (lead && typeof data.rating === 'string' && data.rating in RATINGS) {
          out.push({ type: 'rated', itemId, leadUnitId: lead.unitId, rating: data.rating as Rating, at: e.at, eventId: e.id });
          lastRating = data.rating as Rating;
        }
        break;
      case 'reassigned':
        held = unitsAfter(held, data);
        lead = held.find((u) => u.role === 'lead');
        if (typeof data.fromLeadUnitId !== 'number' || typeof data.leadUnitId !== 'number' || data.fromLeadUnitId === data.leadUnitId) break;
        deadline = dateOf(data.deadline) ?? deadline;
        lateCounted = false;
        answered = data.answerStands === true && answered;
        break;
      case 'key_supervision':
        if (keySupervised) break;
        keySupervised = true;
        if (lead) out.push({ type: 'key_supervision', itemId, leadUnitId: lead.unitId, at: e.at, eventId: e.id });
        break;
    }
  }
  return out;
}

const ids = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

/** A reassignment as recorded (registration.service.ts): the units after it. Events without the fields change nothing. */
function unitsAfter(before: readonly ItemUnitLike[], data: Record<string, unknown>): readonly ItemUnitLike[] {
  const co = ids(data.coUnitIds);
  if (typeof data.leadUnitId !== 'number' || co === null) return before;
  return [{ unitId: data.leadUnitId, role: 'lead' }, ...co.map((unitId) => ({ unitId, role: 'co' as const }))];
}

/** The reverse: the units before a reassignment, from those after it (only when it recorded where the lead came from). */
function unitsBefore(after: readonly ItemUnitLike[], data: Record<string, unknown>): readonly ItemUnitLike[] {
  const added = ids(data.addedUnitIds);
  const removed = ids(data.removedUnitIds);
  if (typeof data.fromLeadUnitId !== 'number' || added === null || removed === null) return after;
  const from = data.fromLeadUnitId;
  const members = [...new Set([...after.map((u) => u.unitId).filter((u) => !added.includes(u)), ...removed])];
  return [{ unitId: from, role: 'lead' as const }, ...members.filter((u) => u !== from).map((unitId) => ({ unitId, role: 'co' as const }))];
}
