import { Controller, Get, HttpCode, Inject, type MessageEvent, Param, Post, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { RequireRoles } from '../../http/route-access';
import { SIMULATOR, type SimulatorPort } from '../simulator.port';
import type { ScenarioProgress, ScenarioState } from './scenario-progress';
import { ScenarioRunner } from './scenario-runner';

class ScenarioView {
  @ApiProperty({ example: 'bulletin' }) id!: string;
  @ApiProperty({ example: '月度通报：从起草到推送工作群' }) title!: string;
  @ApiProperty({ description: '这个场景演示什么' }) summary!: string;
  @ApiProperty({ type: [String], description: '各步的说明，依次' }) steps!: string[];
}

class ScenarioStepDoneView {
  @ApiProperty({ description: '这一步的说明' }) caption!: string;
  @ApiPropertyOptional({ description: '这一步的结果' }) result?: string;
}

class ScenarioProgressView {
  @ApiProperty({ enum: ['idle', 'running', 'done', 'stopped', 'failed'], description: '未开始、播放中、已演示完毕、已停止、未能完成' })
  state!: ScenarioState;
  @ApiPropertyOptional() scenarioId?: string;
  @ApiPropertyOptional() title?: string;
  @ApiProperty({ description: '正在播放（或最后到达）的第几步，从 1 起；未开始为 0' }) step!: number;
  @ApiProperty({ description: '共几步' }) total!: number;
  @ApiPropertyOptional({ description: '正在播放的这一步的说明' }) caption?: string;
  @ApiProperty({ type: [ScenarioStepDoneView], description: '已完成的步骤' }) done!: ScenarioStepDoneView[];
  @ApiPropertyOptional({ description: '结束时：发生了什么、接下来可以做什么' }) message?: string;
}

/**
 * Issue 16 §5: the demo's guided scenarios — the list, start one, stop it (the visitor takes over), and its progress
 * (step i of n, the caption) as it plays. Registered only in demo mode (with the simulator), for the 督查室 and admins.
 */
@ApiTags('demo 演示')
@ApiBearerAuth()
@Controller('api/demo/scenarios')
export class ScenariosController {
  constructor(
    private readonly runner: ScenarioRunner,
    @Inject(SIMULATOR) private readonly sim: SimulatorPort,
  ) {}

  @Get()
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '可自动播放的演示场景' })
  @ApiOkResponse({ type: [ScenarioView] })
  list(): ScenarioView[] {
    return this.runner.list().map((s) => ({ id: s.id, title: s.title, summary: s.summary, steps: s.steps.map((x) => x.caption) }));
  }

  @Get('status')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '正在播放的场景：第几步、这一步的说明、已完成的步骤' })
  @ApiOkResponse({ type: ScenarioProgressView })
  status(): ScenarioProgressView {
    return this.runner.status();
  }

  /** Server-sent events: `progress` (a ScenarioProgress) now and at each change; ends when the simulator stops. */
  @Sse('events')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '实时推送（text/event-stream）：场景播放进度' })
  events(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((out) => {
      const send = (p: ScenarioProgress) => out.next({ type: 'progress', data: p });
      send(this.runner.status());
      const stopProgress = this.runner.subscribe(send);
      const stopSim = this.sim.subscribe((e) => {
        if (e.type === 'closed') out.complete();
      });
      return () => {
        stopProgress();
        stopSim();
      };
    });
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '开始播放一个演示场景（同一时间只播放一个）' })
  @ApiOkResponse({ type: ScenarioProgressView })
  start(@Param('id') id: string): ScenarioProgressView {
    return this.runner.start(id);
  }

  @Post('stop')
  @HttpCode(200)
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '停止正在播放的场景，由访客接着操作（已发生的保留）' })
  @ApiOkResponse({ type: ScenarioProgressView })
  stop(): ScenarioProgressView {
    return this.runner.stop();
  }
}
