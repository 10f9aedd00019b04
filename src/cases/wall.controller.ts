import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../shared/actor';
import { CurrentActor } from '../auth/auth.guard';
import { WallService } from './wall.service';
import { WallQuery, WallView } from './wall.view';

/** 挂图作战: the key tasks as a wall chart of units × tasks, within what the reader may see (P4). */
@ApiTags('ledger 台账')
@ApiBearerAuth()
@Controller('api/wall')
export class WallController {
  constructor(private readonly wall: WallService) {}

  @Get()
  @ApiOperation({ summary: '挂图作战：重点工作（或重大改革）按承办单位 × 任务，每格的办理状态、最近反馈和预警灯' })
  @ApiOkResponse({ type: WallView })
  get(@Query() q: WallQuery, @CurrentActor() actor: Actor): Promise<WallView> {
    return this.wall.wall(q.board ?? 'key_task', actor);
  }
}
