import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Public } from '../../../auth/auth.guard';
import { SecurityClock } from '../../../shared/clock';
import { DomainError } from '../../../shared/errors';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { isDatabaseUnavailable } from '../../../database/outage';
import { CardInstance } from '../../card-instance.entity';
import { ACK_DEADLINES_MS, Acknowledgement, ChatReceiver, InboundRoute, settling } from '../../receiver';
import { decrypt, encrypt, signature, verifySignature, WeComCryptoError } from './wecom.crypto';
import { AppXml, appInbound, botInbound } from './wecom.events';
import { templateCard } from './wecom.render';
import { cardLink, itemLinker } from '../../item-link';

interface SignedQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

// MsgId is a 64-bit number: keep every value as text (PLATFORMS.md "Gotchas"). Only the predefined entities (&lt; …)
// are decoded: a document declaring its own (DOCTYPE) is refused before it gets here.
const xml = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: true });

/**
 * Issue 11 D11: WeCom signs timestamp + nonce + the encrypted body, but says nothing of how old a callback may be. It
 * posts as the event happens and retries within seconds (PLATFORMS.md "Retry"): 5 minutes either side is room for
 * clock drift. A replay inside the window is byte for byte the original (the signature covers the body), so the inbox
 * makes it do nothing.
 */
export const WECOM_FRESHNESS_S = 300;

/** The envelope's <Encrypt>, read without an XML parser: the signature is checked before anything parses the body. */
const ENCRYPT = /<Encrypt>\s*(?:<!\[CDATA\[([A-Za-z0-9+/=]{1,200000})\]\]>|([A-Za-z0-9+/=]{1,200000}))\s*<\/Encrypt>/;
const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/**
 * WeCom callbacks: the self-built app (encrypted XML, URL verification) and the 智能机器人 in API mode (encrypted JSON).
 * Signature first, then AES, then the receive id; anything that fails is 401 and changes nothing. The HTTP receiver: each
 * request has one acknowledgement (the 200 and its body); a refusal or a failure declines it and the exception filter
 * answers (401, 400, 503 — WeCom posts again).
 */
@ApiExcludeController()
@Controller('callbacks/wecom')
export class WeComCallbackController implements ChatReceiver {
  readonly platform = 'wecom' as const;
  readonly transport = 'http' as const;
  private readonly log = new Logger('wecom-callback');
  /** How many times WeCom has posted each app message that met a database outage (it tries three times in all). */
  private readonly outageTries = new Map<string, number>();

