/** Hand-written facts for the bulletin specs: a March 2026 month of a small city, in deliberately unsorted order. */
import { shanghaiInstant } from '../shared/shanghai-time';
import type { BulletinCounts, BulletinFacts, SourceFigures, UnitFigures } from './bulletin.rules';

const zero: BulletinCounts = { registered: 0, closed: 0, onTime: 0, overdue: 0, awaiting: 0, returned: 0, failed: 0, keySupervision: 0 };
export const unitFigures = (unitId: number, unitName: string, c: Partial<BulletinCounts>): UnitFigures => ({ unitId, unitName, ...zero, ...c });
export const sourceFigures = (source: SourceFigures['source'], c: Partial<BulletinCounts>): SourceFigures => ({ source, ...zero, ...c });

export function marchFacts(over: Partial<BulletinFacts> = {}): BulletinFacts {
  return {
    kind: 'monthly',
    period: { from: shanghaiInstant('2026-03-01'), to: shanghaiInstant('2026-04-01'), label: '2026年3月' },
    issue: { year: 2026, number: 3 },
    office: '市人民政府督查室',
    recipients: '各县（市、区）人民政府，市政府各部门',
    totals: { registered: 12, closed: 7, onTime: 6, overdue: 2, awaiting: 0, returned: 3, failed: 1, keySupervision: 1 },
    byUnit: [
      unitFigures(30, '市住建局', { registered: 5, closed: 3, onTime: 3, returned: 1 }),
      unitFigures(10, '市交通运输局', { registered: 4, closed: 2, onTime: 1, overdue: 2, returned: 2, keySupervision: 1 }),
      unitFigures(20, '市财政局', { registered: 3, closed: 2, onTime: 2, failed: 1 }),
    ],
    bySource: [
      sourceFigures('hotline', { registered: 2, closed: 1, onTime: 1 }),
      sourceFigures('instruction', { registered: 6, closed: 4, onTime: 3, overdue: 1, returned: 2, failed: 1, keySupervision: 1 }),
      sourceFigures('reform', {}),
      sourceFigures('meeting', { registered: 4, closed: 2, onTime: 2, overdue: 1, returned: 1 }),
    ],
    praise: [
      { number: 'DB2026-0031', title: '推进老旧小区改造', unitName: '市住建局', rating: 'excellent', closedAt: new Date('2026-03-20T02:00:00Z') },
      { number: 'DB2026-0007', title: '落实惠企资金兑付', unitName: '市财政局', rating: 'good', closedAt: new Date('2026-03-09T08:30:00Z') },
    ],
    criticism: [
      { number: 'DB2026-0042', title: '整治城区道路积水点', unitName: '市交通运输局', reason: 'key_supervision', detail: '逾期3天转入重点督办' },
      { number: 'DB2026-0012', title: '编制专项资金管理办法', unitName: '市财政局', reason: 'failed', detail: '办理结果评定为不合格' },
      { number: 'DB2026-0042', title: '整治城区道路积水点', unitName: '市交通运输局', reason: 'late', detail: '逾期5天未办结' },
    ],
    ranking: [
      { rank: 2, unitName: '市财政局', total: 101, points: 1 },
      { rank: 1, unitName: '市住建局', total: 104.5, points: 4.5 },
      { rank: 3, unitName: '市交通运输局', total: 93.5, points: -6.5 },
    ],
    ...over,
  };
}
