import { BulletinFactsService } from './bulletin-facts.service';

/** B1: the periods a 通报 covers — a month, a quarter, or the dates of an ad-hoc 重点督办 通报 (Asia/Shanghai days). */
describe('bulletin periods', () => {
  const facts = new BulletinFactsService(null as never, null as never, null as never);
  const iso = (d: Date) => d.toISOString();

  it.each([
    ['monthly', '2026-03', '2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '2026年3月'],
    ['monthly', '２０２６－１２', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年12月'],
    ['quarterly', '2026q1', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '2026年第一季度'],
    ['quarterly', '2026Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年第四季度'],
    ['key_supervision', '2026-03-01~2026-03-15', '2026-02-28T16:00:00.000Z', '2026-03-15T16:00:00.000Z', '2026年3月1日至2026年3月15日'],
    ['key_supervision', '2026-03-01 至 2026-03-15', '2026-02-28T16:00:00.000Z', '2026-03-15T16:00:00.000Z', '2026年3月1日至2026年3月15日'],
  ] as const)('%s %s', (kind, spec, from, to, label) => {
    const p = facts.period(kind, spec);
    expect([iso(p.from), iso(p.to), p.label]).toEqual([from, to, label]);
  });

  it.each([
    ['monthly', '2026-13'],
    ['monthly', '2026Q1'],
    ['quarterly', '2026Q5'],
    ['key_supervision', '2026-03-15~2026-03-01'],
  ] as const)('refuses %s %s in Chinese, with the form to use', (kind, spec) => {
    expect(() => facts.period(kind, spec)).toThrow(/通报期间/);
  });
});
