import { withoutRuleId, withoutScoreRuleId } from './rule-id-text';

describe('stored lines read without the rule ids they were written with (issue 14)', () => {
  it.each([
    ['R5：逾期已满3天，转入重点督办', '逾期已满3天，转入重点督办'],
    ['A2：督查室移交问题线索，问责建议：通报', '督查室移交问题线索，问责建议：通报'],
    ['C4: 2 个子事项全部办结', '2 个子事项全部办结'],
    ['函询：请说明进度', '函询：请说明进度'],
    ['DB2026-0001：已签收', 'DB2026-0001：已签收'],
  ])('%s → %s', (stored, shown) => expect(withoutRuleId(stored)).toBe(shown));

  it('score lines drop their leading rule, nothing else', () => {
    expect(withoutScoreRuleId('S7 报告第2次被退回 −1.5')).toBe('报告第2次被退回 −1.5');
    expect(withoutScoreRuleId('办理结果评定为优秀 +3')).toBe('办理结果评定为优秀 +3');
  });
});
