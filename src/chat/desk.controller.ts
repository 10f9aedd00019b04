import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../shared/actor';
import { CurrentActor } from '../auth/auth.guard';
import { DeskService } from './desk.service';
import { DeskView } from './desk.view';

/** 工作台 (issue 15): the console's first page, in one call. */
@ApiTags('ledger 台账')
@ApiBearerAuth()
@Controller('api/desk')
export class DeskController {
  constructor(private readonly desk: DeskService) {}

  @Get()
  @ApiOperation({
    summary: '工作台：等我办理的（待签收、待反馈、待评定、待审定、延期待批），可见事项的预警灯计数、本周到期、逾期、重点督办，按单位和来源的统计',
  })
  @ApiOkResponse({ type: DeskView })
  get(@CurrentActor() actor: Actor): Promise<DeskView> {
    return this.desk.desk(actor);
  }
}
