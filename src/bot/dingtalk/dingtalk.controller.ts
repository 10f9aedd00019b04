import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../auth/auth.guard';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { BotRouter } from '../bot-router.service';
import { cardCallbackToEvent, DingTalkCardCallback, robotMessageToEvent, DingTalkRobotMessage } from './dingtalk.events';
import { cardCallbackResponse } from './dingtalk.render';
import { verifyCardCallbackSignature, verifyDingTalkSignature } from './dingtalk.signature';

/** DINGTALK_MODE=http: DingTalk POSTs robot messages here, signed; anything unsigned or stale is 401 and changes nothing. */
@ApiExcludeController()
@Controller('callbacks/dingtalk')
export class DingTalkCallbackController {
  constructor(
    private readonly router: BotRouter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  async receive(@Headers('timestamp') timestamp: string | undefined, @Headers('sign') sign: string | undefined, @Body() body: DingTalkRobotMessage) {
    const dt = this.config.dingtalk;
    if (!dt) throw new DomainError('DINGTALK.OFF', '钉钉未启用。', 'not_found');
    const check = verifyDingTalkSignature({ timestamp, sign }, dt.clientSecret, this.clock.now().getTime());
    if (!check.ok) throw new DomainError('DINGTALK.BAD_SIGNATURE', `钉钉回调签名校验失败（${check.reason}）。`, 'unauthenticated');
    if (!body || typeof body.msgId !== 'string') throw new DomainError('DINGTALK.BAD_BODY', '钉钉回调内容不完整。', 'invalid');
    const result = await this.router.handle(robotMessageToEvent(body));
    return { duplicate: result.duplicate };
  }

  /** Card buttons in HTTP mode (cards created with callbackType HTTP): answered in the response with the new card. */
  @Post('card')
  @Public()
  @HttpCode(200)
  async card(
    @Headers('x-ddpaas-signature-timestamp') timestamp: string | undefined,
    @Headers('x-ddpaas-signature') signature: string | undefined,
    @Body() body: DingTalkCardCallback,
  ) {
    const dt = this.config.dingtalk;
    if (!dt) throw new DomainError('DINGTALK.OFF', '钉钉未启用。', 'not_found');
    const check = verifyCardCallbackSignature({ timestamp, signature }, dt.cardCallbackSecret, this.clock.now().getTime());
    if (!check.ok) throw new DomainError('DINGTALK.BAD_SIGNATURE', `钉钉卡片回调签名校验失败（${check.reason}）。`, 'unauthenticated');
    if (!body || typeof body.outTrackId !== 'string' || typeof body.userId !== 'string') throw new DomainError('DINGTALK.BAD_BODY', '钉钉卡片回调内容不完整。', 'invalid');
    const result = await this.router.handle(cardCallbackToEvent(body));
    return result.card ? cardCallbackResponse(result.card, result.reply) : {};
  }
}
