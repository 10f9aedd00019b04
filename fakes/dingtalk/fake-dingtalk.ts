import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthCodeBook, authCodeRoutes } from './authcode-routes';
import { cardRoutes } from './card-routes';
import { applyCardChange, changeFromCallbackResponse, parseOpenSpaceId } from './cards';
import type { FakeContext } from './context';
import { apiError, isPlainObject } from './errors';
import { createFakeHttpServer } from './http-server';
import { waitFor } from '../shared/http';
import { cardActionCallback, directTextMessage, groupTextMessage, type DirectTextInput, type GroupTextInput } from './people';
import { robotRoutes } from './robot-routes';
import { httpCallbackSign } from './signing';
import { StreamGateway } from './stream-gateway';
import { ApiThrottle } from './throttle';
import { tokenRoutes } from './token-routes';
import { TokenBook } from './tokens';
import type { AckRecord, CardRecord, FakeDingTalkOptions, PushRecord, RecordedCall, ResolvedOptions } from './types';
import { webhookRoutes } from './webhook-routes';
import { World, type WorldEvent } from './world';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';

function resolve(opts: FakeDingTalkOptions): ResolvedOptions {
  return {
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    robotCode: opts.robotCode ?? opts.clientId,
    corpId: opts.corpId ?? 'dingfakecorp0000000000000000000',
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 7200,
    redeliverAfterMs: opts.redeliverAfterMs ?? 60_000,
    duplicateRate: opts.duplicateRate ?? 0,
    qpsLimitPerApi: opts.qpsLimitPerApi ?? 20,
    customRobots: opts.customRobots ?? [],
    now: opts.now ?? Date.now,
    random: opts.random ?? Math.random,
    disconnectCloseAfterMs: opts.disconnectCloseAfterMs ?? 10_000,
    cardCallbackTimeoutMs: opts.cardCallbackTimeoutMs ?? 2_000,
    pingIntervalMs: opts.pingIntervalMs ?? 0,
    cardTemplateIds: opts.cardTemplateIds,
    log: opts.log,
  };
}

/**
 * A local DingTalk: Stream gateway, OpenAPI, oapi, custom-robot webhook and HTTP-callback sender on one port.
 * Tests act as people through it (type in a group, click a card button) and read back what landed where.
 */
export class FakeDingTalk {
  readonly apiBase: string;
  readonly oapiBase: string;
  /** The stand-in for dingtalk.open.js (the service's DINGTALK_JSAPI_URL). */
  readonly jsapiUrl: string;
  private httpCallbackUrl?: string;
  private pingTimer?: NodeJS.Timeout;

  private constructor(
    private readonly ctx: FakeContext,
    private readonly gateway: StreamGateway,
    private readonly server: Server,
  ) {
    this.apiBase = ctx.apiBase;
    this.oapiBase = ctx.oapiBase;
    this.jsapiUrl = `${ctx.apiBase}/jsapi/dingtalk.open.js`;
  }

  /**
   * Who is "on the phone": the JSAPI's requestAuthCode / getAuthCode give a 免登 code for this user id (one use, 5
   * minutes); null = nobody, and they fail.
   */
  putOnPhone(userId: string | null, nick?: string): void {
    this.ctx.world.phone = userId;
    if (userId && nick) this.ctx.world.nicks.set(userId, nick);
  }