  constructor(
    private readonly router: InboundRoute,
    private readonly db: DataSource,
    private readonly clock: SecurityClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** URL verification: answer the decrypted echostr as plain text, nothing else. */
  @Get('app')
  @Public()
  verifyApp(@Query() q: SignedQuery, @Res() res: Response): void {
    const ack = this.ack<string>('wecom-app-verify', ACK_DEADLINES_MS.wecomUrlVerification, (plain) => void res.type('text/plain').send(plain));
    try {
      const app = this.app();
      ack.ack(this.open({ token: app.token, encodingAESKey: app.encodingAESKey, receiveId: this.config.wecom!.corpId }, q, str(q.echostr)));
    } catch (e) {
      if (ack.state === 'pending') ack.decline();
      throw e;
    }
  }

  /**
   * In order (issue 11 D9/D11): freshness and signature (401) — the body is only searched for <Encrypt>, not parsed —
   * then no DOCTYPE or entity declarations (400), decryption (401), and a plaintext that is not a message we know is
   * acknowledged and ignored with a warning (WeCom would otherwise retry it).
   */
  @Post('app')
  @Public()
  @HttpCode(200)
  async app_(@Query() q: SignedQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    // The acknowledgement is a 200: empty, or (the last try in a database outage) the passive "not recorded" reply.
    const ack = this.ack<{ xml: string } | null>('wecom-app', ACK_DEADLINES_MS.wecomCallback, (reply) => {
      if (reply) res.status(200).type('text/xml').send(reply.xml);
      else res.status(200).send('');
    });
    await settling(ack, async () => {
      const app = this.app();
      const body = rawBody(req);
      const found = ENCRYPT.exec(body);
      const inner = this.open(
        { token: app.token, encodingAESKey: app.encodingAESKey, receiveId: this.config.wecom!.corpId },
        q,
        found?.[1] ?? found?.[2] ?? '',
        () => {
          if (DECLARATIONS.test(body)) throw new DomainError('WECOM.BAD_XML', '企业微信回调内容含有不允许的文档类型声明，已拒收。', 'invalid');
        },
      );
      if (DECLARATIONS.test(inner)) throw new DomainError('WECOM.BAD_XML', '企业微信回调内容含有不允许的文档类型声明，已拒收。', 'invalid');
      let parsed: unknown;
      try {
        parsed = xml.parse(inner);
      } catch {
        parsed = undefined;
      }
      const inbound = appInbound(parsed, this.config.wecom!.corpId);
      if (!inbound.ok) {
        this.log.warn(JSON.stringify({ event: 'wecom_app_callback_ignored', reason: inbound.reason }));
        ack.ack(null);
        return;
      }
      const { event, msg } = inbound;
      try {
        if (event?.cardAction?.outTrackId && msg.ResponseCode) {
          // The click's response_code lets the card be replaced (once) when the item's new state is sent out.
          await this.db
            .getRepository(CardInstance)
            .update({ outTrackId: event.cardAction.outTrackId }, { responseCode: msg.ResponseCode, responseCodeAt: this.clock.now() });
        }
        if (event) await this.router.handle(event);
      } catch (e) {
        // The database is away: 503, and WeCom posts the message again (5 s later, three tries in all). When its last
        // try meets the outage too, WeCom drops the message for good — so that answer is a 200 whose passive reply
        // (no database needed) tells the person it was not recorded and to send it again.
        if (!event || event.cardAction || !isDatabaseUnavailable(e) || this.outageTry(event.eventId) < 3) throw e;
        ack.ack({ xml: this.notRecordedReply(msg) });
        return;
      }
      ack.ack(null); // an empty 200 is the acknowledgement; replies go out through the outbox
    });
  }

  @Post('bot')
  @Public()
  @HttpCode(200)
  async bot(@Query() q: SignedQuery, @Body() body: unknown): Promise<Record<string, string> | ''> {
    const ack = this.ack<Record<string, string> | ''>('wecom-bot', ACK_DEADLINES_MS.wecomCallback, () => undefined); // Nest writes the return value
    return settling(ack, async () => {
      const bot = this.config.wecom?.bot;
      if (!bot || bot.mode !== 'http') throw new DomainError('WECOM.BOT_OFF', '企业微信智能机器人回调未启用。', 'not_found');
      const encrypted = typeof body === 'object' && body !== null ? (body as { encrypt?: unknown }).encrypt : undefined;
      // In-corp 智能机器人: the receive id is "" (PLATFORMS.md).
      const plain = this.open({ token: bot.token, encodingAESKey: bot.encodingAESKey, receiveId: '' }, q, typeof encrypted === 'string' ? encrypted : '');
      let payload: unknown;
      try {
        payload = JSON.parse(plain);
      } catch {
        payload = undefined;
      }
      const inbound = botInbound(payload, { corpId: this.config.wecom!.corpId, botId: bot.botId });
      if (!inbound.ok) {
        // Signed by WeCom but not a payload we know: acknowledged (an empty 200), so it is not retried, and logged.
        this.log.warn(JSON.stringify({ event: 'wecom_bot_callback_ignored', reason: inbound.reason }));
        return ack.ack('');
      }
      const event = inbound.event;
      if (!event) return ack.ack('');
      const result = await this.router.handle(event);
      if (!event.cardAction || !result.card) return ack.ack('');
      // A click is answered passively with the updated card, encrypted like the callback.
      const reply = JSON.stringify({
        response_type: 'update_template_card',
        userids: [event.userId],
        template_card: templateCard(result.card, event.cardAction.outTrackId ?? '', cardLink(result.card, itemLinker(this.config, this.clock))),
      });
      const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
      const nonce = randomBytes(8).toString('hex');
      const enc = encrypt(bot.encodingAESKey, reply, '');
      return ack.ack({ encrypt: enc, msgsignature: signature(bot.token, timestamp, nonce, enc), timestamp, nonce });
    });
  }

  /** One request's acknowledgement (the 200 and its body), once only, with WeCom's deadline. */
  private ack<R>(kind: string, deadlineMs: number, send: (response: R) => void): Acknowledgement<R> {
    return new Acknowledgement<R>({ label: kind, deadlineMs, log: this.log, send });
  }

  private outageTry(eventId: string): number {
    const tries = (this.outageTries.get(eventId) ?? 0) + 1;
    if (tries >= 3) this.outageTries.delete(eventId);
    else this.outageTries.set(eventId, tries);
    if (this.outageTries.size > 10_000) this.outageTries.delete(this.outageTries.keys().next().value!); // oldest first
    return tries;
  }

  /** A passive text reply in the app chat (encrypted like the callback): the message was not recorded. */
  private notRecordedReply(msg: AppXml): string {
    const app = this.app();
    const corpId = this.config.wecom!.corpId;
    const typed = (msg.Content ?? '').trim();
    const quote = typed.length > 60 ? `${typed.slice(0, 60)}…` : typed;
    const content = `督办系统暂时连接不上，您刚才发送的${quote ? `“${quote}”` : '内容'}可能未被记录。请过几分钟用 /查询 核对，没有记录的再重新发送。`;
    const cdata = (v: string) => `<![CDATA[${v.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const inner = `<xml><ToUserName>${cdata(msg.FromUserName ?? '')}</ToUserName><FromUserName>${cdata(corpId)}</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content></xml>`;
    const nonce = randomBytes(8).toString('hex');
    const enc = encrypt(app.encodingAESKey, inner, corpId);
    return `<xml><Encrypt>${cdata(enc)}</Encrypt><MsgSignature>${cdata(signature(app.token, timestamp, nonce, enc))}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
  }

  private app() {
    const app = this.config.wecom?.app;
    if (!app) throw new DomainError('WECOM.APP_OFF', '企业微信自建应用未启用。', 'not_found');
    return app;
  }

  /** Freshness, signature, then (after `signed`, for checks that may only run on a signed body) decryption. */
  private open(keys: { token: string; encodingAESKey: string; receiveId: string }, q: SignedQuery, encrypted: string, signed?: () => void): string {
    const timestamp = str(q.timestamp);
    const nowS = Math.floor(this.clock.now().getTime() / 1000);
    if (!/^\d{9,11}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > WECOM_FRESHNESS_S) {
      throw new DomainError('WECOM.STALE_CALLBACK', '企业微信回调校验失败：时间戳已过期或超前，请检查服务器时间。', 'unauthenticated');
    }
    if (!verifySignature(keys.token, timestamp, str(q.nonce), encrypted, str(q.msg_signature))) {
      throw new DomainError('WECOM.BAD_CALLBACK', '企业微信回调校验失败：签名不正确。', 'unauthenticated');
    }
    signed?.();
    try {
      return decrypt(keys.encodingAESKey, encrypted, keys.receiveId);
    } catch (e) {
      if (e instanceof WeComCryptoError && e.reason === 'wrong_receiver')
        throw new DomainError('WECOM.BAD_CALLBACK', '企业微信回调校验失败：不是发给本企业的消息。', 'unauthenticated');
      throw new DomainError('WECOM.BAD_CALLBACK', '企业微信回调无法解密。', 'unauthenticated');
    }
  }
}

/** A query value as text: `?a=1&a=2` makes an array, which is no valid value here. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The XML body as text (express.text for these routes is set up in app.setup). */
function rawBody(req: Request): string {
  return typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}
