import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { Clock } from '../shared/clock';
import { ItemListQuery } from './dto/item.dto';
import { toFilter } from './dto/item-mapping';
import { LedgerService } from './ledger.service';
import { LedgerPageView } from './ledger.responses';
import { describeLedgerFilter, renderLedgerXlsx } from './ledger.render';
import { shanghaiYear } from '../shared/shanghai-time';
import { YearEndService } from './year-end.service';

class YearEndQuery {
  @ApiPropertyOptional({ description: '年度，默认今年', example: 2026 }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

/** B3: the 台账 — items with traffic lights, and the same list as a spreadsheet. */
@ApiTags('ledger 台账')
@ApiBearerAuth()
@Controller('api/ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly yearEnd: YearEndService,
  ) {}

  @Get('year-end')
  @RequireRoles('supervisor', 'admin', 'leader', 'owner')
  @ApiOperation({
    summary: '年底清零：尚未办结的重点工作任务、重大改革事项（按立项主体），及当年提醒立项主体的日期（12月最后几个工作日）',
  })
  yearEndPage(@Query() q: YearEndQuery) {
    return this.yearEnd.overview(q.year ?? shanghaiYear(this.clock.now()));
  }

  @Get()
  @ApiOperation({ summary: '台账：红灯逾期、黄灯24小时内到期、绿灯正常' })
  @ApiOkResponse({ type: LedgerPageView })
  ledgerPage(@Query() q: ItemListQuery, @CurrentActor() actor: Actor) {
    return this.ledger.page(toFilter(q), actor);
  }

  @Get('export.xlsx')
  @ApiOperation({ summary: '导出台账 .xlsx（筛选条件同上，不分页）' })
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('督办台账.xlsx')}`)
  async export(@Query() q: ItemListQuery, @CurrentActor() actor: Actor) {
    const rows = await this.ledger.all(toFilter(q), actor);
    // The filter line in words (issue 15): 「承办单位 市财政局；状态 办理中」.
    const described = describeLedgerFilter(q, q.unitId !== undefined ? await this.ledger.unitName(q.unitId) : null);
    return new StreamableFile(await renderLedgerXlsx(rows, { generatedAt: this.clock.now(), filterDescription: described }));
  }
}
