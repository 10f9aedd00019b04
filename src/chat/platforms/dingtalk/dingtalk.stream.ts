import { Logger } from '@nestjs/common';
import { DWClient, DWClientDownStream } from 'dingtalk-stream';
import type { DingTalkConfig } from '../../../config/app.config';
import type { BotEvent, BotResult } from '../../bot-event';
import { ACK_DEADLINES_MS, Acknowledgement, ChatReceiver } from '../../receiver';
import { cardCallbackResponse } from './dingtalk.render';
import { cardInbound, Inbound, robotInbound } from './dingtalk.events';
import { OutageLog } from '../../../database/outage';

const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
const TOPIC_CARD = '/v1.0/card/instances/callback';

/** The SDK's private parts this wrapper has to reach (its fields are private in the .d.ts but plain at run time). */
interface SdkInternals {
  dw_url?: string;
  socket?: import('ws').WebSocket;
  heartbeatIntervallId?: NodeJS.Timeout;
}

/**
 * The official SDK with its known defects guarded (PLATFORMS.md): the gateway comes from DINGTALK_API_BASE, a bad
 * frame or a throwing handler never reaches the process, its own reconnect loop is off (we own one, with backoff
 * and jitter), and the heartbeat timer of a dead socket is cleared before a new socket opens.
 */
class GuardedClient extends DWClient {
  private readonly log = new Logger('dingtalk-stream');

  constructor(
    private readonly cfg: DingTalkConfig,
    private readonly onClose: () => void,
  ) {
    super({ clientId: cfg.clientId, clientSecret: cfg.clientSecret, keepAlive: true });
    this.config.autoReconnect = false;
    this.config.subscriptions = [
      { type: 'EVENT', topic: '*' },
      { type: 'CALLBACK', topic: TOPIC_ROBOT },
      { type: 'CALLBACK', topic: TOPIC_CARD },
    ];
  }

  private get internals(): SdkInternals {
    return this as unknown as SdkInternals;
  }

  /** The handshake, against the configured gateway (the SDK hard-codes api.dingtalk.com). */
  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.cfg.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ clientId: this.cfg.clientId, clientSecret: this.cfg.clientSecret, ua: 'duban', subscriptions: this.config.subscriptions }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string; code?: string };
    if (!res.ok || !body.endpoint || !body.ticket) throw new Error(`gateway handshake failed: ${res.status} ${body.code ?? ''}`);
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override async _connect(): Promise<void> {
    await super._connect();
    const socket = this.internals.socket;
    socket?.once('close', () => {
      if (this.internals.heartbeatIntervallId) clearInterval(this.internals.heartbeatIntervallId);
      this.onClose();
    });
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'dingtalk_bad_frame', error: e instanceof Error ? e.message : String(e) }));
    }
  }

  terminate(): void {
    if (this.internals.heartbeatIntervallId) clearInterval(this.internals.heartbeatIntervallId);
    this.disconnect();
  }
}

/**
 * The DingTalk Stream receiver: one connection, kept open for ever (reconnects with exponential backoff and jitter, never
 * storms). Each CALLBACK frame is verified (corp, robot, shape), made a BotEvent and routed, and answered by one
 * Acknowledgement whose send is the ACK frame (socketCallBackResponse).
 */
export class DingTalkStream implements ChatReceiver {
  readonly platform = 'dingtalk' as const;
  readonly transport = 'stream' as const;
  private readonly log = new Logger('dingtalk-stream');
  /** A database outage fails every frame the same way: not ACKed (DingTalk pushes again), logged sparingly. */
  private readonly outage = new OutageLog(this.log, 'dingtalk-stream');
  private client: GuardedClient | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  connected = false;
  connections = 0;

  constructor(
    private readonly cfg: DingTalkConfig,
    private readonly handle: (event: BotEvent) => Promise<BotResult>,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.client?.terminate();
    this.client = null;
    this.connected = false;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new GuardedClient(this.cfg, () => this.closed(client));
    client.registerCallbackListener(TOPIC_ROBOT, (m) => void this.onRobot(client, m));
    client.registerCallbackListener(TOPIC_CARD, (m) => void this.onCard(client, m));
    client.registerAllEventListener(() => ({ status: 'SUCCESS' as never })); // EVENTs are not used yet: acknowledged
    try {
      await client.getEndpoint();
      await client._connect();
      if (this.stopped) return client.terminate();
      this.client = client;
      this.connected = true;
      this.connections++;
      this.failures = 0;
      this.log.log(JSON.stringify({ event: 'dingtalk_stream_connected', connections: this.connections }));
    } catch (e) {
      client.terminate();
      this.schedule(e);
    }
  }

