import { clueOfficeNotice, clueUnitNotice, clueUnitTail } from './clue-notice.texts';

const item = { number: 'DB2026-0005', title: '推进政务服务一网通办', signed: true };
const summary = '市农业农村局办理事项 DB2026-0005（3d）逾期2天（按工作日计），超过规定落实时限2天以上且无正当理由。';

describe('what people read when a clue opens (A1, issue 14)', () => {
  it('the unit, on its own: the clue, that it is not a punishment, and what to do with its own number', () => {
    expect(clueUnitNotice({ clueNumber: 'XS2026-0001', summary, item })).toBe(
      `【问题线索】督查室已就贵单位承办的 DB2026-0005「推进政务服务一网通办」登记问题线索 XS2026-0001：${summary}\n` +
        '督查室将核实情况后按程序处理，问题线索不等于问责。如已办理，请尽快反馈：/反馈 DB2026-0005；如有正当理由，请及时向督查室说明。',
    );
  });

  it('P1: a unit that has not signed for the item is asked to 签收 first, not to 反馈', () => {
    expect(clueUnitNotice({ clueNumber: 'XS2026-0001', summary, item: { ...item, signed: false } })).toContain(
      '贵单位尚未签收，请尽快签收：/签收 DB2026-0005，并反馈办理情况；如有正当理由，请及时向督查室说明。',
    );
  });

  it('a clue about no item (S11 ranking) says only what the unit can do', () => {
    expect(clueUnitNotice({ clueNumber: 'XS2026-0002', summary: '连续两年排名后两位。', item: null })).toBe(
      '【问题线索】督查室已就贵单位登记问题线索 XS2026-0002：连续两年排名后两位。\n督查室将核实情况后按程序处理，问题线索不等于问责。如有正当理由，请及时向督查室说明。',
    );
  });

  it('R10: the tail on the moment’s urge says the clue once, and the 督查室 is told what to do', () => {
    expect(clueUnitTail({ clueNumber: 'XS2026-0001' })).toBe(
      '督查室已就此登记问题线索 XS2026-0001，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。',
    );
    expect(clueOfficeNotice({ clueNumber: 'XS2026-0001', summary, item })).toBe(`【问题线索】XS2026-0001：${summary}\n请核实后按程序移交，或不予追究。`);
  });

  it('no rule id in anything a person reads', () => {
    for (const text of [
      clueUnitNotice({ clueNumber: 'X', summary: '', item }),
      clueUnitTail({ clueNumber: 'X' }),
      clueOfficeNotice({ clueNumber: 'X', summary: '', item }),
    ])
      expect(text).not.toMatch(/[A-Z]\d+：/);
  });
});
