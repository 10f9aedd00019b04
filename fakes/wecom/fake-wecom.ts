import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AiBotGateway } from './aibot-gateway';
import { AiBotHttp } from './aibot-http';
import type { BotOrigin } from './aibot-replies';
import { AppCallbacks } from './app-callbacks';
import { appchatRoutes } from './appchat-routes';
import { CardBook, clickableKeys } from './cards';
import { CallbackSender } from './callback-sender';
import type { FakeContext } from './context';
import { createFakeHttpServer } from './http-server';
import { waitFor } from '../shared/http';
import { ForcedFailures } from './limits';
import { messageRoutes } from './message-routes';
import { OAuthCodeBook, oauthRoutes, type PhoneUser } from './oauth-routes';
import { botCardEventBody, botMsgId, botTextBody } from './people';
import { Timers } from './timers';
import { tokenRoutes } from './token-routes';
import { TokenBook } from './tokens';
import type { CallbackAttempt, CardRecord, FakeWeComOptions, RecordedCall, ResolvedOptions } from './types';
import { webhookRoutes } from './webhook-routes';
import { World, type WorldEvent } from './world';

function resolve(o: FakeWeComOptions): ResolvedOptions {
  return {
    corpId: o.corpId,
    agents: o.agents.map((a) => ({ ...a })),
    aibot: o.aibot ? { ...o.aibot } : undefined,
    webhooks: o.webhooks ?? [],
    members: o.members,
    tokenTtlSeconds: o.tokenTtlSeconds ?? 7200,
    responseCodeTtlMs: o.responseCodeTtlMs ?? 72 * 3600 * 1000,
    callbackRetryDelayMs: o.callbackRetryDelayMs ?? 5000,
    callbackTimeoutMs: o.callbackTimeoutMs ?? 5000,
    memberPerMinute: o.memberPerMinute ?? 30,
    memberPerHour: o.memberPerHour ?? 1000,
    webhookPerMinute: o.webhookPerMinute ?? 20,
    botUpdateWindowMs: o.botUpdateWindowMs ?? 5000,
    responseUrlTtlMs: o.responseUrlTtlMs ?? 3600 * 1000,
    now: o.now ?? Date.now,
    log: o.log,
  };
}

export interface BotDelivery {
  msgId: string;
  /** req_id of the long-connection push (absent in API mode). */
  reqId?: string;
  /** false when no bot connection was subscribed and no callback URL set: the message went nowhere. */
  delivered: boolean;
  /** API mode: the receiver's first answer. */
  status?: number;
}

/**
 * A local WeCom: qyapi (tokens, message/send, update_template_card, appchat, webhook robots, aibot response_url),
 * the AI bot's long connection, and the sender of app / AI-bot callbacks, on one port. Tests act as people through it
 * (@ the bot in a group, click a card button, type in the app's chat) and read back what landed where.
 */
export class FakeWeCom {
  readonly apiBase: string;
  readonly aibotWsUrl: string;
  /** Where the fake's authorize page is (it stands for https://open.weixin.qq.com): the service's WECOM_OAUTH_BASE. */
  readonly oauthBase: string;

  private constructor(
    private readonly ctx: FakeContext,
    private readonly server: Server,
    private readonly timers: Timers,
    private readonly gateway: AiBotGateway,
    private readonly botHttp: AiBotHttp,
    private readonly app: AppCallbacks,
    private readonly sender: CallbackSender,
  ) {
    this.apiBase = ctx.apiBase;
    this.aibotWsUrl = ctx.apiBase.replace(/^http/, 'ws');
    this.oauthBase = ctx.apiBase;
  }

