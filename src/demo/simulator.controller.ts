import { Body, Controller, Get, HttpCode, Inject, type MessageEvent, Param, Post, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { interval, map, merge, Observable } from 'rxjs';
import { RequireRoles } from '../http/route-access';
import { Clock, DemoClock } from '../shared/clock';
import { DomainError, invalid, notFound } from '../shared/errors';
import { toShanghaiIso } from '../shared/shanghai-time';
import { SIMULATOR, SimRefusal, type SimAction, type SimulatorPort } from './simulator.port';

class SimPersonView {
  @ApiProperty({ example: 'wx-wu', description: '该平台上的账号' }) userId!: string;
  @ApiProperty({ example: '吴联络' }) name!: string;
}

class SimChatView {
  @ApiProperty({ example: 'wecom:group:wrCZJ000000000000000000001' }) id!: string;
  @ApiProperty({ enum: ['dingtalk', 'wecom'] }) platform!: 'dingtalk' | 'wecom';
  @ApiProperty({ enum: ['group', 'direct'], description: '群聊，或某人与督办助手的单聊' }) kind!: 'group' | 'direct';
  @ApiProperty({ example: '财政局督办群' }) title!: string;
  @ApiProperty({ type: [SimPersonView], description: '可在此发言、点按钮的人' }) members!: SimPersonView[];
}

class SimMessageView {
  @ApiProperty() chatId!: string;
  @ApiProperty({ description: '在该聊天中的顺序号；同一顺序号再次出现表示刷新了这条消息' }) seq!: number;
  @ApiProperty({ example: '2026-03-02T09:00:00+08:00', description: '演示时钟上的时间' }) at!: string;
  @ApiProperty({ enum: ['bot', 'person'] }) from!: 'bot' | 'person';
  @ApiPropertyOptional({ type: SimPersonView }) sender?: SimPersonView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '平台模拟器记录的原样内容' }) body!: Record<string, unknown>;
  @ApiPropertyOptional({ description: '这条消息展示的互动卡片' }) cardId?: string;
}

class SimCardView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['dingtalk', 'wecom'] }) platform!: 'dingtalk' | 'wecom';
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: '钉钉卡片模板变量' }) params?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '钉钉卡片各人的私有数据' }) privateParams?: Record<
    string,
    Record<string, string>
  >;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '企业微信模板卡片（当前样子）' }) templateCard?: Record<string, unknown>;
  @ApiPropertyOptional({ description: '企业微信：按钮已变为这段灰色文字' }) replacedName?: string;
  @ApiProperty() updates!: number;
}

class SimChatLogView {
  @ApiProperty({ type: [SimMessageView] }) messages!: SimMessageView[];
  @ApiProperty({ type: [SimCardView] }) cards!: SimCardView[];
}

class SimStatusView {
  @ApiProperty({ example: true }) on!: boolean;
  @ApiProperty({ example: '2026-03-02T09:00:00+08:00', description: '服务时钟的当前时间' }) now!: string;
  @ApiProperty({ example: 1440, description: '演示时钟倍速（1 = 正常）' }) speed!: number;
}

export class SimSayDto {
  @ApiProperty({ description: '在哪个聊天里说' }) @IsString() @IsNotEmpty() @MaxLength(200) chatId!: string;
  @ApiProperty({ description: '以谁的身份（该平台账号）' }) @IsString() @IsNotEmpty() @MaxLength(100) userId!: string;
  @ApiProperty({ description: '输入的文字；在群里会自动加上 @督办助手' }) @IsString() @IsNotEmpty() @MaxLength(2000) text!: string;
}

export class SimClickDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) chatId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) userId!: string;
  @ApiProperty({ description: '卡片（钉钉 outTrackId，企业微信 task_id）' }) @IsString() @IsNotEmpty() @MaxLength(200) cardId!: string;
  @ApiProperty({ description: '按钮（钉钉 actionId，企业微信 event_key）', example: 'sign' }) @IsString() @IsNotEmpty() @MaxLength(100) action!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: '按钮输入框里填的内容，如 {"content":"已完成初稿"}' })
  @IsOptional()
  @IsObject()
  input?: Record<string, string>;
}

