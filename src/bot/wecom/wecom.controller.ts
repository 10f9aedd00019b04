import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Public } from '../../auth/auth.guard';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { isDatabaseUnavailable } from '../../database/outage';
import { BotRouter } from '../bot-router.service';
import { CardInstance } from '../card-instance.entity';
import { encrypt, openCallback, signature, WeComCryptoError } from './wecom.crypto';
import { AppXml, appXmlToEvent, BotPayload, botPayloadToEvent } from './wecom.events';
import { templateCard } from './wecom.render';

interface SignedQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

// MsgId is a 64-bit number: keep every value as text (PLATFORMS.md "Gotchas").
const xml = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: true });

/**
 * WeCom callbacks: the self-built app (encrypted XML, URL verification) and the 智能机器人 in API mode (encrypted JSON).
 * Signature first, then AES, then the receive id; anything that fails is 401 and changes nothing.
 */
@ApiExcludeController()
@Controller('callbacks/wecom')
export class WeComCallbackController {
  /** How many times WeCom has posted each app message that met a database outage (it tries three times in all). */
  private readonly outageTries = new Map<string, number>();

  constructor(
    private readonly router: BotRouter,
    private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** URL verification: answer the decrypted echostr as plain text, nothing else. */
  @Get('app')
  @Public()
  verifyApp(@Query() q: SignedQuery, @Res() res: Response): void {
    const app = this.app();
    const plain = this.open({ token: app.token, encodingAESKey: app.encodingAESKey, receiveId: this.config.wecom!.corpId }, q, q.echostr ?? '');
    res.type('text/plain').send(plain);
  }

  @Post('app')
  @Public()
  @HttpCode(200)
  async app_(@Query() q: SignedQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const app = this.app();
    const outer = xml.parse(rawBody(req)) as { xml?: { Encrypt?: string } };
    const inner = this.open({ token: app.token, encodingAESKey: app.encodingAESKey, receiveId: this.config.wecom!.corpId }, q, outer.xml?.Encrypt ?? '');
    const msg = (xml.parse(inner) as { xml?: AppXml }).xml ?? {};
    const event = appXmlToEvent(msg, this.config.wecom!.corpId);
    try {
      if (event?.cardAction?.outTrackId && msg.ResponseCode) {
        // The click's response_code lets the card be replaced (once) when the item's new state is sent out.
        await this.db.getRepository(CardInstance).update({ outTrackId: event.cardAction.outTrackId }, { responseCode: msg.ResponseCode, responseCodeAt: this.clock.now() });
      }
      if (event) await this.router.handle(event);
    } catch (e) {
      // The database is away: 503, and WeCom posts the message again (5 s later, three tries in all). When its last
      // try meets the outage too, WeCom drops the message for good — so that answer is a 200 whose passive reply
      // (no database needed) tells the person it was not recorded and to send it again.
      if (!event || event.cardAction || !isDatabaseUnavailable(e) || this.outageTry(event.eventId) < 3) throw e;
      res.status(200).type('text/xml').send(this.notRecordedReply(msg));
      return;
    }
    res.status(200).send(''); // an empty 200 is the acknowledgement; replies go out through the outbox
  }

  @Post('bot')
  @Public()
  @HttpCode(200)
  async bot(@Query() q: SignedQuery, @Body() body: { encrypt?: string }): Promise<Record<string, string> | ''> {
    const bot = this.config.wecom?.bot;
    if (!bot || bot.mode !== 'http') throw new DomainError('WECOM.BOT_OFF', '企业微信智能机器人回调未启用。', 'not_found');
    // In-corp 智能机器人: the receive id is "" (PLATFORMS.md).
    const plain = this.open({ token: bot.token, encodingAESKey: bot.encodingAESKey, receiveId: '' }, q, body?.encrypt ?? '');
    const payload = JSON.parse(plain) as BotPayload;
    const event = botPayloadToEvent(payload, this.config.wecom!.corpId);
    if (!event) return '';
    const result = await this.router.handle(event);
    if (!event.cardAction || !result.card) return '';
    // A click is answered passively with the updated card, encrypted like the callback.
    const reply = JSON.stringify({ response_type: 'update_template_card', userids: [event.userId], template_card: templateCard(result.card, event.cardAction.outTrackId ?? '', `${this.config.publicBaseUrl}/api/items/${result.card.number}`) });
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const enc = encrypt(bot.encodingAESKey, reply, '');
    return { encrypt: enc, msgsignature: signature(bot.token, timestamp, nonce, enc), timestamp, nonce };
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
    const content = `督办系统暂时无法处理消息，您刚才发送的${quote ? `“${quote}”` : '内容'}未被记录，请过几分钟重新发送。`;
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

  private open(keys: { token: string; encodingAESKey: string; receiveId: string }, q: SignedQuery, encrypted: string): string {
    try {
      return openCallback(keys, { msgSignature: q.msg_signature ?? '', timestamp: q.timestamp ?? '', nonce: q.nonce ?? '', encrypt: encrypted });
    } catch (e) {
      if (e instanceof WeComCryptoError) throw new DomainError('WECOM.BAD_CALLBACK', `企业微信回调校验失败（${e.reason}）。`, 'unauthenticated');
      throw new DomainError('WECOM.BAD_CALLBACK', '企业微信回调无法解密。', 'unauthenticated');
    }
  }
}

/** The XML body as text (express.text for these routes is set up in app.setup). */
function rawBody(req: Request): string {
  return typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}
