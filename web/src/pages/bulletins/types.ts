/**
 * The 通报 as the API gives it — the types generated from the service's OpenAPI document (web/src/api.gen.ts,
 * `npm run api:types`; src/bulletins/bulletin.view.ts) under the pages' names — and small helpers of the pages.
 */
import { ApiError } from '../../api';
import type { BulletinDetailView, BulletinDraftView, BulletinReproductionView, BulletinRowView, BulletinSectionView, BulletinTableView } from '../../api.gen';

export type BulletinDetail = BulletinDetailView;
export type BulletinRow = BulletinRowView;
export type BulletinDraft = BulletinDraftView;
export type BulletinSection = BulletinSectionView;
export type BulletinBlock = BulletinSectionView['blocks'][number];
export type BulletinTable = BulletinTableView;
export type Reproduction = BulletinReproductionView;
export type BulletinKind = BulletinDetailView['kind'];
export type BulletinState = BulletinDetailView['state'];

export const KIND_LABELS: Record<BulletinKind, string> = { monthly: '月度通报', quarterly: '季度通报', key_supervision: '重点督办专项通报' };
export const STATE_COLORS: Record<BulletinState, string> = { draft: 'default', pending_approval: 'processing', approved: 'success', published: 'blue' };

/** The group directory's row (the org pages' shape; /api/groups is not described in OpenAPI yet). */
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
