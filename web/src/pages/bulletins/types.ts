/** The 通报 as the API gives it (src/bulletins/bulletin.service.ts get/list), and small helpers of the pages. */
import { ApiError } from '../../api';

export type BulletinKind = 'monthly' | 'quarterly' | 'key_supervision';
export type BulletinState = 'draft' | 'pending_approval' | 'approved' | 'published';

export const KIND_LABELS: Record<BulletinKind, string> = { monthly: '月度通报', quarterly: '季度通报', key_supervision: '重点督办专项通报' };
export const STATE_COLORS: Record<BulletinState, string> = { draft: 'default', pending_approval: 'processing', approved: 'success', published: 'blue' };

export interface BulletinTable {
  caption: string;
  headers: string[];
  rows: string[][];
}
export type BulletinBlock = { type: 'paragraph'; text: string } | { type: 'table'; table: BulletinTable };
export interface BulletinSection {
  heading: string;
  blocks: BulletinBlock[];
}
export interface BulletinDraft {
  kind: BulletinKind;
  title: string;
  subtitle: string | null;
  issueLabel: string;
  office: string;
  periodLabel: string;
  recipients: string | null;
  intro: string;
  sections: BulletinSection[];
  highlights: { overview: string; praise: string[]; praiseCount: number; criticism: string[]; criticismCount: number };
}

export interface BulletinRow {
  number: string;
  kind: BulletinKind;
  kindLabel?: string;
  period: string;
  issue: string;
  state: BulletinState;
  stateLabel: string;
  approvedBy: string | null;
  publishedAt: string;
}

export interface BulletinDetail {
  number: string;
  kind: BulletinKind;
  kindLabel: string;
  period: string;
  issue: string;
  state: BulletinState;
  stateLabel: string;
  edited: boolean;
  groupIds: number[] | null;
  draft: BulletinDraft;
  links: { fullText: string; chart: string };
  approvedBy: string | null;
  approvedAt: string;
  publishedAt: string;
  submitted: boolean;
  returned: { by: string; at: string; reason: string } | null;
  timeline: { at: string; action: string; state: BulletinState; actor: string; channel: string; summary: string }[];
}

export interface Reproduction {
  number: string;
  equal: boolean;
  differences: { line: number; archived: string | null; now: string | null }[];
}

export interface ChatGroupRow {
  id: number;
  platform: 'dingtalk' | 'wecom';
  name: string;
  purpose: string;
  unitId: number | null;
}

export const PLATFORM_LABELS: Record<string, string> = { dingtalk: '钉钉', wecom: '企业微信' };

/** The field errors of a refused request, by field ('period', 'sections.2.blocks.1.table.rows' …). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const p of e.problems ?? []) if (p.field && p.message && !out[p.field]) out[p.field] = p.message;
  return out;
}

/** The first error whose field is `prefix` or lies under it. */
export function errorUnder(errors: Record<string, string>, prefix: string): string | undefined {
  const k = Object.keys(errors).find((f) => f === prefix || f.startsWith(`${prefix}.`));
  return k ? errors[k] : undefined;
}

/** A table's rows renumbered when its first column is 序号 (after a row is removed). */
export function renumber(t: BulletinTable): BulletinTable {
  if (t.headers[0] !== '序号') return t;
  return { ...t, rows: t.rows.map((r, i) => [String(i + 1), ...r.slice(1)]) };
}

/** The caption without its number: '表3　通报批评事项' → '通报批评事项'. */
export const captionName = (caption: string) => caption.replace(/^表\d+\s*/u, '').trim();