  static async start(options: FakeDingTalkOptions): Promise<FakeDingTalk> {
    const opts = resolve(options);
    const ctx: FakeContext = {
      opts,
      clock: opts.now,
      world: new World(opts.log),
      tokens: new TokenBook(opts.now, opts.tokenTtlSeconds),
      throttle: new ApiThrottle(opts.now, opts.qpsLimitPerApi),
      apiBase: '',
      oapiBase: '',
    };
    const gateway = new StreamGateway(ctx);
    const signIn = authCodeRoutes(ctx, new AuthCodeBook(opts.now), () => ctx.world.phone);
    const routes = { ...gateway.routes(), ...tokenRoutes(ctx), ...cardRoutes(ctx), ...robotRoutes(ctx), ...webhookRoutes(ctx), ...signIn };
    const server = createFakeHttpServer(ctx, routes, (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => ok());
    });
    const { port } = server.address() as AddressInfo;
    ctx.apiBase = ctx.oapiBase = `http://127.0.0.1:${port}`;
    const fake = new FakeDingTalk(ctx, gateway, server);
    if (opts.pingIntervalMs > 0) {
      fake.pingTimer = setInterval(() => void gateway.ping(), opts.pingIntervalMs);
      fake.pingTimer.unref();
    }
    return fake;
  }

  async stop(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  // ---- acting as a person -------------------------------------------------------------------------------------

  /** The robot message a group @-mention produces, without pushing it (e.g. for postHttpCallback). */
  groupTextPayload(p: GroupTextInput): Record<string, unknown> {
    return groupTextMessage(this.ctx, p);
  }

  directTextPayload(p: DirectTextInput): Record<string, unknown> {
    return directTextMessage(this.ctx, p);
  }

  /** In a group the robot only hears messages that @ it: with atBot false nothing is pushed and messageId is ''. */
  async sendGroupText(p: GroupTextInput): Promise<{ msgId: string; messageId: string }> {
    const data = groupTextMessage(this.ctx, p);
    const msgId = data.msgId as string;
    if (p.atBot === false) return { msgId, messageId: '' };
    return { msgId, messageId: this.gateway.push('CALLBACK', TOPIC_ROBOT, data) };
  }

  async sendDirectText(p: DirectTextInput): Promise<{ msgId: string; messageId: string }> {
    const data = directTextMessage(this.ctx, p);
    return { msgId: data.msgId as string, messageId: this.gateway.push('CALLBACK', TOPIC_ROBOT, data) };
  }

  /**
   * A button press on a STREAM-callback card. `ack` resolves with the ACK's `response` (the card's new state, which
   * the fake applies to the card) or rejects when no ACK came within cardCallbackTimeoutMs; a later ACK is recorded
   * but, as in DingTalk, no longer changes the card.
   */
  async clickCardButton(p: {
    outTrackId: string;
    userId: string;
    actionId: string;
    params?: Record<string, string>;
  }): Promise<{ messageId: string; ack: Promise<unknown> }> {
    const card = this.ctx.world.cards.get(p.outTrackId);
    if (!card) throw new Error(`fake DingTalk: no card ${p.outTrackId} to click`);
    if (card.callbackType !== 'STREAM') {
      throw new Error(`fake DingTalk: card ${p.outTrackId} was created without callbackType STREAM, so no click reaches Stream`);
    }
    const spaces = parseOpenSpaceId(card.openSpaceId) ?? [];
    const space = spaces.find((s) => s.spaceType === 'IM_ROBOT' && s.spaceId === p.userId) ?? spaces[0];
    const data = cardActionCallback(this.ctx, { ...p, spaceType: space.spaceType, spaceId: space.spaceId });

    let messageId = '';
    let timedOut = false;
    const ack = new Promise<unknown>((resolveAck, rejectAck) => {
      const timer = this.gateway.later(this.ctx.opts.cardCallbackTimeoutMs, () => {
        timedOut = true;
        rejectAck(new Error(`fake DingTalk: no ACK for card callback ${messageId} within ${this.ctx.opts.cardCallbackTimeoutMs} ms`));
      });
      messageId = this.gateway.push('CALLBACK', TOPIC_CARD, data, {
        onAck: (body) => {
          if (timedOut) return this.ctx.world.note({ kind: 'late-card-ack', messageId });
          this.gateway.cancel(timer);
          const response = isPlainObject(body) ? body.response : undefined;
          const change = changeFromCallbackResponse(response, p.userId);
          if (change) {
            applyCardChange(card, change);
            this.ctx.world.cardChanged(card.outTrackId);
          }
          resolveAck(response);
        },
      });
    });
    ack.catch(() => undefined); // a caller that ignores `ack` must not crash the process on timeout
    return { messageId, ack };
  }

  /**
   * A CALLBACK push whose data the test chooses: any JSON value, or (raw) a string sent as the frame's data as it is —
   * what a malformed or foreign frame looks like. Re-pushed until ACKed, like every push.
   */
  pushCallback(topic: string, data: unknown, opts: { raw?: boolean } = {}): string {
    return this.gateway.push('CALLBACK', topic, data, { rawData: opts.raw });
  }

  /** An org event (EVENT frame); the SDK acks it with {status}; LATER makes the fake push it again. */
  pushEvent(p: { eventType: string; data: object; eventId?: string }): string {
    const now = String(this.ctx.clock());
    return this.gateway.push('EVENT', '*', p.data, {
      extraHeaders: {
        eventType: p.eventType,
        eventId: p.eventId ?? `evt${Math.floor(this.ctx.opts.random() * 1e12)}`,
        eventBornTime: now,
        eventCorpId: this.ctx.opts.corpId,
        eventUnifiedAppId: this.gateway.appId,
      },
    });
  }

  setHttpCallbackUrl(url: string): void {
    this.httpCallbackUrl = url;
  }

  /** POST a callback body the way HTTP mode does: headers `timestamp` and `sign`; forgeSign signs with a wrong key. */
  async postHttpCallback(body: object, opts: { forgeSign?: boolean; timestampMs?: number } = {}): Promise<{ status: number; body: unknown }> {
    if (!this.httpCallbackUrl) throw new Error('fake DingTalk: call setHttpCallbackUrl() first');
    const timestamp = String(opts.timestampMs ?? this.ctx.clock());
    const key = opts.forgeSign ? `${this.ctx.opts.clientSecret}-forged` : this.ctx.opts.clientSecret;
    const res = await fetch(this.httpCallbackUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', timestamp, sign: httpCallbackSign(key, timestamp) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  }

  // ---- test control -------------------------------------------------------------------------------------------

  /** Push an earlier frame again with the same messageId and data (a duplicate after the ACK). */
  resend(messageId: string): void {
    this.gateway.resend(messageId);
  }

  dropConnections(): void {
    this.gateway.dropConnections();
  }

  sendDisconnect(reason?: string): void {
    this.gateway.sendDisconnect(reason);
  }

  ping(): Promise<unknown[]> {
    return this.gateway.ping();
  }

  expireAllTokens(): void {
    this.ctx.tokens.expireAll();
  }

  throttleNext(api: string, n: number): void {
    this.ctx.throttle.throttleNext(api, n);
  }

  /** The next n calls of a new-style API fail with this status and code (default 500 system.busy). */
  failNext(api: string, n: number, error: { status: number; code: string; message?: string } = { status: 500, code: 'system.busy' }): void {
    this.ctx.throttle.force(api, n, () => apiError(error.status, error.code, error.message));
  }

  /** Deliveries to this group cid or user id fail (robot not in the group, user out of the app's range). */
  makeUndeliverable(spaceId: string): void {
    this.ctx.world.undeliverable.add(spaceId);
  }

  /** The next n batchSend calls that include this user report it in flowControlledStaffIdList. */
  flowControlUser(userId: string, n: number): void {
    this.ctx.world.flowControlled.set(userId, n);
  }

  // ---- observation --------------------------------------------------------------------------------------------

  get received(): RecordedCall[] {
    return this.ctx.world.received;
  }

  get acks(): AckRecord[] {
    return this.ctx.world.acks;
  }

  get pushes(): PushRecord[] {
    return this.ctx.world.pushes;
  }

  get appId(): string {
    return this.gateway.appId;
  }

  cards(): Map<string, CardRecord> {
    return this.ctx.world.cards;
  }

  /**
   * Hear, as it happens, every message that lands in a group or a one-to-one chat and every change of an interactive
   * card's data (the demo's chat simulator shows them live). Returns the way to stop listening.
   */
  watch(listener: (e: WorldEvent) => void): () => void {
    return this.ctx.world.watch(listener);
  }

  groupMessages(conversationId: string): object[] {
    return this.ctx.world.groupMessages(conversationId);
  }

  directMessages(userId: string): object[] {
    return this.ctx.world.directMessages(userId);
  }

  connections(): number {
    return this.gateway.connections();
  }

  unackedMessageIds(): string[] {
    return this.gateway.unacked();
  }

  /** Polls fn every 10 ms until it returns something truthy; rejects after timeoutMs (default 15 s: generous for a slow CI machine; normally met in milliseconds). */
  waitFor<T>(fn: () => T | undefined | false | null, timeoutMs = 15_000): Promise<T> {
    return waitFor('fake DingTalk', fn, timeoutMs);
  }
}
