import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatItemNumber } from '../cases/item-number.rules';
import { SOURCES, type Rating, type Source } from '../shared/vocabulary';
import { invalid } from '../shared/errors';
import { shanghaiInstant } from '../shared/shanghai-time';
import { ScoringService } from '../scoring/scoring.service';
import type { AwaitingItem, BulletinCounts, BulletinFacts, BulletinKind, CriticismItem, PraiseItem, SourceFigures, UnitFigures } from './bulletin.rules';
import { CalendarService } from '../calendar/calendar.service';
import { workingTimeBetween } from '../calendar/working-time';

export interface Period {
  from: Date;
  to: Date;
  label: string;
  year: number;
}

const ZERO: BulletinCounts = { registered: 0, closed: 0, onTime: 0, overdue: 0, awaiting: 0, returned: 0, failed: 0, keySupervision: 0 };
/**
 * A1, one meaning of overdue (cases/overdue.rules.ts), in SQL. Open at the period end `?` (closed_at NULL or later),
 * the deadline passed by it, the item handed over before it. Parameters: to, to, to.
 */
const OPEN_PAST_DEADLINE_AT = '(i.closed_at IS NULL OR i.closed_at >= ?) AND i.deadline_at < ? AND i.assigned_at IS NOT NULL AND i.assigned_at < ? ';
/** unitLateAt: no answer, or one after the deadline. */
const UNIT_LATE_AT = `${OPEN_PAST_DEADLINE_AT}AND (i.answered_at IS NULL OR i.answered_at > i.deadline_at) `;
/**
 * Answered in time by a closure request still standing at the period end (`?`): waiting for 审核 (pending) or 审定
 * (approved) — or by an extension request the owner had not decided by then (`?`, `?`; issue 14: the owner's time).
 */
const EXTENSION_UNDECIDED_AT = `EXISTS (SELECT 1 FROM item_request x WHERE x.item_id = i.id AND x.kind = 'extension' AND x.requested_at < ? AND (x.status = 'pending' OR x.decided_at >= ?))`;
const AWAITING_AT = `${OPEN_PAST_DEADLINE_AT}AND i.answered_at <= i.deadline_at AND (EXISTS (SELECT 1 FROM item_request q WHERE q.item_id = i.id AND q.kind = 'closure' AND q.status IN ('pending', 'approved') AND q.requested_at < ?) OR ${EXTENSION_UNDECIDED_AT}) `;
/** closedOnTime: the unit's answer (or, for an item closed before answers were kept, its closing) by the deadline. */
const ON_TIME = 'COALESCE(i.answered_at, i.closed_at) <= i.deadline_at';
const CN_Q = ['', '一', '二', '三', '四'];
const DAY = 86_400_000;
/**
 * B1 names units and items to praise and criticise: a 通报 lists at most this many items per list (praise; late,
 * returned, 不合格, 重点督办 each) — the gravest first — while every count covers all of them.
 */
export const LIST_MAX = 100;
/** Issue 17: a 通报's reads run this many at a time (the connection pool is shared with everything else). */
const READS_AT_ONCE = 3;

