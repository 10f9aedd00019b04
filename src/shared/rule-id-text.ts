/**
 * Issue 14: people never read rule ids. Timeline lines written before they were dropped ("R5：逾期已满3天…",
 * "C4：2 个子事项全部办结…") are stored as they were (C6: the log is append-only), so they are read through this.
 */
const LEADING_RULE_ID = /^[A-Z]\d+[：:]\s*/;

export function withoutRuleId(text: string): string {
  return text.replace(LEADING_RULE_ID, '');
}

/** Score lines written before the ids were dropped began with theirs ("S7 报告第2次被退回 −1.5"); the rule is its own column. */
export function withoutScoreRuleId(text: string): string {
  return text.replace(/^S\d+\s+/, '');
}
