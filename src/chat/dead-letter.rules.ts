/**
 * Dead letters in words (issue 15, 死信): why a platform refused a message, said so the 督查室 knows what to fix before
 * pressing 重试, and what each kind of message is. Pure: the raw error text in, Chinese out.
 */

/** What each outbox kind is, as the 督查室 calls it; an unknown kind is a 督办消息. */
export const MESSAGE_KIND_LABELS: Record<string, string> = {
  bot_reply: '机器人回复',
  assignment: '交办卡片',
  review: '审核卡片',
  approval: '审定卡片',
  extension: '延期申请卡片',
  decision: '待决定事项卡片',
  card_refresh: '卡片状态更新',
  reminder: '督办提醒',
  reminder_digest: '提醒汇总',
  overdue_urge: '逾期催办',
  weekly: '每周提醒',
  quarterly_summary: '季度小结提醒',
  clue_notice: '问题线索告知',
  clue_opened: '问题线索告知',
  bulletin_notice: '通报审定通知',
  bulletin_broadcast: '通报发布',
  year_end_summary: '年底清零汇总',
  year_end_owner: '年底清零提醒',
};

export const kindLabel = (kind: string): string => MESSAGE_KIND_LABELS[kind] ?? '督办消息';

/** Known refusals, most specific first: what happened and what to do, in the words of the people who fix it. */
const EXPLANATIONS: { test: RegExp; why: string }[] = [
  { test: /机器人不在该群|robot.*not.*(in|member)|chatid/i, why: '机器人已不在这个群里（可能被移出群或群已解散）。请群主把督办机器人重新拉进群，再点“重试”。' },
  {
    test: /不在应用可见范围|invalidStaffIdList|invaliduser|用户.*无效|userid/i,
    why: '平台找不到这个人，或此人不在督办应用的可见范围内（可能已离职、调岗或账号有变）。请在平台管理后台把此人加入应用可见范围，或在“组织”页核对其账号，再点“重试”。',
  },
  {
    test: /未启用|未配置|WECOM_|DINGTALK_/i,
    why: '这个平台还没有接入本系统（管理员未完成配置），消息无处可发。请系统管理员完成该平台的接入配置后再点“重试”。',
  },
  { test: /ApiCountLimit/i, why: '本月调用平台接口的次数已用完（平台按月限量）。请联系平台管理员提升额度，或等下月额度恢复后再点“重试”。' },
  {
    test: /accessToken|access_token|InvalidAuthentication|40014|42001|secret/i,
    why: '平台拒绝了本系统的接入凭据（应用密钥有误或已更换）。请系统管理员核对应用密钥后再点“重试”。',
  },
  {
    test: /robotCode|invalidParameter|40001|40003|参数/i,
    why: '平台认为消息的参数不对（如机器人编码与应用不符）。请系统管理员核对机器人配置后再点“重试”；如仍失败，请把“平台原话”转给技术人员。',
  },
  {
    test: /群机器人拒收|310000|keywords|关键词/i,
    why: '群里的自定义机器人拒收了这条消息（如安全设置的关键词或加签不符）。请群主核对机器人安全设置后再点“重试”。',
  },
  { test: /网络错误|ECONNREFUSED|ETIMEDOUT|fetch failed|timeout/i, why: '多次连不上平台（网络中断或平台故障），已停止自动重发。请确认网络恢复后再点“重试”。' },
];

/** Why a message was not delivered, in Chinese with the next step; the platform's own words stay as `raw` elsewhere. */
export function explainDeliveryError(raw: string | null): string {
  if (!raw) return '平台没有说明原因。请确认接收的群或人员仍然有效后点“重试”。';
  return EXPLANATIONS.find((e) => e.test.test(raw))?.why ?? '平台拒收了这条消息，系统已停止自动重发。请按“平台原话”排查（可转给技术人员），排除后点“重试”。';
}

/** A readable one-line summary of a text: markdown marks out, cut to `max` characters. */
export function summaryOf(text: string, max = 80): string {
  const plain = text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*`_]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}
