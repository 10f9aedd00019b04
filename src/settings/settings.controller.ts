import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../http/route-access';
import { SettingView } from './settings.responses';
import { SettingsService } from './settings.service';

@ApiTags('settings 策略参数')
@ApiBearerAuth()
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: '策略参数（未修改的为系统默认值）' })
  @ApiOkResponse({ type: [SettingView] })
  all() {
    return this.settings.all();
  }

  @Put(':key')
  @RequireRoles('admin')
  @ApiOperation({ summary: '修改策略参数（如 deadline：默认时间节点、E1 提前天数）' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        extensionMinDaysBefore: 2,
        extensionDaysUnit: 'working_day',
        dayEnd: '18:00',
        specialCeilingMonths: 1,
        nodes: { '3d': { n: 3, unit: 'working_day' } },
      },
    },
  })
  @ApiOkResponse({ type: SettingView })
  put(@Param('key') key: string, @Body() value: unknown) {
    return this.settings.put(key, value);
  }
}
