/**
 * One meaning of overdue (DOMAIN A1, B1, B3, B4, R3; seeds 001 §13, 001 追究 §5, 000 §15–16): the unit is late when its
 * answering report (反馈) or its closure request (申请办结) did not arrive by the deadline — a late leader sign-off does not
 * make the unit late. Lateness is counted in working time on the real 2026 calendar.
 */
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { closedOnTime, isClueLate, lightOf, OVERDUE_CLUE_AFTER_MS, OverdueFacts, unitLateAt, unitStanding } from './overdue.rules';

const cal = new WorkCalendar(chineseDaysSource());
const t = (s: string) => new Date(`${s}+08:00`);
const H = 3600_000;

const fri = t('2026-03-06T18:00:00'); // a Friday, a working day
const facts = (more: Partial<OverdueFacts> = {}): OverdueFacts => ({
  state: 'in_progress',
  assignedAt: t('2026-03-02T09:00:00'),
  deadlineAt: fri,
  answeredAt: null,
  closedAt: null,
  ...more,
});

describe('unitStanding — one meaning of overdue (A1 "the unit\'s answering report or closure request did not arrive by the deadline")', () => {
  it('before the deadline, unanswered: not yet due', () => {
    expect(unitStanding(facts(), t('2026-03-06T17:59:00'), cal)).toMatchObject({ standing: 'not_due', lateMs: 0, closed: false });
  });

  it('R3 — 承办单位提前报送情况的: a report before the deadline answers it, whatever comes after', () => {
    const s = unitStanding(facts({ answeredAt: t('2026-03-05T10:00:00') }), t('2026-03-20T10:00:00'), cal);
    expect(s).toMatchObject({ standing: 'answered_on_time', lateMs: 0 });
  });

  it('A1 — 超过规定落实时限2天以上, counted in working time: Friday 18:00 is 2 working days late on Tuesday 18:00, not Sunday', () => {
    expect(unitStanding(facts(), t('2026-03-08T18:00:00'), cal)).toMatchObject({ standing: 'late', lateMs: 6 * H });
    expect(unitStanding(facts(), t('2026-03-10T18:00:00'), cal)).toMatchObject({ standing: 'late', lateMs: 48 * H });
    expect(isClueLate(unitStanding(facts(), t('2026-03-10T17:59:00'), cal))).toBe(false);
  });

  it('A1 — 以上 includes the number: exactly 2 working days late is a clue', () => {
    expect(OVERDUE_CLUE_AFTER_MS).toBe(48 * H);
    expect(isClueLate(unitStanding(facts(), t('2026-03-10T18:00:00'), cal))).toBe(true);
  });

  it('A1 — 劳动节 2026 adds nothing: a deadline of 04-30 18:00 is not 2 days late until 05-07 18:00', () => {
    const f = facts({ deadlineAt: t('2026-04-30T18:00:00') });
    expect(isClueLate(unitStanding(f, t('2026-05-06T09:00:00'), cal))).toBe(false);
    expect(isClueLate(unitStanding(f, t('2026-05-07T17:59:00'), cal))).toBe(false);
    expect(isClueLate(unitStanding(f, t('2026-05-07T18:00:00'), cal))).toBe(true);
  });

  it('a late answer stays late, by how late it came (not by now)', () => {
    const s = unitStanding(facts({ answeredAt: t('2026-03-09T12:00:00') }), t('2026-03-30T09:00:00'), cal);
    expect(s).toMatchObject({ standing: 'answered_late', lateMs: 18 * H });
  });

  it("an item never handed over (已立项, never 交办) is not the unit's", () => {
    expect(unitStanding(facts({ state: 'registered', assignedAt: null }), t('2026-03-20T10:00:00'), cal)).toMatchObject({
      standing: 'not_assigned',
      lateMs: 0,
    });
    expect(unitStanding(facts({ state: 'draft', assignedAt: null }), t('2026-03-20T10:00:00'), cal).standing).toBe('not_assigned');
  });

  it("B1 — a unit that asked for closure on time and waits for the leader's 审定 is answered on time and awaiting approval", () => {
    const f = facts({ state: 'pending_approval', answeredAt: t('2026-03-06T10:00:00') });
    expect(unitStanding(f, t('2026-03-20T10:00:00'), cal)).toMatchObject({ standing: 'answered_on_time', awaiting: 'approval' });
    expect(unitStanding({ ...f, state: 'closure_requested' }, t('2026-03-20T10:00:00'), cal).awaiting).toBe('review');
    expect(unitStanding({ ...f, state: 'under_review' }, t('2026-03-20T10:00:00'), cal).awaiting).toBe('review');
  });

  it("B1 — a late leader sign-off does not make the unit late: a closed item is judged by the unit's answer", () => {
    const f = facts({ state: 'closed', answeredAt: t('2026-03-06T10:00:00'), closedAt: t('2026-03-16T10:00:00') });
    expect(unitStanding(f, t('2026-03-20T10:00:00'), cal)).toMatchObject({ standing: 'answered_on_time', closed: true, awaiting: null });
  });

  it('a closed item from before the answer was recorded falls back to its closing time', () => {
    const f = facts({ state: 'archived', answeredAt: null, closedAt: t('2026-03-09T18:00:00') });
    expect(unitStanding(f, t('2026-03-20T10:00:00'), cal)).toMatchObject({ standing: 'answered_late', lateMs: 24 * H, closed: true });
  });
});

