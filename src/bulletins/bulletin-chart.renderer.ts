import { Injectable, Logger } from '@nestjs/common';
import { renderChartSvg, svgToPng } from './bulletin.chart';
import type { Bulletin } from './bulletin.entity';
import { unitChartRows, type BulletinDraft, type BulletinFacts } from './bulletin.rules';

/** Charts kept by this process: a few drafts' worth (a PNG is 100–200 KiB). */
const KEPT = 8;

/**
 * The 通报's bar chart (closed and registered items by unit, the 15 busiest), drawn from its facts. Drawing takes the
 * event loop for a good while (ECharts + resvg): issue 11 (defect 8) — it is done once, when a leader approves the
 * 通报, and kept; a public request never draws.
 *
 * Issue 17: a draft's chart is drawn once and reused — the preview, the .docx and the submission of the same draft
 * (its number and version, and the same bars and title) get the same bytes without drawing again. A new version of
 * the draft (edited, submitted, sent back, approved) is drawn afresh.
 */
@Injectable()
export class BulletinChartRenderer {
  private readonly log = new Logger('bulletins');
  /** Charts drawn by this process (logged; a test reads it to see the public link never draws). */
  rendered = 0;
  /** The last charts drawn, by draft and content; the oldest goes first. */
  private readonly kept = new Map<string, Buffer>();

  render(b: Pick<Bulletin, 'facts' | 'periodLabel' | 'number'> & { version?: number; draft?: Pick<BulletinDraft, 'sections'> }): Buffer {
    // Issue 14: drawn from the draft's unit table when it has one (what the leader approves), else from the facts.
    const fromDraft = b.draft ? unitChartRows(b.draft) : null;
    const rows = fromDraft
      ? fromDraft.map((u, i) => ({ unitName: u.name, closed: u.closed, registered: u.registered, unitId: i }))
      : ((b.facts as unknown as BulletinFacts).byUnit ?? []);
    const units = rows
      .slice()
      .sort((x, y) => y.closed - x.closed || y.registered - x.registered || x.unitId - y.unitId)
      .slice(0, 15);
    const bars = units.map((u) => ({ name: u.unitName, value: u.closed }));
    const title = `${b.periodLabel}各单位办结事项数`;
    const key = JSON.stringify([b.number, b.version ?? null, title, bars]);
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const png = svgToPng(renderChartSvg(bars, { title }));
    this.rendered++;
    this.kept.set(key, png);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.log.log(JSON.stringify({ event: 'bulletin_chart_rendered', number: b.number, bytes: png.length }));
    return png;
  }
}
