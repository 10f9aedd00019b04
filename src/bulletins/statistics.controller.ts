import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { RequireRoles } from '../auth/auth.guard';
import { SOURCES, STATE_LABELS, type ItemState, type Source } from '../shared/vocabulary';
import { Clock } from '../shared/clock';
import { invalid } from '../shared/errors';
import { shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import { asDate, BulletinFactsService, sqlInstant } from './bulletin-facts.service';
import { awaitingLabel } from './bulletin.rules';
import { closedOnTime, unitLateAt } from '../cases/overdue.rules';
import { renderStatisticsXlsx, Statistics } from './statistics.render';

const ZERO = { registered: 0, closed: 0, onTime: 0, overdue: 0, awaiting: 0, returned: 0, failed: 0, keySupervision: 0 };

/** B4: statistics by unit, source, registration month and item, for a date range — JSON or .xlsx. */
@ApiTags('statistics 统计')
@ApiBearerAuth()
@Controller('api/statistics')
export class StatisticsController {
  constructor(
    private readonly facts: BulletinFactsService,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequireRoles('admin', 'supervisor', 'leader', 'owner')
  @ApiOperation({ summary: '按单位、来源、登记月份统计（from、to 为日期，含两端）' })
  async get(@Query('from') from?: string, @Query('to') to?: string) {
    const s = await this.compute(from, to);
    return { ...s, items: s.items.length };
  }

  @Get('export.xlsx')
  @RequireRoles('admin', 'supervisor', 'leader', 'owner')
  @ApiOperation({ summary: '统计表导出 .xlsx（按单位、按来源、按登记月份、按事项）' })
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', `attachment; filename="statistics.xlsx"; filename*=UTF-8''${encodeURIComponent('督查督办统计.xlsx')}`)
  async export(@Query('from') from?: string, @Query('to') to?: string) {
    return new StreamableFile(await renderStatisticsXlsx(await this.compute(from, to)));
  }

  private async compute(fromText?: string, toText?: string): Promise<Statistics> {
    const today = shanghaiDate(this.clock.now());
    const fromDay = fromText ?? `${today.slice(0, 4)}-01-01`;
    const toDay = toText ?? today;
    for (const [field, v] of [
      ['from', fromDay],
      ['to', toDay],
    ] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw invalid('STATISTICS.BAD_DATE', `「${field}」须为日期，例如 2026-03-31。`, { field });
    }
    const from = shanghaiInstant(fromDay);
    const to = new Date(shanghaiInstant(toDay).getTime() + 86_400_000);
    if (to <= from) throw invalid('STATISTICS.BAD_RANGE', '结束日期不能早于开始日期。', { field: 'to' });
    const label = `${fromDay} 至 ${toDay}`;
    const f = await this.facts.collect('monthly', { from, to, label, year: Number(fromDay.slice(0, 4)) }, { year: Number(fromDay.slice(0, 4)), number: 1 }, '');
    const items = (await this.db.query(
      `SELECT i.number AS number, i.title AS title, u.name AS unit, i.source AS source, i.registered_at AS registeredAt, i.deadline_at AS deadlineAt, i.state AS state, i.closed_at AS closedAt,
         i.assigned_at AS assignedAt, i.answered_at AS answeredAt,
         (SELECT COUNT(*) FROM item_request q WHERE q.item_id = i.id AND q.kind = 'closure' AND q.status IN ('pending', 'approved') AND q.requested_at < ?) AS asked,
         (SELECT COUNT(*) FROM item_request x WHERE x.item_id = i.id AND x.kind = 'extension' AND x.requested_at < ? AND (x.status = 'pending' OR x.decided_at >= ?)) AS extensionUndecided
       FROM item i JOIN item_unit iu ON iu.item_id = i.id AND iu.role = 'lead' JOIN unit u ON u.id = iu.unit_id
       WHERE i.state <> 'draft' AND i.registered_at >= ? AND i.registered_at < ? ORDER BY i.number`,
      [sqlInstant(this.db, to), sqlInstant(this.db, to), sqlInstant(this.db, to), sqlInstant(this.db, from), sqlInstant(this.db, to)],
    )) as Record<string, unknown>[];
    const orNull = (v: unknown) => (v === null || v === undefined ? null : asDate(v));
    // Issue 14: whose desk an answered item waits on, and for how long (the 通报's list, bulletin-facts.service).
    const waiting = new Map(f.awaiting?.map((a) => [a.number, awaitingLabel(a)]) ?? []);
    const byMonth = new Map<string, typeof ZERO>();
    const rows = items.map((r) => {
      const registeredAt = asDate(r.registeredAt);
      const deadlineAt = asDate(r.deadlineAt);
      const closedAt = orNull(r.closedAt);
      // A1: on time and late by the unit's answer (overdue.rules), as the 通报 counts them (bulletin-facts.service).
      const fact = { deadlineAt, closedAt, assignedAt: orNull(r.assignedAt), answeredAt: orNull(r.answeredAt) };
      const m = shanghaiDate(registeredAt).slice(0, 7);
      const c = byMonth.get(m) ?? { ...ZERO };
      c.registered++;
      let custody: string;
      if (closedAt && closedAt < to) {
        c.closed++;
        if (closedOnTime(fact)) c.onTime++;
        custody = closedOnTime(fact) ? '按期办结' : '逾期办结';
      } else if (unitLateAt(fact, to)) {
        c.overdue++;
        custody = fact.answeredAt && fact.answeredAt < to ? '承办单位逾期反馈' : '承办单位逾期未反馈';
      }
      // Answered in time and waiting on the owner (审核, an extension) or the leader (审定): their time, not the unit's.
      else if (fact.assignedAt && fact.assignedAt < to && deadlineAt < to && (Number(r.asked) > 0 || Number(r.extensionUndecided) > 0)) {
        c.awaiting++;
        custody = waiting.get(String(r.number)) ?? '已按期申请，待审核或审定';
      } else if (!fact.assignedAt || fact.assignedAt >= to) custody = '未交办';
      else if (fact.answeredAt && fact.answeredAt < to) custody = '承办单位已按期反馈';
      else custody = '未到期';
      byMonth.set(m, c);
      return {
        number: String(r.number),
        title: String(r.title),
        unit: String(r.unit),
        source: SOURCES[r.source as Source] ?? String(r.source),
        registeredAt,
        deadlineAt,
        state: STATE_LABELS[r.state as ItemState] ?? String(r.state),
        closedAt,
        onTime: closedAt ? closedOnTime(fact) : null,
        custody,
      };
    });
    return {
      periodLabel: label,
      generatedAt: this.clock.now(),
      totals: f.totals,
      byUnit: f.byUnit.map((u) => ({ ...u, label: u.unitName })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
      bySource: f.bySource.map((s) => ({ ...s, label: SOURCES[s.source] })),
      byMonth: [...byMonth.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([m, c]) => ({ label: `${m.slice(0, 4)}年${Number(m.slice(5))}月登记`, ...c })),
      items: rows,
    };
  }
}
