/**
 * E2 by board (issue 13 §4): where an approved extension takes an item that cannot finish within its node. Pure: the
 * dates and the policy are parameters.
 *
 * - "1"版块 日常管理 (001 §16): 对在7天或1个月时间节点内无法办结、确需长期推进的事项 … 转入系统"持续跟进"版块 — more than
 *   ongoingAfterDays (7) after registration: the item moves to the `ongoing` board (weekly reminders, a monthly report).
 * - "2"版块 重点工作/重大改革 (各自督办制度): 对在一个月内确实解决不了的事项 … 转入"持续推进"板块跟踪督办，并逐月反馈，季度小结，
 *   年底清零 — more than keyTaskOngoingAfterMonths (1) calendar months after registration: 'continuing'. The item STAYS
 *   on its board, with the 持续推进 mark recorded on its timeline. Chosen over moving it to `ongoing` because its board's
 *   policy already is 逐月反馈 (R6) + 季度小结 (R7) with no weekly reminder ("2"版块按照各自督办制度予以提醒), the year-end
 *   清零 check lists the key_task/reform boards, and the 台账 and statistics keep counting it as a key task or reform.
 */
import { addMonthsShanghai, DAY_MS } from '../shared/shanghai-time';
import type { Board } from '../shared/vocabulary';
import type { DeadlinePolicy } from '../settings/deadline-policy';

/** 'ongoing': moves to the 持续跟进 board; 'continuing': 持续推进 on its own board; null: nothing changes. */
export type ExtensionTrack = 'ongoing' | 'continuing' | null;

export function extensionTrack(
  item: { board: Board; registeredAt: Date },
  newDeadline: Date,
  policy: Pick<DeadlinePolicy, 'ongoingAfterDays' | 'keyTaskOngoingAfterMonths'>,
): ExtensionTrack {
  if (item.board === 'key_task' || item.board === 'reform') {
    return newDeadline.getTime() > addMonthsShanghai(item.registeredAt, policy.keyTaskOngoingAfterMonths).getTime() ? 'continuing' : null;
  }
  if (item.board === 'ongoing') return null;
  return newDeadline.getTime() - item.registeredAt.getTime() > policy.ongoingAfterDays * DAY_MS ? 'ongoing' : null;
}

/** What the timeline and the unit are told (C6): what happened and what the unit does from now on. */
export function extensionTrackText(track: ExtensionTrack): string {
  if (track === 'ongoing') return '本事项转入「持续跟进」版块：系统每周提醒一次，请承办单位每月报告进展，直至任务全面落实。';
  if (track === 'continuing') return '本事项一个月内难以办结，转入持续推进：请承办单位每月底前反馈当月进展，每季度末书面报送季度小结，年底前办结清零。';
  return '';
}
