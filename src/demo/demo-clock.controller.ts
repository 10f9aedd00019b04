import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequireRoles } from '../auth/auth.guard';
import { Clock, DemoClock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { toShanghaiIso } from '../shared/shanghai-time';

class ClockDto {
  @ApiPropertyOptional({ description: '向前拨动的分钟数' }) @IsOptional() @IsInt() @Min(0) @Max(525_600) advanceMinutes?: number;
  @ApiPropertyOptional({ description: '倍速（1 = 正常；1440 = 一分钟走完一天）' }) @IsOptional() @IsInt() @Min(1) @Max(10_000) speed?: number;
}

/** `npm run demo` only: an admin moves or speeds up the service's clock to watch reminders happen. */
@ApiTags('demo 演示')
@ApiBearerAuth()
@Controller('api/demo/clock')
export class DemoClockController {
  constructor(private readonly clock: Clock) {}

  private demo(): DemoClock {
    if (!(this.clock instanceof DemoClock)) throw new DomainError('DEMO.OFF', '演示时钟未启用（仅 npm run demo 提供）。', 'not_found');
    return this.clock;
  }

  @Get() @RequireRoles('admin') get() {
    const s = this.demo().state();
    return { now: toShanghaiIso(s.now), speed: s.speed };
  }

  @Post()
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: '拨动或加速演示时钟' })
  set(@Body() dto: ClockDto) {
    const c = this.demo();
    if (dto.advanceMinutes) c.advance(dto.advanceMinutes * 60_000);
    if (dto.speed) c.setSpeed(dto.speed);
    return this.get();
  }
}