  static async start(options: FakeWeComOptions): Promise<FakeWeCom> {
    const opts = resolve(options);
    const ctx: FakeContext = {
      opts,
      clock: opts.now,
      world: new World(opts.log),
      tokens: new TokenBook(opts.now, opts.tokenTtlSeconds),
      forced: new ForcedFailures(),
      cardBook: new CardBook(opts.now, opts.responseCodeTtlMs),
      apiBase: '',
    };
    const timers = new Timers();
    const sender = new CallbackSender(ctx, timers);
    const gateway = new AiBotGateway(ctx);
    const botHttp = new AiBotHttp(ctx, sender);
    const oauth = oauthRoutes(ctx, new OAuthCodeBook(opts.now), () => ctx.world.phone);
    const routes = { ...tokenRoutes(ctx), ...messageRoutes(ctx), ...appchatRoutes(ctx), ...webhookRoutes(ctx), ...botHttp.routes(), ...oauth };
    const server = createFakeHttpServer(ctx, routes, (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => ok());
    });
    ctx.apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new FakeWeCom(ctx, server, timers, gateway, botHttp, new AppCallbacks(ctx, sender), sender);
  }

  /**
   * Who is "on the phone": the authorize page (GET {oauthBase}/connect/oauth2/authorize) redirects straight back with a
   * code for this corp member (a userid) or, given `{ openId }`, for someone outside the corp; null = opened outside
   * WeCom (the page asks to open the link in the WeCom client). Codes are single use and live 5 minutes.
   */
  putOnPhone(who: string | PhoneUser | null): void {
    this.ctx.world.phone = typeof who === 'string' ? { userId: who } : who;
  }

  async stop(): Promise<void> {
    this.timers.clear();
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  // ---- acting as a person: the AI bot ---------------------------------------------------------------------------

  /** @ the AI bot in a group: `text` is what the person typed, mention included ("@督办助手 /反馈 …"). */
  botGroupText(p: { chatId: string; userId: string; text: string; msgId?: string }): Promise<BotDelivery> {
    this.ctx.world.knownGroups.add(p.chatId);
    this.ctx.world.knownUsers.add(p.userId);
    const body = botTextBody(this.ctx, p);
    return this.toBot('aibot_msg_callback', body, { kind: 'msg', msgid: body.msgid as string, chatId: p.chatId, userId: p.userId, at: this.ctx.clock() });
  }

  botDirectText(p: { userId: string; text: string; msgId?: string }): Promise<BotDelivery> {
    this.ctx.world.knownUsers.add(p.userId);
    const body = botTextBody(this.ctx, p);
    return this.toBot('aibot_msg_callback', body, { kind: 'msg', msgid: body.msgid as string, userId: p.userId, at: this.ctx.clock() });
  }

  /** A person opens the one-to-one chat with the bot for the first time today (the welcome-message event). */
  botEnterChat(userId: string): Promise<BotDelivery> {
    this.ctx.world.knownUsers.add(userId);
    const body = {
      msgid: botMsgId(),
      create_time: Math.floor(this.ctx.clock() / 1000),
      aibotid: this.ctx.opts.aibot!.botId,
      chattype: 'single',
      from: { userid: userId },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    };
    return this.toBot('aibot_event_callback', body, { kind: 'event', eventtype: 'enter_chat', msgid: body.msgid, userId, at: this.ctx.clock() });
  }

  /** A button press on a card the bot posted; throws if there is no such card or button (any more). */
  botCardClick(p: { chatId?: string; userId: string; taskId: string; eventKey: string }): Promise<BotDelivery> {
    const card = this.ctx.cardBook.cards.get(p.taskId);
    if (!card || card.via !== 'bot') throw new Error(`fake WeCom: the AI bot sent no card ${p.taskId}`);
    if (p.chatId !== undefined && p.chatId !== card.chatId) throw new Error(`fake WeCom: card ${p.taskId} is not in chat ${p.chatId}`);
    if (!card.chatId && card.touser !== p.userId) throw new Error(`fake WeCom: card ${p.taskId} is in ${card.touser}'s one-to-one chat`);
    if (!clickableKeys(card).includes(p.eventKey)) throw new Error(`fake WeCom: card ${p.taskId} has no button ${p.eventKey} to click`);
    const body = botCardEventBody(this.ctx, card, p.userId, p.eventKey);
    const origin: BotOrigin = {
      kind: 'event',
      eventtype: 'template_card_event',
      msgid: body.msgid as string,
      chatId: card.chatId,
      userId: p.userId,
      taskId: card.taskId,
      at: this.ctx.clock(),
    };
    return this.toBot('aibot_event_callback', body, origin);
  }

  /** Over the long connection when a client is subscribed, else as an API-mode callback, else nowhere. */
  private async toBot(cmd: 'aibot_msg_callback' | 'aibot_event_callback', body: Record<string, unknown>, origin: BotOrigin): Promise<BotDelivery> {
    if (!this.ctx.opts.aibot) throw new Error('fake WeCom: no aibot configured');
    const msgId = origin.msgid;
    const reqId = this.gateway.push(cmd, body, origin);
    if (reqId) return { msgId, reqId, delivered: true };
    const url = this.ctx.opts.aibot.callbackUrl;
    if (url) {
      const answer = await this.botHttp.deliver(url, body, origin);
      return { msgId, delivered: true, status: answer.status };
    }
    this.ctx.world.drop({ reason: 'no-bot-listener', msgid: msgId, at: this.ctx.clock() });
    return { msgId, delivered: false };
  }

  // ---- acting as a person: the self-built app -------------------------------------------------------------------

  appText(p: { agentId: number; userId: string; text: string; msgId?: string }): Promise<{ status: number; body: string; msgId: string }> {
    return this.app.text(p);
  }

  appCardClick(p: { agentId: number; userId: string; taskId: string; eventKey: string }): Promise<{ status: number; body: string; responseCode: string }> {
    return this.app.cardClick(p);
  }

  /** The GET URL verification; `ok` = the receiver echoed the plaintext within 1 s. */
  appVerifyUrl(agentId: number): Promise<{ status: number; body: string; expected: string; ok: boolean }> {
    return this.app.verify(agentId);
  }

  botVerifyUrl(): Promise<{ status: number; body: string; expected: string; ok: boolean }> {
    const url = this.ctx.opts.aibot?.callbackUrl;
    if (!url) throw new Error('fake WeCom: no bot callback URL (setBotCallbackUrl)');
    return this.sender.verify('bot', url, this.botHttp.crypto());
  }

  setAppCallbackUrl(agentId: number, url: string): void {
    this.app.agent(agentId);
    this.app.urls.set(agentId, url);
  }

  setBotCallbackUrl(url: string): void {
    if (!this.ctx.opts.aibot) throw new Error('fake WeCom: no aibot configured');
    this.ctx.opts.aibot.callbackUrl = url;
  }

  /** A POST with a wrong msg_signature to the app's (default: the first app) or the bot's callback URL. */
  async postForged(kind: 'app' | 'bot', body?: string, agentId = this.ctx.opts.agents[0]?.agentId): Promise<{ status: number; body: string }> {
    if (kind === 'app') return this.app.forged(agentId, body);
    const url = this.ctx.opts.aibot?.callbackUrl;
    if (!url) throw new Error('fake WeCom: no bot callback URL (setBotCallbackUrl)');
    const sealed = this.botHttp.crypto().seal(JSON.stringify(botTextBody(this.ctx, { userId: 'forger', text: '/办结 forged' })), '0', '0');
    return this.sender.forged('bot', url, body ?? JSON.stringify({ encrypt: sealed.encrypt }), 'application/json');
  }

  // ---- test control ---------------------------------------------------------------------------------------------

  /** Cut the AI bot's long connection(s) without a word; the SDK reconnects by itself. */
  dropBotConnection(): void {
    this.gateway.dropAll();
  }

  /**
   * The ambiguous send: the next long-connection frame `cmd` (e.g. 'aibot_send_msg') whose body matches lands in the
   * chat as usual, but its ack is held until `before()` has run — the moment to pull the plug on the sender's database
   * — and then sent, or, with `then: 'drop'`, the connection is cut instead, so the sender never learns it went out.
   */
  holdBotAck(cmd: string, match: (body: unknown) => boolean, before: () => Promise<void> | void, then: 'ack' | 'drop' = 'ack'): void {
    this.gateway.holdAck({ cmd, match, before, then });
  }

  expireAllTokens(): void {
    this.ctx.tokens.expireAll();
  }

  /** The next n calls of an API path (e.g. '/cgi-bin/message/send') answer this errcode (45009, 45033, 60020, -1…). */
  failNext(api: string, n: number, errcode: number, errmsg?: string): void {
    this.ctx.forced.add(api, n, errcode, errmsg);
  }

  // ---- observation ----------------------------------------------------------------------------------------------

  /** HTTP calls and long-connection frames (method 'WS', path = cmd) the fake received, with what it answered. */
  get received(): RecordedCall[] {
    return this.ctx.world.received;
  }

  /** Every callback attempt the fake made (app XML, bot JSON, URL verification). */
  get callbacks(): CallbackAttempt[] {
    return this.ctx.world.callbacks;
  }

  /** Accepted but not delivered: per-member limits, duplicate checks, a bot nobody listened to. */
  get dropped(): object[] {
    return this.ctx.world.dropped;
  }

  botConnections(): number {
    return this.gateway.connections();
  }

  groupMessages(chatId: string): object[] {
    return this.ctx.world.groupMessages(chatId);
  }

  userMessages(userId: string): object[] {
    return this.ctx.world.userMessages(userId);
  }

  cards(): Map<string, CardRecord> {
    return this.ctx.cardBook.cards;
  }

  /**
   * Hear, as it happens, every message that lands in a group, a one-to-one chat or a webhook robot's group, and every
   * template card change (the demo's chat simulator shows them live). Returns the way to stop listening.
   */
  watch(listener: (e: WorldEvent) => void): () => void {
    return this.ctx.world.watch(listener);
  }

  /** The bytes of temporary media the AI bot uploaded (a media_id from an image message). */
  media(mediaId: string): Buffer {
    const m = this.ctx.world.media.get(mediaId);
    if (!m) throw new Error(`fake WeCom: no media ${mediaId}`);
    return m.data;
  }

  webhookMessages(key: string): object[] {
    return this.ctx.world.webhookMessages(key);
  }

  /** Polls fn every 10 ms until it returns something truthy; rejects after timeoutMs (default 15 s: generous for a slow CI machine; normally met in milliseconds). */
  waitFor<T>(fn: () => T | undefined | false | null, timeoutMs = 15_000): Promise<T> {
    return waitFor('fake WeCom', fn, timeoutMs);
  }
}
