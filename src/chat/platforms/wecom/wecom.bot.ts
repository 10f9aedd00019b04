import { cardLink } from '../../item-link';
import { Logger } from '@nestjs/common';
import { WSClient } from '@wecom/aibot-node-sdk';
import type { WeComConfig } from '../../../config/app.config';
import type { BotEvent, BotResult } from '../../bot-event';
import { ACK_DEADLINES_MS, Acknowledgement, ChatReceiver } from '../../receiver';
import { botInbound } from './wecom.events';
import { templateCard } from './wecom.render';
import { OutageLog } from '../../../database/outage';

type Frame = { headers: { req_id: string }; body?: unknown };

/**
 * How a long-connection frame is answered: nothing (a message; its reply goes out through the outbox), the clicked card
 * as it now is (update_template_card on the event's req_id), or — in a database outage — a reply saying it was not recorded.
 */
type BotAnswer = null | { card: Record<string, unknown>; userId: string } | { notRecorded: string };

/**
 * The 智能机器人 over its long connection (the official SDK, pointed at WECOM_AIBOT_WS_URL). It reconnects for ever,
 * a failing handler is caught and logged, and a card click is answered with the updated card within WeCom's 5 s. The
 * long-connection receiver: each frame is verified (corp, bot, shape), made a BotEvent and routed, and answered once
 * through its Acknowledgement.
 */
export class WeComBotConnection implements ChatReceiver {
  readonly platform = 'wecom' as const;
  readonly transport = 'long-connection' as const;
  private readonly log = new Logger('wecom-bot');
  /** A database outage fails every frame the same way: logged once, then every 30 s, then once when it is back. */
  private readonly outage = new OutageLog(this.log, 'wecom-bot');
  private client: WSClient | null = null;
  connected = false;
  connections = 0;

  constructor(
    private readonly cfg: WeComConfig,
    private readonly handle: (event: BotEvent) => Promise<BotResult>,
    /** Issue 14: the item's mobile page (signed, expiring), where a card without buttons leads. */
    private readonly itemLink: (number: string) => string = () => '',
  ) {}

  start(): void {
    const bot = this.cfg.bot!;
    const client = new WSClient({
      botId: bot.botId,
      secret: bot.secret,
      wsUrl: this.cfg.aibotWsUrl,
      maxReconnectAttempts: -1, // for ever: a unit's group must not go deaf after ten failed tries
      maxAuthFailureAttempts: -1,
      reconnectInterval: 1000,
      logger: quietLogger(this.log),
    });
    client.on('authenticated', () => {
      this.connected = true;
      this.connections++;
      this.log.log(JSON.stringify({ event: 'wecom_bot_connected', connections: this.connections }));
    });
    client.on('disconnected', (reason) => {
      this.connected = false;
      this.log.warn(JSON.stringify({ event: 'wecom_bot_disconnected', reason }));
    });
    client.on('error', (e) => this.log.warn(JSON.stringify({ event: 'wecom_bot_error', error: e.message })));
    client.on('message', (frame) => void this.onFrame(frame as unknown as Frame));
    client.on('event.template_card_event', (frame) => void this.onFrame(frame as unknown as Frame, true));
    this.client = client;
    client.connect();
  }

  stop(): void {
    this.client?.disconnect();
    this.client = null;
    this.connected = false;
  }

  private async onFrame(frame: Frame, isCardEvent = false): Promise<void> {
    let ack: Acknowledgement<BotAnswer> | null = null;
    try {
      const inbound = botInbound(frame?.body, { corpId: this.cfg.corpId, botId: this.cfg.bot?.botId ?? '' });
      if (!inbound.ok) {
        this.log.warn(JSON.stringify({ event: 'wecom_bot_frame_ignored', reason: inbound.reason }));
        this.ackFor(frame).ack(null); // garbage is acknowledged (nothing to send on this transport) and ignored
        return;
      }
      const event = inbound.event;
      // 'message' carries messages and the card event has its own listener: each frame is handled once.
      if (!event || isCardEvent !== !!event.cardAction) return;
      ack = this.ackFor(frame);
      const result = await this.handle(event);
      const card =
        event.cardAction && result.card && this.client
          ? templateCard(result.card, event.cardAction.outTrackId ?? '', cardLink(result.card, this.itemLink))
          : null;
      await ack.ackAndWait(card ? { card, userId: event.userId } : null);
      this.outage.succeeded();
    } catch (e) {
      const answerable = ack?.state === 'pending';
      if (this.outage.failed(e)) return answerable ? this.tellNotRecorded(ack!, frame, isCardEvent) : undefined;
      if (answerable) ack!.decline();
      this.log.error(JSON.stringify({ event: 'wecom_bot_handler_failed', error: e instanceof Error ? e.message : String(e) }));
    }
  }

  /** The frame's one answer, within WeCom's 5 s of its req_id. */
  private ackFor(frame: Frame): Acknowledgement<BotAnswer> {
    return new Acknowledgement<BotAnswer>({
      label: `wecom-bot:${frame?.headers?.req_id}`,
      deadlineMs: ACK_DEADLINES_MS.wecomLongConnection,
      log: this.log,
      send: async (answer) => {
        if (!answer || !this.client) return;
        if ('card' in answer) await this.client.updateTemplateCard(frame as never, answer.card as never, [answer.userId]);
        else await this.client.reply(frame as never, { msgtype: 'markdown', markdown: { content: answer.notRecorded } }).catch(() => undefined);
      },
    });
  }

  /**
   * WeCom does not push a long-connection message again, so a message that arrives while the database is away would
   * vanish without a word: the person is told, in the reply to that very message, that it was not recorded and to
   * send it again (this needs no database). A card click changes nothing and the card stays as it was: click again.
   */
  private async tellNotRecorded(ack: Acknowledgement<BotAnswer>, frame: Frame, isCardEvent: boolean): Promise<void> {
    if (isCardEvent || !this.client) return ack.decline();
    const typed = ((frame.body as { text?: { content?: string } } | undefined)?.text?.content ?? '').replace(/^\s*@\S+\s*/, '').trim();
    const quote = typed.length > 60 ? `${typed.slice(0, 60)}…` : typed;
    const content = `督办系统暂时连接不上，您刚才发送的${quote ? `“${quote}”` : '内容'}可能未被记录。请过几分钟用 /查询 核对，没有记录的再重新发送。`;
    await ack.ackAndWait({ notRecorded: content });
  }

  /** A picture into a group or a one-to-one chat: uploaded over the long connection (temporary media), then sent by its media_id. */
  async sendImage(chatId: string, png: Buffer, filename: string): Promise<void> {
    if (!this.client || !this.connected) throw new Error('企业微信智能机器人长连接未建立');
    const { media_id } = await this.client.uploadMedia(png, { type: 'image', filename });
    await this.client.sendMediaMessage(chatId, 'image', media_id);
  }

  /** A proactive message into a group (chatid) or a one-to-one chat (userid). */
  async send(chatId: string, body: Record<string, unknown>): Promise<void> {
    if (!this.client || !this.connected) throw new Error('企业微信智能机器人长连接未建立');
    await this.client.sendMessage(chatId, body as never);
  }
}

/** The SDK logs every heartbeat at info; keep warnings and errors. */
function quietLogger(log: Logger) {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...a: unknown[]) => log.warn(a.map(String).join(' ')),
    error: (...a: unknown[]) => log.error(a.map(String).join(' ')),
  };
}
