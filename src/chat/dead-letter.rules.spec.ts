import { explainDeliveryError, kindLabel, summaryOf } from './dead-letter.rules';

describe('dead letters in words (issue 15)', () => {
  it.each([
    ['钉钉 /v1.0/robot/groupMessages/send 400 invalidParameter 机器人不在该群中', '重新拉进群'],
    ['钉钉用户 dt-x 无效（invalidStaffIdList）', '可见范围'],
    ['企业微信成员 zhang 无效（invaliduser）', '可见范围'],
    ['平台 wecom 未启用（未配置），无法发送', '接入配置'],
    ['钉钉 /v1.0/robot/oToMessages/batchSend 400 invalidParameter robotCode 不合法', '机器人配置'],
    ['钉钉 /v1.0/x 403 Forbidden.ApiCountLimitForOrg 超限', '额度'],
  ])('%s → says what to do', (raw, words) => {
    const why = explainDeliveryError(raw);
    expect(why).toContain(words);
    expect(why).toContain('重试');
  });

  it('an unknown refusal still says what to do, and no error at all is said too', () => {
    expect(explainDeliveryError('something odd')).toContain('平台原话');
    expect(explainDeliveryError(null)).toContain('重试');
  });

  it('names kinds in Chinese and summarises markdown in one short line', () => {
    expect(kindLabel('bot_reply')).toBe('机器人回复');
    expect(kindLabel('nobody_knows')).toBe('督办消息');
    expect(summaryOf('### 标题\n**加粗** [链接](http://x) ![图](http://y)')).toBe('标题 加粗 链接');
    expect(summaryOf('字'.repeat(100), 10)).toBe(`${'字'.repeat(10)}…`);
  });
});
