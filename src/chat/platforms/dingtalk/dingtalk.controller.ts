import { Body, Controller, Headers, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../auth/auth.guard';
import { SecurityClock } from '../../../shared/clock';
import { DomainError } from '../../../shared/errors';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { DataSource } from 'typeorm';
import { ReplayGuard } from '../../inbox/replay-guard';
import { ACK_DEADLINES_MS, Acknowledgement, ChatReceiver, InboundRoute, settling } from '../../receiver';
import { cardInbound, Inbound, robotInbound } from './dingtalk.events';
import { cardCallbackResponse } from './dingtalk.render';
import { CALLBACK_FRESHNESS_MS, SignatureCheck, verifyCardCallbackSignature, verifyDingTalkSignature } from './dingtalk.signature';

const REFUSED: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
  missing: '缺少签名或时间戳',
  stale: '时间戳已过期或超前，请检查服务器时间',
  mismatch: '签名不正确',
};

/**
 * DINGTALK_MODE=http: DingTalk POSTs robot messages (and, for cards created with callbackType HTTP, button clicks) here.
 * In order (issue 11 D9/D11): the signature and the freshness of its timestamp (401), the signature used with one body
 * only (401), the body's shape (400), and whether it is addressed to our corp and robot (200, ignored) — only then the
 * router. Nothing refused or ignored changes anything. The HTTP receiver: a delivery's acknowledgement is the 200 this
 * handler returns; a refusal or a failure (401, 400, 503…) declines it and the exception filter answers.
 */
@ApiExcludeController()
@Controller('callbacks/dingtalk')
export class DingTalkCallbackController implements ChatReceiver {
  readonly platform = 'dingtalk' as const;
  readonly transport = 'http' as const;
  private readonly log = new Logger('dingtalk-http');
  private readonly replays: ReplayGuard;

  constructor(
    private readonly router: InboundRoute,
    private readonly clock: SecurityClock,
    db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.replays = new ReplayGuard(db, clock);
  }

  @Post()
  @Public()
  @HttpCode(200)
  async receive(@Headers('timestamp') timestamp: string | undefined, @Headers('sign') sign: string | undefined, @Body() body: unknown) {
    const ack = this.ack<{ duplicate: boolean } | { ignored: boolean }>('dingtalk-http-robot', ACK_DEADLINES_MS.dingtalkHttpRobot);
    return settling(ack, async () => {
      const dt = this.dingtalk();
      const check = verifyDingTalkSignature({ timestamp, sign }, dt.clientSecret, this.clock.now().getTime());
      await this.authentic(check, 'dingtalk-robot', `${timestamp}\n${sign}`, body, Number(timestamp));
      const inbound = robotInbound(body, dt);
      if (!inbound.ok) return ack.ack(this.notOurs(inbound, '钉钉回调内容不完整或格式不对，已拒收。'));
      const result = await this.router.handle(inbound.event);
      return ack.ack({ duplicate: result.duplicate });
    });
  }

  /** Card buttons in HTTP mode (cards created with callbackType HTTP): answered in the response with the new card. */
  @Post('card')
  @Public()
  @HttpCode(200)
  async card(
    @Headers('x-ddpaas-signature-timestamp') timestamp: string | undefined,
    @Headers('x-ddpaas-signature') signature: string | undefined,
    @Body() body: unknown,
  ) {
    const ack = this.ack<unknown>('dingtalk-http-card', ACK_DEADLINES_MS.dingtalkCard);
    return settling(ack, async () => {
      const dt = this.dingtalk();
      const check = verifyCardCallbackSignature({ timestamp, signature }, dt.cardCallbackSecret, this.clock.now().getTime());
      await this.authentic(check, 'dingtalk-card', `${timestamp}\n${signature}`, body, Number(timestamp));
      const inbound = cardInbound(body, dt);
      if (!inbound.ok) return ack.ack(this.notOurs(inbound, '钉钉卡片回调内容不完整或格式不对，已拒收。'));
      const result = await this.router.handle(inbound.event);
      return ack.ack(result.card ? cardCallbackResponse(result.card, result.reply) : {});
    });
  }

  /** One request's acknowledgement: Nest writes what the handler returns, so sending is returning. */
  private ack<R>(kind: string, deadlineMs: number): Acknowledgement<R> {
    return new Acknowledgement<R>({ label: kind, deadlineMs, log: this.log, send: () => undefined });
  }

  private dingtalk() {
    const dt = this.config.dingtalk;
    if (!dt) throw new DomainError('DINGTALK.OFF', '钉钉未启用。', 'not_found');
    return dt;
  }

  /** Signature, freshness, then one body per signature: a second body under a used signature is a replay. */
  private async authentic(check: SignatureCheck, channel: string, signed: string, body: unknown, timestampMs: number): Promise<void> {
    if (!check.ok) throw new DomainError('DINGTALK.BAD_SIGNATURE', `钉钉回调校验失败：${REFUSED[check.reason]}。`, 'unauthenticated');
    const use = await this.replays.use(channel, signed, JSON.stringify(body ?? null), new Date(timestampMs + CALLBACK_FRESHNESS_MS));
    if (use === 'replay') throw new DomainError('DINGTALK.SIGNATURE_REUSED', '钉钉回调校验失败：这个签名已经用过，请求被拒收。', 'unauthenticated');
  }

  /** Malformed: 400, the sender should know. Another corp's or robot's: acknowledged and ignored, with a warning. */
  private notOurs(inbound: Extract<Inbound, { ok: false }>, message: string) {
    this.log.warn(JSON.stringify({ event: 'dingtalk_callback_ignored', reason: inbound.reason, detail: inbound.detail }));
    if (inbound.reason === 'malformed') throw new DomainError('DINGTALK.BAD_BODY', message, 'invalid');
    return { ignored: true };
  }
}