describe('the lights, the 通报 and the statistics read the same standing (B1, B3, B4)', () => {
  it('B3 — 红灯 is the unit late now; an answered item is green; yellow is due within 24 h, or never handed over and past due', () => {
    const now = t('2026-03-09T10:00:00');
    expect(lightOf(facts(), now)).toBe('red');
    expect(lightOf(facts({ answeredAt: t('2026-03-06T10:00:00') }), now)).toBe('green');
    expect(lightOf(facts({ state: 'pending_approval', answeredAt: t('2026-03-06T10:00:00') }), now)).toBe('green');
    expect(lightOf(facts({ state: 'registered', assignedAt: null }), now)).toBe('yellow');
    expect(lightOf(facts({ deadlineAt: t('2026-03-10T09:00:00') }), now)).toBe('yellow');
    expect(lightOf(facts({ deadlineAt: t('2026-03-10T10:01:00') }), now)).toBe('green');
    expect(lightOf(facts({ state: 'closed', closedAt: now }), now)).toBe('done');
  });

  it('B1 — 通报批评 "late" at a period end: no answer or a late one; not an item handed over after it, nor one still due', () => {
    const end = t('2026-04-01T00:00:00');
    expect(unitLateAt(facts(), end)).toBe(true);
    expect(unitLateAt(facts({ answeredAt: t('2026-03-09T09:00:00') }), end)).toBe(true);
    expect(unitLateAt(facts({ answeredAt: t('2026-03-06T17:00:00') }), end)).toBe(false);
    expect(unitLateAt(facts({ assignedAt: null }), end)).toBe(false);
    expect(unitLateAt(facts({ deadlineAt: t('2026-04-03T18:00:00') }), end)).toBe(false);
    // Answered only after the period ended: at its end the unit was late.
    expect(unitLateAt(facts({ answeredAt: t('2026-04-02T09:00:00') }), end)).toBe(true);
  });

  it("B1 — 按期办结 by the unit's answer: a leader who signed late does not make it late", () => {
    expect(closedOnTime({ deadlineAt: fri, answeredAt: t('2026-03-05T10:00:00'), closedAt: t('2026-03-20T10:00:00') })).toBe(true);
    expect(closedOnTime({ deadlineAt: fri, answeredAt: t('2026-03-09T10:00:00'), closedAt: t('2026-03-09T12:00:00') })).toBe(false);
    expect(closedOnTime({ deadlineAt: fri, answeredAt: null, closedAt: t('2026-03-06T12:00:00') })).toBe(true);
  });
});
