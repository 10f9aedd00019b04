import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { applyBotCardUpdate, applyBotReply, applyBotSend, type BotOrigin } from './aibot-replies';
import type { FakeContext } from './context';
import { seconds } from './context';
import { isPlainObject } from './errors';
import { botMsgId } from './people';

interface Connection {
  id: string;
  socket: WebSocket;
  subscribed: boolean;
}

interface Pushed extends BotOrigin {
  updated: boolean;
}

type Ack = { errcode: number; errmsg: string; body?: unknown };
const OK: Ack = { errcode: 0, errmsg: 'ok' };
// unverified: the errcodes the long connection answers with; the SDK only checks errcode !== 0.
const fail = (errmsg: string, errcode = 40058): Ack => ({ errcode, errmsg });

/**
 * The AI bot's long connection (wss://openws.work.weixin.qq.com). Frames are `{cmd, headers:{req_id}, body}`; the
 * server answers every up frame with `{headers:{req_id}, errcode, errmsg}` (no cmd), which is how the SDK matches
 * acks (by req_id prefix for aibot_subscribe / ping, by pending req_id for replies). Pushes are not acked by the SDK
 * and not re-pushed. A second successful subscribe for the bot evicts the first: it gets an aibot_event_callback
 * with event.eventtype "disconnected_event", then is closed.
 */
export class AiBotGateway {
  private readonly open = new Map<string, Connection>();
  private readonly pushed = new Map<string, Pushed>();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(private readonly ctx: FakeContext) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path !== '/' || !this.ctx.opts.aibot) {
      this.ctx.world.note({ kind: 'ws-refused', path });
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.adopt(ws));
  }

  private adopt(socket: WebSocket): void {
    const conn: Connection = { id: randomUUID(), socket, subscribed: false };
    this.open.set(conn.id, conn);
    this.ctx.world.note({ kind: 'ws-open', connectionId: conn.id });
    socket.on('message', (raw) => this.onFrame(conn, raw));
    socket.on('close', () => {
      this.open.delete(conn.id);
      this.ctx.world.note({ kind: 'ws-close', connectionId: conn.id });
    });
    socket.on('error', () => socket.terminate());
  }

  private onFrame(conn: Connection, raw: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(raw.toString());
    } catch {
      this.ctx.world.note({ kind: 'bad-up-frame', text: raw.toString().slice(0, 200) });
      return;
    }
    if (!isPlainObject(frame)) return;
    const cmd = typeof frame.cmd === 'string' ? frame.cmd : '';
    const reqId = isPlainObject(frame.headers) && typeof frame.headers.req_id === 'string' ? frame.headers.req_id : '';
    const ack = this.handle(conn, cmd, reqId, frame.body);
    const reply = { headers: { req_id: reqId }, ...ack };
    this.ctx.world.record({
      at: this.ctx.clock(),
      method: 'WS',
      path: cmd,
      query: {},
      headers: { req_id: reqId, connectionId: conn.id },
      body: frame.body,
      status: 200,
      response: reply,
    });
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(reply));
    if (cmd === 'aibot_subscribe' && ack.errcode !== 0) conn.socket.close(1000, 'auth failed');
  }

  private handle(conn: Connection, cmd: string, reqId: string, body: unknown): Ack {
    if (cmd === 'aibot_subscribe') return this.subscribe(conn, body);
    if (cmd === 'ping') return OK;
    if (!conn.subscribed) return fail('not subscribed', 40014);
    switch (cmd) {
      case 'aibot_respond_msg':
      case 'aibot_respond_welcome_msg': {
        const origin = this.pushed.get(reqId);
        if (!origin) return fail('invalid req_id');
        if (cmd === 'aibot_respond_msg' && origin.kind !== 'msg') return fail('req_id is not a message callback');
        if (cmd === 'aibot_respond_welcome_msg') {
          if (origin.eventtype !== 'enter_chat') return fail('req_id is not an enter_chat event');
          if (this.ctx.clock() - origin.at > this.ctx.opts.botUpdateWindowMs) return fail('welcome message must be sent within 5 seconds');
        }
        const problem = applyBotReply(this.ctx, origin, body, cmd === 'aibot_respond_msg' ? 'bot-reply' : 'bot-welcome');
        return problem ? fail(problem) : OK;
      }
      case 'aibot_respond_update_msg': {
        const origin = this.pushed.get(reqId);
        if (!origin) return fail('invalid req_id');
        // Late or second updates are refused with an error ack and change nothing (unverified: the code).
        if (this.ctx.clock() - origin.at > this.ctx.opts.botUpdateWindowMs) return fail('update template card must be sent within 5 seconds of the event');
        if (origin.updated) return fail('template card of this event has been updated');
        const problem = applyBotCardUpdate(this.ctx, origin, body, 'aibot_respond_update_msg');
        if (problem) return fail(problem);
        origin.updated = true;
        return OK;
      }
      case 'aibot_send_msg': {
        const problem = applyBotSend(this.ctx, body);
        return problem ? fail(problem) : OK;
      }
      default:
        return fail(`unsupported cmd ${cmd}`);
    }
  }

  private subscribe(conn: Connection, body: unknown): Ack {
    const bot = this.ctx.opts.aibot!;
    const b = isPlainObject(body) ? body : {};
    // unverified: the errcode for wrong bot_id / secret.
    if (b.bot_id !== bot.botId || b.secret !== bot.secret) return fail('invalid bot_id or secret', 40001);
    conn.subscribed = true;
    for (const other of this.open.values()) {
      if (other !== conn && other.subscribed) this.evict(other);
    }
    return OK;
  }

  private evict(conn: Connection): void {
    conn.subscribed = false;
    this.send(conn, 'aibot_event_callback', {
      msgid: botMsgId(),
      create_time: seconds(this.ctx),
      aibotid: this.ctx.opts.aibot!.botId,
      msgtype: 'event',
      event: { eventtype: 'disconnected_event' },
    });
    this.ctx.world.note({ kind: 'ws-evicted', connectionId: conn.id });
    conn.socket.close(1000, 'new connection established');
  }

  private send(conn: Connection, cmd: string, body: object, reqId = randomBytes(16).toString('hex')): string {
    conn.socket.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    this.ctx.world.note({ kind: 'push', cmd, reqId, connectionId: conn.id, body });
    return reqId;
  }

  /** The subscribed connection, if any (there is at most one). */
  private current(): Connection | undefined {
    return [...this.open.values()].find((c) => c.subscribed && c.socket.readyState === WebSocket.OPEN);
  }

  /** Push a message or event; the req_id, or undefined when no connection is subscribed. */
  push(cmd: 'aibot_msg_callback' | 'aibot_event_callback', body: Record<string, unknown>, origin: BotOrigin): string | undefined {
    const conn = this.current();
    if (!conn) return undefined;
    const reqId = this.send(conn, cmd, body);
    this.pushed.set(reqId, { ...origin, updated: false });
    return reqId;
  }

  subscribed(): boolean {
    return this.current() !== undefined;
  }

  connections(): number {
    return this.current() ? 1 : 0;
  }

  /** Cut every connection without a word, as a network fault would. */
  dropAll(): void {
    for (const conn of this.open.values()) conn.socket.terminate();
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }
}