/** `f` with at most `n` calls running at a time; the others start, in the order made, as those end. */
function limited<A extends unknown[], R>(n: number, f: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (...a: A) => {
    if (running < n) running++;
    else await new Promise<void>((go) => waiting.push(go)); // a call that ends hands its place over
    try {
      return await f(...a);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * B1/B2: the figures of a period, straight from the database — every count of a bulletin is one of these queries, so
 * the same period read again gives the same bulletin (the reproduction check). Counted per lead unit and source in
 * one pass each, so the totals, the unit table and the source table always agree.
 */
@Injectable()
export class BulletinFactsService {
  constructor(
    private readonly db: DataSource,
    private readonly scoring: ScoringService,
    private readonly calendar: CalendarService,
  ) {}

  /** '2026-03' (monthly), '2026Q1' (quarterly), or '2026-03-01~2026-03-15' (an ad-hoc 重点督办 通报). */
  period(kind: BulletinKind, spec: string): Period {
    const s = spec.normalize('NFKC').trim().toUpperCase();
    let m: RegExpExecArray | null;
    if (kind === 'monthly' && (m = /^(\d{4})-?(\d{1,2})$/.exec(s)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
      return { from: shanghaiInstant(`${y}-${String(mo).padStart(2, '0')}-01`), to: shanghaiInstant(next), label: `${y}年${mo}月`, year: y };
    }
    if (kind === 'quarterly' && (m = /^(\d{4})Q([1-4])$/.exec(s))) {
      const y = Number(m[1]);
      const q = Number(m[2]);
      const start = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
      const end = q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      return { from: shanghaiInstant(start), to: shanghaiInstant(end), label: `${y}年第${CN_Q[q]}季度`, year: y };
    }
    if (kind === 'key_supervision' && (m = /^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/.exec(s.replace(/\s|至|到/g, '~').replace(/~+/g, '~')))) {
      const from = shanghaiInstant(m[1]);
      const to = new Date(shanghaiInstant(m[2]).getTime() + DAY);
      if (to <= from) throw invalid('BULLETIN.BAD_PERIOD', '通报期间的结束日期须不早于开始日期。', { field: 'period' });
      return {
        from,
        to,
        label: `${m[1].replace(/-0?/, '年').replace(/-0?/, '月')}日至${m[2].replace(/-0?/, '年').replace(/-0?/, '月')}日`,
        year: Number(m[1].slice(0, 4)),
      };
    }
    const example = kind === 'monthly' ? '2026-03' : kind === 'quarterly' ? '2026Q1' : '2026-03-01~2026-03-15';
    throw invalid(
      'BULLETIN.BAD_PERIOD',
      `通报期间「${spec}」无效，${kind === 'monthly' ? '月度' : kind === 'quarterly' ? '季度' : '专项'}通报请写成 ${example}。`,
      { field: 'period' },
    );
  }

  async collect(kind: BulletinKind, period: Period, issue: { year: number; number: number }, office: string, recipients?: string): Promise<BulletinFacts> {
    // SQLite keeps instants as UTC text ('2026-03-01 16:00:00.000'); MySQL/MariaDB take the Date (UTC connection).
    const from = sqlInstant(this.db, period.from);
    const to = sqlInstant(this.db, period.to);
    // Issue 17: the reads below are independent — up to READS_AT_ONCE run at a time on the pool's connections (the
    // database works on several while the service waits), started in a fixed order and used in that order.
    const q = limited(READS_AT_ONCE, (sql: string, params: unknown[]) => this.db.query(sql, params) as Promise<Record<string, unknown>[]>);
    // Issue 17: the period's items (or events) first, then their lead unit. Left to choose, MariaDB read every item_unit
    // row and then each item (233,000 rows for each count of 100,000 items, 0.4–0.9 s under load) unless ANALYZE TABLE
    // had given it the columns' statistics; STRAIGHT_JOIN keeps the order written. SQLite keeps it without being told.
    const then = this.db.options.type === 'better-sqlite3' ? 'JOIN' : 'STRAIGHT_JOIN';
    const lead = `${then} item_unit iu ON iu.item_id = i.id AND iu.role = ? `;
    const live = "i.state <> 'draft' AND i.decomposed = ? ";
    const cells = new Map<string, BulletinCounts & { unitId: number; source: Source }>();
    const cell = (unitId: number, source: Source) => {
      const k = `${unitId}|${source}`;
      if (!cells.has(k)) cells.set(k, { ...ZERO, unitId, source });
      return cells.get(k)!;
    };
    const add = (rows: Record<string, unknown>[], field: keyof BulletinCounts, col = 'n') => {
      for (const r of rows) cell(Number(r.unitId), r.source as Source)[field] += Number(r[col] ?? 0);
    };
    const registeredRows = q(
      `SELECT iu.unit_id AS unitId, i.source AS source, COUNT(*) AS n FROM item i ${lead}WHERE ${live}AND i.registered_at >= ? AND i.registered_at < ? GROUP BY iu.unit_id, i.source`,
      ['lead', 0, from, to],
    );
    const closedRows = q(
      `SELECT iu.unit_id AS unitId, i.source AS source, COUNT(*) AS n, SUM(CASE WHEN ${ON_TIME} THEN 1 ELSE 0 END) AS onTime FROM item i ${lead}WHERE ${live}AND i.closed_at >= ? AND i.closed_at < ? GROUP BY iu.unit_id, i.source`,
      ['lead', 0, from, to],
    );
    // Issue 17: the items late and awaiting at the period end are read once each — counted here, the first LIST_MAX of
    // each (by deadline, then id) listed below — through ix_item_closed_counts alone (the items still open then).
    const lateItems = q(
      `SELECT i.id AS id, iu.unit_id AS unitId, i.source AS source, i.deadline_at AS deadlineAt, i.answered_at AS answeredAt FROM item i ${lead}WHERE ${live}AND ${UNIT_LATE_AT}`,
      ['lead', 0, to, to, to],
    );
    const awaitingItems = q(
      `SELECT i.id AS id, iu.unit_id AS unitId, i.source AS source, i.deadline_at AS deadlineAt FROM item i ${lead}WHERE ${live}AND ${AWAITING_AT}`,
      ['lead', 0, to, to, to, to, to, to],
    );
    const eventRows = q(
      // 重点督办 counts items (R5: set, cleared and set again by the 督查室 is one item in 重点督办); the rest count events.
      `SELECT iu.unit_id AS unitId, i.source AS source, e.type AS type, COUNT(DISTINCT CASE WHEN e.type = 'key_supervision' THEN e.item_id ELSE e.id END) AS n FROM item_event e ${then} item i ON i.id = e.item_id ${lead}WHERE e.at >= ? AND e.at < ? AND (e.type IN (?, ?) OR (e.type = ? AND e.data LIKE ?)) GROUP BY iu.unit_id, i.source, e.type`,
      ['lead', from, to, 'returned', 'key_supervision', 'rated', '%"rating":"fail"%'],
    );
    const unitRows = q('SELECT id, name FROM unit', []);
    // The lists' reads start now too (below, each awaited where it is used). A listed item's unit is named from the units
    // read above, as in the unit table (units are never deleted; `#id` if one were missing). Joined to unit in SQL, the
    // lists were read from the unit: MariaDB read every unit's items in unit order (100,000 rows for 100 praised), or,
    // its statistics not yet updated after many rows came in, joined each of a month's events with all 500 units
    // (7–10 s for each list of returns, 重点督办 and 不合格 in the bench).
    const praiseRows = q(
      `SELECT i.number AS number, i.title AS title, iu.unit_id AS unitId, i.rating AS rating, i.closed_at AS closedAt FROM item i ${lead}WHERE ${live}AND i.closed_at >= ? AND i.closed_at < ? AND ${ON_TIME} AND i.rating IN (?, ?) ORDER BY CASE WHEN i.rating = ? THEN 0 ELSE 1 END, i.closed_at, i.id LIMIT ${LIST_MAX}`,
      ['lead', 0, from, to, 'excellent', 'good', 'excellent'],
    );
    // The first LIST_MAX late and awaiting items by deadline, then id — the order the lists were read in by SQL.
    const firstListed = async (items: Promise<Record<string, unknown>[]>) =>
      (await items)
        .map((r) => ({ id: Number(r.id), unitId: r.unitId, deadline: asDate(r.deadlineAt).getTime(), answeredAt: r.answeredAt }))
        .sort((a, b) => a.deadline - b.deadline || a.id - b.id)
        .slice(0, LIST_MAX);
    const inList = (ids: number[]) => (ids.length ? ids.map(() => '?').join(', ') : 'NULL');
    const lateRows = firstListed(lateItems).then(async (first) => {
      const ids = first.map((r) => r.id);
      const found = await q(`SELECT id, number, title FROM item WHERE id IN (${inList(ids)})`, ids);
      const byId = new Map(found.map((r) => [Number(r.id), r] as const));
      return first.map((r): Record<string, unknown> => ({
        ...byId.get(r.id),
        unitId: r.unitId,
        deadlineAt: new Date(r.deadline),
        answeredAt: r.answeredAt,
      }));
    });
    const awaitingListRows = firstListed(awaitingItems).then(async (first) => {
      const ids = first.map((r) => r.id);
      const found = await q(
        `SELECT i.id AS id, i.number AS number, i.title AS title, i.answered_at AS askedAt,
           (SELECT MAX(a.decided_at) FROM item_request a WHERE a.item_id = i.id AND a.kind = 'closure' AND a.status = 'approved' AND a.requested_at < ? AND a.decided_at < ?) AS ratedAt,
           (SELECT COUNT(*) FROM item_request c WHERE c.item_id = i.id AND c.kind = 'closure' AND c.status IN ('pending', 'approved') AND c.requested_at < ?) AS asked
         FROM item i WHERE i.id IN (${inList(ids)})`,
        [to, to, to, ...ids],
      );
      const byId = new Map(found.map((r) => [Number(r.id), r] as const));
      return first.map((r): Record<string, unknown> => ({ ...byId.get(r.id), unitId: r.unitId }));
    });
    const flaggedRows = (
      [
        ['key_supervision', '%'],
        ['rated', '%"rating":"fail"%'],
        ['returned', '%'],
      ] as const
    ).map(([type, like]) =>
      q(
        `SELECT i.number AS number, i.title AS title, iu.unit_id AS unitId, e.type AS type, e.summary AS summary, e.data AS data FROM item_event e ${then} item i ON i.id = e.item_id ${lead}WHERE e.at >= ? AND e.at < ? AND e.type = ? AND (e.data LIKE ? OR e.data IS NULL) ORDER BY e.at, e.id LIMIT ${LIST_MAX}`,
        ['lead', from, to, type, like],
      ),
    );
    const rankingRows = this.scoring.ranking(period.year);
    const calendarRead = this.calendar.calendar();
    // Read to the end before anything is thrown: no read is left running unawaited.
    await Promise.allSettled([
      registeredRows,
      closedRows,
      lateItems,
      awaitingItems,
      eventRows,
      unitRows,
      praiseRows,
      lateRows,
      awaitingListRows,
      ...flaggedRows,
      rankingRows,
      calendarRead,
    ]);

    add(await registeredRows, 'registered');
    const closed = await closedRows;
    add(closed, 'closed');
    add(closed, 'onTime', 'onTime');
    add(byUnitAndSource(await lateItems), 'overdue');
    add(byUnitAndSource(await awaitingItems), 'awaiting');
    const events = await eventRows;
    add(
      events.filter((r) => r.type === 'returned'),
      'returned',
    );
    add(
      events.filter((r) => r.type === 'key_supervision'),
      'keySupervision',
    );
    add(
      events.filter((r) => r.type === 'rated'),
      'failed',
    );

    const units = (await unitRows).map((u) => ({ id: Number(u.id), name: String(u.name) }));
    const nameOf = new Map(units.map((u) => [u.id, u.name]));
    const unitName = (id: unknown) => nameOf.get(Number(id)) ?? `#${String(id)}`;
    const byUnit = new Map<number, UnitFigures>();
    const bySource = new Map<Source, SourceFigures>();
    const totals = { ...ZERO };
    for (const c of cells.values()) {
      const u = byUnit.get(c.unitId) ?? { ...ZERO, unitId: c.unitId, unitName: nameOf.get(c.unitId) ?? `#${c.unitId}` };
      const s = bySource.get(c.source) ?? { ...ZERO, source: c.source };
      for (const k of Object.keys(ZERO) as (keyof BulletinCounts)[]) {
        u[k] += c[k];
        s[k] += c[k];
        totals[k] += c[k];
      }
      byUnit.set(c.unitId, u);
      bySource.set(c.source, s);
    }

    // B1 lists: praise (closed on time in the period and rated 优秀/良好), criticism (late, returned, 不合格, 重点督办).
    const praise: PraiseItem[] = (await praiseRows).map((r) => ({
      number: String(r.number),
      title: String(r.title),
      unitName: unitName(r.unitId),
      rating: r.rating as Rating,
      closedAt: asDate(r.closedAt),
    }));
    const late = await lateRows;
    const calendar = await calendarRead;
    const awaiting: AwaitingItem[] = (await awaitingListRows).map((r) => {
      // Issue 14: the time since the unit answered is the owner's (审核, 评定), then, once rated, the leader's (审定).
      const ratedAt = r.ratedAt === null || r.ratedAt === undefined ? null : asDate(r.ratedAt);
      const askedAt = asDate(r.askedAt);
      return {
        number: String(r.number),
        title: String(r.title),
        unitName: unitName(r.unitId),
        stage: ratedAt ? ('approval' as const) : Number(r.asked) > 0 ? ('review' as const) : ('extension' as const),
        askedAt,
        waitedDays: Math.floor(workingTimeBetween(ratedAt ?? askedAt, period.to, calendar) / DAY),
      };
    });
    const workingDays = (from: Date, until: Date) => Math.max(1, Math.floor(workingTimeBetween(from, until, calendar) / DAY));
    const flagged: Record<string, unknown>[] = (await Promise.all(flaggedRows)).flat();
    const criticism: CriticismItem[] = [
      ...late.map((r) => {
        // A1: how late the unit was, in working days — to its late answer, or to the period end if none came by then.
        const deadline = asDate(r.deadlineAt);
        const answer = r.answeredAt === null || r.answeredAt === undefined ? null : asDate(r.answeredAt);
        const detail =
          answer && answer < period.to ? `逾期${workingDays(deadline, answer)}个工作日才反馈` : `截至期末逾期${workingDays(deadline, period.to)}个工作日未反馈`;
        return { number: String(r.number), title: String(r.title), unitName: unitName(r.unitId), reason: 'late' as const, detail };
      }),
      // An item set, cleared and set again (R5 by hand) is named once.
      ...flagged
        .filter((r, i) => r.type !== 'key_supervision' || flagged.findIndex((x) => x.type === 'key_supervision' && x.number === r.number) === i)
        .map((r) => {
          const reason = r.type === 'returned' ? ('returned' as const) : r.type === 'key_supervision' ? ('key_supervision' as const) : ('failed' as const);
          const data = typeof r.data === 'string' ? safeJson(r.data) : {};
          const detail =
            reason === 'returned'
              ? `第${data.returnNo ?? 1}次退回`
              : reason === 'failed'
                ? '办理结果评定为不合格'
                : data.origin === 'office'
                  ? `经督查室列为重点督办${typeof data.requestedBy === 'string' && data.requestedBy ? `（按${data.requestedBy}要求）` : ''}`
                  : '逾期3天转入重点督办';
          return { number: String(r.number), title: String(r.title), unitName: unitName(r.unitId), reason, detail };
        }),
    ];

    const ranking = (await rankingRows).units.map((u) => ({
      rank: u.rank,
      unitName: u.unitName,
      total: u.total,
      points: Math.round((u.total - u.base) * 10) / 10,
    }));
    return {
      kind,
      period: { from: period.from, to: period.to, label: period.label },
      issue,
      office,
      ...(recipients ? { recipients } : {}),
      totals,
      byUnit: [...byUnit.values()],
      bySource: (Object.keys(SOURCES) as Source[]).filter((s) => bySource.has(s)).map((s) => bySource.get(s)!),
      praise,
      criticism,
      awaiting,
      ranking,
    };
  }
}

/**
 * Rows counted by lead unit and source, in the order GROUP BY unit_id, source gives them (the unit table's rows are made
 * in the order counts come in).
 */
function byUnitAndSource(rows: Record<string, unknown>[]): { unitId: number; source: string; n: number }[] {
  const counted = new Map<string, { unitId: number; source: string; n: number }>();
  for (const r of rows) {
    const k = `${Number(r.unitId)}|${String(r.source)}`;
    const c = counted.get(k);
    if (c) c.n++;
    else counted.set(k, { unitId: Number(r.unitId), source: String(r.source), n: 1 });
  }
  return [...counted.values()].sort((a, b) => a.unitId - b.unitId || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/** A raw query's instant back as a Date: MySQL gives a Date, SQLite the UTC text it stores. */
export const asDate = (v: unknown): Date =>
  v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}${/Z|[+-]\d\d:?\d\d$/.test(String(v)) ? '' : 'Z'}`);

/** An instant as a raw-query parameter: SQLite keeps instants as UTC text ('2026-03-01 16:00:00.000'); MySQL/MariaDB take the Date. */
export const sqlInstant = (db: DataSource, d: Date): Date | string =>
  db.options.type === 'better-sqlite3' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
function safeJson(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export const bulletinNumber = (year: number, seq: number) => formatItemNumber('TB', year, seq);
