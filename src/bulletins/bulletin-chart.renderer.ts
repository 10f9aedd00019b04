import { Injectable, Logger } from '@nestjs/common';
import { renderChartSvg, svgToPng } from './bulletin.chart';
import type { Bulletin } from './bulletin.entity';
import { unitChartRows, type BulletinDraft, type BulletinFacts } from './bulletin.rules';

/**
 * The 通报's bar chart (closed and registered items by unit, the 15 busiest), drawn from its facts. Drawing takes the
 * event loop for a good while (ECharts + resvg): issue 11 (defect 8) — it is done once, when a leader approves the
 * 通报, and kept; a public request never draws.
 */
@Injectable()
export class BulletinChartRenderer {
  private readonly log = new Logger('bulletins');
  /** Charts drawn by this process (logged; a test reads it to see the public link never draws). */
  rendered = 0;

  render(b: Pick<Bulletin, 'facts' | 'periodLabel' | 'number'> & { draft?: Pick<BulletinDraft, 'sections'> }): Buffer {
    // Issue 14: drawn from the draft's unit table when it has one (what the leader approves), else from the facts.
    const fromDraft = b.draft ? unitChartRows(b.draft) : null;
    const rows = fromDraft
      ? fromDraft.map((u, i) => ({ unitName: u.name, closed: u.closed, registered: u.registered, unitId: i }))
      : ((b.facts as unknown as BulletinFacts).byUnit ?? []);
    const units = rows
      .slice()
      .sort((x, y) => y.closed - x.closed || y.registered - x.registered || x.unitId - y.unitId)
      .slice(0, 15);
    const svg = renderChartSvg(
      units.map((u) => ({ name: u.unitName, value: u.closed })),
      { title: `${b.periodLabel}各单位办结事项数` },
    );
    const png = svgToPng(svg);
    this.rendered++;
    this.log.log(JSON.stringify({ event: 'bulletin_chart_rendered', number: b.number, bytes: png.length }));
    return png;
  }
}
