import { invalid } from '../shared/errors';

/**
 * How long the texts people write may be, from the columns that keep them (issue 11: a 30,000-character report
 * failed in the database and, in chat, was redelivered for ever). A TEXT column holds 65,535 bytes; utf8mb4 takes up
 * to 4 bytes a character, so 16,000 characters always fit, whatever they are. VARCHAR(500) holds 500 characters.
 * Counted in characters (code points), as people count them and as class-validator's MaxLength does.
 */
export const TEXT_LIMITS = {
  /** report.content (TEXT) */
  report: { max: 16_000, label: '反馈内容', long: true },
  /** item_request.text (TEXT) */
  closureSummary: { max: 16_000, label: '办结情况说明', long: true },
  /** item_request.text / plan (TEXT); the API's own bounds */
  extensionReason: { max: 2_000, label: '延期理由', long: false },
  extensionPlan: { max: 5_000, label: '落实方案', long: false },
  verificationNote: { max: 2_000, label: '核验说明', long: false },
  /** report.return_reason and item_request.decision_note (VARCHAR(500)) */
  returnReason: { max: 500, label: '退回理由', long: false },
  decisionNote: { max: 500, label: '审批意见', long: false },
  ratingComment: { max: 500, label: '评定意见', long: false },
  /** item_event.summary (TEXT) holds an urging's record in full (R5) */
  urgingRecord: { max: 2_000, label: '催办记录', long: false },
  keySupervisionReason: { max: 500, label: '重点督办理由', long: false },
  /** accountability and bulletin decisions given in chat */
  auditNote: { max: 500, label: '审核意见', long: false },
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

export const characters = (s: string): number => [...s].length;

/** null when it fits; otherwise the sentence to tell the person. */
export function tooLong(kind: TextKind, text: string): string | null {
  const { max, label, long } = TEXT_LIMITS[kind];
  const n = characters(text);
  if (n <= max) return null;
  const next = long ? '请分几次发送，或把详细材料作为文件发送。' : `请精简到 ${max} 字以内后重新提交。`;
  return `${label}过长：最多 ${max} 字，这次有 ${n} 字。${next}`;
}

/** The same as a DomainError (400 in the API, a reply in chat). */
export function checkLength(kind: TextKind, text: string | undefined | null, field: string): void {
  const problem = text ? tooLong(kind, text) : null;
  if (problem) throw invalid('TEXT.TOO_LONG', problem, { field, max: TEXT_LIMITS[kind].max });
}
