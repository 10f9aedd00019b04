import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

/**
 * A test's hold on one up frame that WeCom accepts: it lands (the message is in the chat), but its ack waits for
 * `before()`, then goes out — or, with `then: 'drop'`, the connection is cut instead and the sender never hears back.
 */
export interface AckHold {
  cmd: string;
  match: (body: unknown) => boolean;
  before: () => Promise<void> | void;
  then: 'ack' | 'drop';
}

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
  private readonly uploads: MediaUploads;
  private readonly holds: AckHold[] = [];

  constructor(private readonly ctx: FakeContext) {
    this.uploads = new MediaUploads(ctx);
  }

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
    const held = ack.errcode === 0 ? this.holds.findIndex((h) => h.cmd === cmd && h.match(frame.body)) : -1;
    if (held >= 0) {
      const [hold] = this.holds.splice(held, 1);
      this.ctx.world.note({ kind: 'ack-held', cmd, reqId, then: hold.then });
      void Promise.resolve()
        .then(hold.before)
        .finally(() => {
          if (hold.then === 'drop') conn.socket.terminate();
          else if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(reply));
        });
      return;
    }
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(reply));
    if (cmd === 'aibot_subscribe' && ack.errcode !== 0) conn.socket.close(1000, 'auth failed');
  }

  /** The next accepted frame `cmd` whose body matches: it lands, and its ack waits for `before()` (or never comes: 'drop'). */
  holdAck(hold: AckHold): void {
    this.holds.push(hold);
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
      case 'aibot_upload_media_init':
        return this.uploads.init(body);
      case 'aibot_upload_media_chunk':
        return this.uploads.chunk(body);
      case 'aibot_upload_media_finish':
        return this.uploads.finish(body);
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

/** unverified: the size limits of temporary media by type (WeCom's media/upload: image 10 MB JPG/PNG, voice 2 MB, video 10 MB, file 20 MB). */
const MEDIA_MAX: Record<string, number> = { image: 10 * 1024 * 1024, voice: 2 * 1024 * 1024, video: 10 * 1024 * 1024, file: 20 * 1024 * 1024 };
const CHUNK_MAX = 512 * 1024;
const CHUNKS_MAX = 100;

/**
 * The long connection's three-step upload of temporary media, as the SDK's uploadMedia drives it: init {type, filename,
 * total_size, total_chunks, md5} → upload_id; chunk {upload_id, chunk_index, base64_data} × total_chunks (≤ 512 KB each
 * before base64, ≤ 100; the SDK numbers them from 0 though its typings say from 1 — the fake takes the SDK's numbering);
 * finish {upload_id} → {type, media_id, created_at} once every chunk is there, the size and the md5 agree, and an image
 * is a PNG or a JPG. unverified: the errcodes (the SDK only checks errcode !== 0).
 */
class MediaUploads {
  private readonly open = new Map<string, { type: string; filename: string; size: number; total: number; md5?: string; chunks: Map<number, Buffer> }>();

  constructor(private readonly ctx: FakeContext) {}

  init(body: unknown): Ack {
    const b = isPlainObject(body) ? body : {};
    const type = String(b.type ?? '');
    if (!(type in MEDIA_MAX)) return fail(`type invalid: ${type}`);
    if (typeof b.filename !== 'string' || !b.filename) return fail('filename missing');
    const size = Number(b.total_size);
    const total = Number(b.total_chunks);
    if (!Number.isInteger(size) || size <= 0) return fail('total_size invalid');
    if (size > MEDIA_MAX[type]) return fail(`${type} size exceed max ${MEDIA_MAX[type]}`, 40009);
    if (!Number.isInteger(total) || total < 1 || total > CHUNKS_MAX || total !== Math.ceil(size / CHUNK_MAX)) return fail('total_chunks invalid');
    const uploadId = randomBytes(12).toString('hex');
    this.open.set(uploadId, { type, filename: b.filename, size, total, md5: typeof b.md5 === 'string' ? b.md5 : undefined, chunks: new Map() });
    return { ...OK, body: { upload_id: uploadId } };
  }

  chunk(body: unknown): Ack {
    const b = isPlainObject(body) ? body : {};
    const up = this.open.get(String(b.upload_id ?? ''));
    if (!up) return fail('invalid upload_id');
    const index = Number(b.chunk_index);
    if (!Number.isInteger(index) || index < 0 || index >= up.total) return fail('chunk_index invalid');
    if (typeof b.base64_data !== 'string' || !b.base64_data) return fail('base64_data missing');
    const data = Buffer.from(b.base64_data, 'base64');
    if (data.length > CHUNK_MAX) return fail(`chunk exceed max ${CHUNK_MAX}`);
    up.chunks.set(index, data);
    return OK;
  }

  finish(body: unknown): Ack {
    const b = isPlainObject(body) ? body : {};
    const uploadId = String(b.upload_id ?? '');
    const up = this.open.get(uploadId);
    if (!up) return fail('invalid upload_id');
    if (up.chunks.size !== up.total) return fail(`chunks missing: ${up.chunks.size} of ${up.total}`);
    const data = Buffer.concat([...up.chunks.entries()].sort((x, y) => x[0] - y[0]).map(([, c]) => c));
    this.open.delete(uploadId);
    if (data.length !== up.size) return fail(`total_size ${up.size} does not match ${data.length}`);
    if (up.md5 && createHash('md5').update(data).digest('hex') !== up.md5) return fail('md5 not match');
    const png = data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const jpg = data[0] === 0xff && data[1] === 0xd8;
    if (up.type === 'image' && !png && !jpg) return fail('image must be JPG or PNG', 40005);
    const mediaId = `3${randomBytes(20).toString('hex')}`;
    this.ctx.world.media.set(mediaId, { type: up.type, filename: up.filename, data });
    return { ...OK, body: { type: up.type, media_id: mediaId, created_at: String(Math.floor(this.ctx.clock() / 1000)) } };
  }
}
