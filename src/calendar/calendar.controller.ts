import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { RequireRoles } from '../http/route-access';
import { invalid, notFound } from '../shared/errors';
import { OverrideView, YearCoverageView, YearDaysView } from './calendar.responses';
import { CalendarService } from './calendar.service';
import { isValidLocalDate } from './local-date';
import type { DayKind } from './work-calendar';
import { OptionalYearPipe } from '../http/http-input';
import { Clock } from '../shared/clock';
import { shanghaiYear } from '../shared/shanghai-time';

class OverrideDto {
  @ApiProperty({ enum: ['workday', 'restday'] }) @IsIn(['workday', 'restday']) kind!: DayKind;
  @ApiPropertyOptional({ example: '2027年春节' }) @IsOptional() @IsString() @MaxLength(100) note?: string;
}

/** C3: the working-day calendar and the admin's overrides (e.g. next year's holidays before the library has them). */
@ApiTags('calendar 工作日')
@ApiBearerAuth()
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  @Get('overrides')
  @ApiOperation({ summary: '管理员对官方日历的调整' })
  @ApiOkResponse({ type: [OverrideView] })
  overrides() {
    return this.calendar.overrides();
  }

  @Put('overrides/:date')
  @RequireRoles('admin')
  @ApiOperation({ summary: '设置某日为上班日或休息日（覆盖官方日历）' })
  @ApiOkResponse({ type: OverrideView })
  put(@Param('date') date: string, @Body() dto: OverrideDto) {
    return this.calendar.putOverride(date, dto.kind, dto.note);
  }

  @Delete('overrides/:date')
  @RequireRoles('admin')
  async remove(@Param('date') date: string) {
    if (!(await this.calendar.deleteOverride(date))) throw notFound('CALENDAR.NO_OVERRIDE', `${date} 没有覆盖设置。`);
    return { deleted: date };
  }

  @Get('working-days')
  @ApiOperation({ summary: '从某日起第 N 个工作日（不含当天）' })
  async workingDays(@Query('from') from: string, @Query('n') n: string) {
    const count = Number(n);
    if (!isValidLocalDate(from ?? '')) throw invalid('CALENDAR.BAD_DATE', '「起始日」须为日期，如 2026-12-01。', { field: 'from' });
    if (!Number.isInteger(count) || count < 0 || count > 250) throw invalid('CALENDAR.BAD_N', '「工作日数」须为 0 到 250 的整数。', { field: 'n' });
    const cal = await this.calendar.calendar();
    const date = cal.addWorkingDays(from, count);
    return { from, n: count, date, uncoveredYears: cal.uncoveredYearsBetween(from, date) };
  }

  @Get('days')
  @ApiOperation({ summary: '某年的特殊日子：法定节假日、调休上班日（官方数据）和管理员的覆盖设置（不给年份为今年）' })
  @ApiOkResponse({ type: YearDaysView })
  async days(@Query('year', OptionalYearPipe('年份')) year?: number) {
    // Principle 6: this year is the service clock's, in Asia/Shanghai.
    return this.calendar.yearDays(year ?? shanghaiYear(this.clock.now()));
  }

  @Get('coverage')
  @ApiOperation({ summary: '官方节假日数据覆盖的年份' })
  @ApiOkResponse({ type: [YearCoverageView] })
  async coverage(@Query('from', OptionalYearPipe('起始年份')) from?: number, @Query('to', OptionalYearPipe('截止年份')) to?: number) {
    const cal = await this.calendar.calendar();
    const a = from ?? 2025;
    const b = to ?? a + 2;
    const years = [];
    for (let y = a; y <= Math.min(b, a + 20); y++) years.push({ year: y, covered: cal.covers(y) });
    return years;
  }
}