  private closed(client: GuardedClient): void {
    if (client !== this.client) return;
    this.connected = false;
    this.client = null;
    this.schedule(new Error('socket closed'));
  }

  /** 0.5 s, 1 s, 2 s … capped at 60 s, ±50 % jitter. */
  private schedule(reason: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(60_000, 500 * 2 ** (this.failures - 1)) * (0.5 + Math.random());
    this.log.warn(
      JSON.stringify({
        event: 'dingtalk_stream_reconnect',
        inMs: Math.round(delay),
        failures: this.failures,
        reason: reason instanceof Error ? reason.message : String(reason),
      }),
    );
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Robot messages are ACKed after their effect committed; if handling fails we do not ACK and DingTalk pushes again. */
  private async onRobot(client: GuardedClient, msg: DWClientDownStream): Promise<void> {
    const ack = this.ackFor(client, msg, 'dingtalk-robot', ACK_DEADLINES_MS.dingtalkStreamRobot);
    const inbound = robotInbound(parseData(msg.data), this.cfg);
    if (!inbound.ok) return this.ignore(ack, msg, inbound, null);
    try {
      await this.handle(inbound.event);
      ack.ack(null);
      this.outage.succeeded();
    } catch (e) {
      if (ack.state === 'pending') ack.decline();
      if (!this.outage.failed(e))
        this.log.error(JSON.stringify({ event: 'dingtalk_robot_failed', messageId: msg.headers.messageId, error: e instanceof Error ? e.message : String(e) }));
    }
  }

  /** Card clicks are answered in the ACK with the card's new state (within DingTalk's 2 s). */
  private async onCard(client: GuardedClient, msg: DWClientDownStream): Promise<void> {
    const ack = this.ackFor(client, msg, 'dingtalk-card', ACK_DEADLINES_MS.dingtalkCard);
    const inbound = cardInbound(parseData(msg.data), this.cfg);
    if (!inbound.ok) return this.ignore(ack, msg, inbound, {});
    try {
      const result = await this.handle(inbound.event);
      ack.ack(result.card ? cardCallbackResponse(result.card, result.reply) : {});
      this.outage.succeeded();
    } catch (e) {
      if (ack.state === 'pending') ack.decline();
      if (!this.outage.failed(e))
        this.log.error(JSON.stringify({ event: 'dingtalk_card_failed', messageId: msg.headers.messageId, error: e instanceof Error ? e.message : String(e) }));
    }
  }

  /** The frame's one acknowledgement: the ACK frame, under the frame's messageId. */
  private ackFor(client: GuardedClient, msg: DWClientDownStream, kind: string, deadlineMs: number): Acknowledgement<unknown> {
    return new Acknowledgement<unknown>({
      label: `${kind}:${msg.headers?.messageId}`,
      deadlineMs,
      log: this.log,
      send: (response) => client.socketCallBackResponse(msg.headers.messageId, response),
    });
  }

  /**
   * Issue 11 D9/D11: a frame that is not a well-formed callback (data "null", not JSON, fields missing or of the wrong
   * type), or one addressed to another corp or robot, can never succeed: it is ACKed — or DingTalk would push it
   * again for ever — and ignored, with a warning.
   */
  private ignore(ack: Acknowledgement<unknown>, msg: DWClientDownStream, inbound: Extract<Inbound, { ok: false }>, response: unknown): void {
    this.log.warn(
      JSON.stringify({
        event: 'dingtalk_frame_ignored',
        topic: msg.headers?.topic,
        messageId: msg.headers?.messageId,
        reason: inbound.reason,
        detail: inbound.detail,
      }),
    );
    try {
      ack.ack(response);
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'dingtalk_ack_failed', messageId: msg.headers?.messageId, error: e instanceof Error ? e.message : String(e) }));
    }
  }
}

/** A frame's data as JSON, or undefined when it is not JSON (the check that follows refuses it). */
function parseData(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
