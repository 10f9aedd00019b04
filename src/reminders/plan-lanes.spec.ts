import { laneRanges } from './reminder-scheduler.service';

describe('laneRanges (issue 17: planning lanes side by side)', () => {
  it('the lanes cover every id of the register once, from any starting point, and the top stays open for new items', () => {
    for (const maxId of [0, 1, 2, 7, 100, 1001]) {
      for (let start = 0; start <= maxId; start += Math.max(1, Math.floor(maxId / 13))) {
        for (const lanes of [1, 2, 3]) {
          const seen = new Map<number, number>();
          let open = 0;
          for (let k = 0; k < lanes; k++) {
            for (const r of laneRanges(start, maxId, k, lanes)) {
              if (r.to === null) open++;
              // Ids a little past maxId (registered since the run began) fall in the open range.
              for (let id = r.from; id < (r.to ?? maxId + 3); id++) seen.set(id, (seen.get(id) ?? 0) + 1);
            }
          }
          expect(open).toBe(1);
          for (let id = 0; id <= maxId + 2; id++) expect([maxId, start, lanes, id, seen.get(id)]).toEqual([maxId, start, lanes, id, 1]);
        }
      }
    }
  });

  it('two lanes share the register about evenly, the first starting where the instance starts', () => {
    const [a, b] = [laneRanges(600_000, 999_999, 0, 2), laneRanges(600_000, 999_999, 1, 2)];
    expect(a).toEqual([
      { from: 600_000, to: null },
      { from: 0, to: 100_000 },
    ]);
    expect(b).toEqual([{ from: 100_000, to: 600_000 }]);
  });
});