/**
 * Issue 16: the chat simulator of `npm run demo` — the chats of the fake DingTalk and WeCom as a phone shows them, live,
 * and acting in them as any demo person. Registered only when AppModule is given a SimulatorPort (demo mode): otherwise
 * these addresses do not exist (404). For the 督查室 (and admins) only.
 */
@ApiTags('demo 演示')
@ApiBearerAuth()
@Controller('api/demo/sim')
export class SimulatorController {
  constructor(
    @Inject(SIMULATOR) private readonly sim: SimulatorPort,
    private readonly clock: Clock,
  ) {}

  @Get('status')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '演示模拟器是否开启，以及演示时钟' })
  @ApiOkResponse({ type: SimStatusView })
  status(): SimStatusView {
    const speed = this.clock instanceof DemoClock ? this.clock.state().speed : 1;
    return { on: true, now: toShanghaiIso(this.clock.now())!, speed };
  }

  @Get('chats')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '演示中的聊天：各平台的每个群，以及每人与督办助手的单聊' })
  @ApiOkResponse({ type: [SimChatView] })
  chats(): SimChatView[] {
    return this.sim.chats();
  }

  @Get('chats/:chatId/messages')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '一个聊天里至今的消息，以及其中卡片的当前样子' })
  @ApiOkResponse({ type: SimChatLogView })
  messages(@Param('chatId') chatId: string): SimChatLogView {
    const messages = this.sim.messages(chatId);
    if (!messages) throw notFound('DEMO.NO_CHAT', '没有这个聊天。请刷新演示页面，从聊天列表中选择。');
    return { messages, cards: this.sim.cards(chatId) };
  }

  /**
   * Server-sent events: `message` (a new or refreshed SimMessage), `card` (a card's new state), `ping` every 20 s; the
   * stream ends when the simulator stops.
   */
  @Sse('events')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '实时推送（text/event-stream）：新消息与卡片变化' })
  events(): Observable<MessageEvent> {
    const live = new Observable<MessageEvent>((out) => {
      const stop = this.sim.subscribe((e) => {
        if (e.type === 'closed') return out.complete();
        out.next({ type: e.type, data: e.type === 'message' ? e.message : e.card });
      });
      return stop;
    });
    const pings = interval(20_000).pipe(map((): MessageEvent => ({ type: 'ping', data: '' })));
    return new Observable<MessageEvent>((out) => {
      const sub = merge(live, pings).subscribe(out);
      // When the simulator says it stopped, stop the pings too.
      const ended = live.subscribe({ complete: () => out.complete() });
      return () => {
        sub.unsubscribe();
        ended.unsubscribe();
      };
    });
  }

  @Post('say')
  @HttpCode(200)
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '以某人身份在聊天里输入文字（经平台模拟器的真实通道送达服务）' })
  @ApiOkResponse({ schema: { type: 'object', properties: { ok: { type: 'boolean' } } } })
  async say(@Body() dto: SimSayDto): Promise<{ ok: true }> {
    const text = dto.text.trim();
    if (!text) throw invalid('DEMO.EMPTY_TEXT', '请先输入要发送的文字，例如 /帮助。', { field: 'text' });
    return this.act({ type: 'text', chatId: dto.chatId, userId: dto.userId, text });
  }

  @Post('click')
  @HttpCode(200)
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '以某人身份点击卡片上的按钮（可带按钮输入框里填的内容）' })
  @ApiOkResponse({ schema: { type: 'object', properties: { ok: { type: 'boolean' } } } })
  async click(@Body() dto: SimClickDto): Promise<{ ok: true }> {
    const input = dto.input ?? {};
    for (const [key, value] of Object.entries(input)) {
      if (typeof value !== 'string' || value.length > 2000 || key.length > 50) {
        throw invalid('DEMO.BAD_INPUT', '按钮输入框只能填写文字，且不超过2000字。请修改后再点击。', { field: 'input' });
      }
    }
    return this.act({ type: 'click', chatId: dto.chatId, userId: dto.userId, cardId: dto.cardId, action: dto.action, input: dto.input });
  }

  private async act(action: SimAction): Promise<{ ok: true }> {
    try {
      await this.sim.act(action);
      return { ok: true };
    } catch (e) {
      if (e instanceof SimRefusal) throw new DomainError('DEMO.REFUSED', e.message, 'invalid', e.field ? { field: e.field } : undefined);
      throw e;
    }
  }
}
