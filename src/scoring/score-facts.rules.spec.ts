import { scoreFactsFromTimeline, TimelineEventLike } from './score-facts.rules';

const t = (s: string) => new Date(`${s}+08:00`);
const ev = (id: number, type: string, at: string, data: Record<string, unknown> | null = null): TimelineEventLike => ({ id, type, at: t(at), data });
const units = [
  { unitId: 2, role: 'co' as const },
  { unitId: 1, role: 'lead' as const },
];
const kinds = (events: TimelineEventLike[]) =>
  scoreFactsFromTimeline(9, events, units).map(
    (f) => `${f.type}${'unitId' in f ? `:${f.unitId}` : `:${(f as { leadUnitId: number }).leadUnitId}`}@${f.eventId}`,
  );

describe('score facts from an item timeline (DOMAIN §5)', () => {
  it('S1: the first assignment includes the lead unit, then the co-units; a second assignment adds nothing', () => {
    expect(kinds([ev(1, 'registered', '2026-03-02T09:00:00'), ev(2, 'assigned', '2026-03-02T10:00:00'), ev(3, 'assigned', '2026-03-03T10:00:00')])).toEqual([
      'included:1@2',
      'included:2@2',
    ]);
  });

  it('S5: one late report per deadline — a report on time or a second late one adds nothing; an approved extension sets a new deadline', () => {
    const events = [
      ev(1, 'registered', '2026-03-02T09:00:00', { deadline: t('2026-03-03T09:00:00').toISOString() }),
      ev(2, 'reported', '2026-03-03T08:00:00'),
      ev(3, 'reported', '2026-03-03T10:00:00'),
      ev(4, 'reported', '2026-03-03T11:00:00'),
      ev(5, 'extension_approved', '2026-03-03T12:00:00', { to: t('2026-03-05T18:00:00').toISOString() }),
      ev(6, 'reported', '2026-03-05T17:00:00'),
      ev(7, 'reported', '2026-03-06T09:00:00'),
    ];
    // A1, one meaning of overdue: the 08:00 report answered the node in time, so later reports are not late answers;
    // after the extension the 17:00 report answered the new node in time too.
    expect(kinds(events)).toEqual([]);
    // Without the on-time answers: one late report per deadline.
    expect(kinds(events.filter((e) => e.id !== 2 && e.id !== 6))).toEqual(['report_late:1@3', 'report_late:1@7']);
  });

  it('S5 with A1 — a returned answer (退回, F2) no longer stands: the next report past the deadline is a late report', () => {
    const events = [
      ev(1, 'registered', '2026-03-02T09:00:00', { deadline: t('2026-03-03T09:00:00').toISOString() }),
      ev(2, 'closure_requested', '2026-03-03T08:00:00'),
      ev(3, 'reported', '2026-03-03T10:00:00'),
      ev(4, 'returned', '2026-03-03T11:00:00', { returnNo: 1 }),
      ev(5, 'reported', '2026-03-04T10:00:00'),
    ];
    expect(kinds(events)).toEqual(['returned:1@4', 'report_late:1@5']);
  });

  it('S5, S6 — blame follows custody (issue 14): reassigned to another lead unit, the new unit’s own deadline counts from then; what came before is the old unit’s', () => {
    // Unit 3 held the item, let it run into 重点督办 and never answered; the 督查室 gave it to unit 1 (the current lead)
    // with a new deadline, and unit 1 reported in time for it — late for the old deadline.
    const events = [
      ev(1, 'registered', '2026-03-02T09:00:00', { deadline: t('2026-03-06T18:00:00').toISOString() }),
      ev(2, 'key_supervision', '2026-03-11T18:00:00'),
      ev(3, 'reassigned', '2026-03-12T10:00:00', {
        fromLeadUnitId: 3,
        leadUnitId: 1,
        coUnitIds: [2],
        removedUnitIds: [3],
        addedUnitIds: [1],
        deadline: t('2026-03-18T18:00:00').toISOString(),
        answerStands: false,
      }),
      ev(4, 'reported', '2026-03-17T10:00:00'),
    ];
    expect(kinds(events)).toEqual(['key_supervision:3@2']);
    // S1 at 交办 went to the units of that moment: unit 3 leading, unit 2 co-handling (unit 1 was added later).
    expect(kinds([events[0], ev(2, 'assigned', '2026-03-02T10:00:00'), events[2], events[3]])).toEqual(['included:3@2', 'included:2@2']);
    // Late for its own deadline, it is late.
    expect(kinds([...events.slice(0, 3), ev(4, 'reported', '2026-03-19T10:00:00')])).toEqual(['key_supervision:3@2', 'report_late:1@4']);
    // A reassignment that changed only the people (or was recorded before issue 14) changes nothing.
    expect(kinds([events[0], ev(3, 'reassigned', '2026-03-12T10:00:00', { leadUnitId: 1 }), events[3]])).toEqual(['report_late:1@4']);
  });

  it('S7, S2/S8, S6: returns numbered per item, ratings and 重点督办 — on the lead unit (P4)', () => {
    const facts = scoreFactsFromTimeline(
      9,
      [
        ev(3, 'returned', '2026-03-04T09:00:00', { returnNo: 1 }),
        ev(4, 'returned', '2026-03-05T09:00:00'),
        ev(5, 'key_supervision', '2026-03-06T09:00:00'),
        ev(6, 'rated', '2026-03-07T09:00:00', { rating: 'good' }),
        ev(7, 'rated', '2026-03-08T09:00:00', { rating: 'bogus' }),
      ],
      units,
    );
    expect(facts).toEqual([
      { type: 'returned', itemId: 9, leadUnitId: 1, nth: 1, at: t('2026-03-04T09:00:00'), eventId: 3 },
      { type: 'returned', itemId: 9, leadUnitId: 1, nth: 2, at: t('2026-03-05T09:00:00'), eventId: 4 },
      { type: 'key_supervision', itemId: 9, leadUnitId: 1, at: t('2026-03-06T09:00:00'), eventId: 5 },
      { type: 'rated', itemId: 9, leadUnitId: 1, rating: 'good', at: t('2026-03-07T09:00:00'), eventId: 6 },
    ]);
  });

  it('S6 — 进入重点督办环节的，每项减5分: counted once per item — set by R5 or by hand, cleared and set again is still one S6; clearing refunds nothing', () => {
    expect(
      kinds([
        ev(1, 'key_supervision', '2026-03-06T09:00:00', { origin: 'office', reason: '领导要求' }),
        ev(2, 'key_supervision_cleared', '2026-03-09T09:00:00', { reason: '已整改' }),
        ev(3, 'key_supervision', '2026-03-12T09:00:00', { origin: 'office', reason: '再次滞后' }),
        ev(4, 'key_supervision', '2026-03-16T09:00:00', { origin: 'R5' }),
      ]),
    ).toEqual(['key_supervision:1@1']);
  });

  it('reads the events in id order whatever order they are given in', () => {
    expect(kinds([ev(2, 'assigned', '2026-03-02T10:00:00'), ev(1, 'registered', '2026-03-02T09:00:00')])).toEqual(['included:1@2', 'included:2@2']);
  });

  it("issue 14, D3: the leader's 退回 voids the owner's rating (S2 undone) and counts as a return; the next rating counts", () => {
    expect(
      kinds([
        ev(1, 'assigned', '2026-03-02T10:00:00'),
        ev(2, 'closure_requested', '2026-03-03T10:00:00'),
        ev(3, 'rated', '2026-03-03T11:00:00', { rating: 'good' }),
        ev(4, 'returned', '2026-03-04T09:00:00', { returnNo: 1, by: 'leader' }),
        ev(5, 'closure_requested', '2026-03-05T10:00:00'),
        ev(6, 'rated', '2026-03-05T11:00:00', { rating: 'excellent' }),
      ]),
    ).toEqual(['included:1@1', 'included:2@1', 'rated:1@3', 'returned:1@4', 'rating_voided:1@4', 'rated:1@6']);
  });
});
