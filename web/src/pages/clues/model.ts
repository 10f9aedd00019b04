import type { Me } from '../../api';
import {
  CLUE_TRIGGERS,
  PERSON_MEASURES,
  PROCEDURE_ACTION_LABELS,
  RESULT_SCOPES,
  UNIT_MEASURES,
  type ProcedureAction,
} from '../../../../src/accountability/accountability.types';

export { CLUE_TRIGGERS, PERSON_MEASURES, PROCEDURE_ACTION_LABELS, RESULT_SCOPES, UNIT_MEASURES, type ProcedureAction };

/** A clue as GET /api/accountability/clues lists it; `next` is what each role may do now. */
export interface ClueRow {
  number: string;
  trigger: keyof typeof CLUE_TRIGGERS;
  state: string;
  stateLabel: string;
  unit: string;
  item: string | null;
  summary: string;
  openedAt: string;
  next: { supervisor: ProcedureAction[]; leader: ProcedureAction[] };
}

export interface DocumentRef {
  title: string;
  ref: string;
}

/** One clue with its file (what each step added), its uploaded documents and its timeline. */
export interface ClueDetail extends ClueRow {
  data: {
    proposal?: string;
    verification?: DocumentRef | { skipped: string };
    opinion?: { target: 'unit' | 'person'; name: string; measures: string[] }[];
    auditNote?: string;
    implementation?: string[];
    result?: string;
    scope?: keyof typeof RESULT_SCOPES;
    documents?: DocumentRef[];
  };
  files: { id: number; ref: string; name: string; size: number; uploadedAt: string }[];
  timeline: { at: string; action: string; label: string; from: string | null; to: string | null; actor: string | null; channel: string; summary: string }[];
}

export const isOffice = (me: Me | null | undefined) => !!me && (me.isAdmin || me.roles.includes('supervisor') || me.roles.includes('admin'));
export const isLeader = (me: Me | null | undefined) => !!me && me.roles.includes('leader');

/** The steps this viewer may take on the clue now (an administrator acts as the 督查室). */
export function actionsFor(clue: ClueRow, me: Me | null | undefined): ProcedureAction[] {
  const out = new Set<ProcedureAction>();
  if (isOffice(me)) clue.next.supervisor.forEach((a) => out.add(a));
  if (isLeader(me)) clue.next.leader.forEach((a) => out.add(a));
  return [...out];
}

/** Whose turn it is and what comes next, in a sentence. */
export function nextStep(clue: ClueRow): string {
  const words = (as: ProcedureAction[]) => as.map((a) => PROCEDURE_ACTION_LABELS[a]).join('、');
  if (clue.next.leader.length) return `待分管领导审核（${words(clue.next.leader)}）`;
  if (clue.next.supervisor.length) return `待督查室办理：${words(clue.next.supervisor)}`;
  return clue.state === 'dismissed' ? '已办结：不予追究' : '已办结';
}

/** 12 KB, 1.2 MB. */
export function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
