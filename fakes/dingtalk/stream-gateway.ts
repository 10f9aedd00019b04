import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { FakeContext, RouteTable } from './context';
import { header } from './context';
import { errors, isPlainObject } from './errors';

const TICKET_LIFE_MS = 90_000;
const PING_TIMEOUT_MS = 5_000;
const DUPLICATE_DELAY_MS = 50;

interface Subscription {
  type: string;
  topic: string;
}

interface Connection {
  id: string;
  socket: WebSocket;
  subscriptions: Subscription[];
  /** After a SYSTEM disconnect: no more pushes, closed a little later. */
  draining: boolean;
}

interface Pending {
  messageId: string;
  type: 'EVENT' | 'CALLBACK';
  topic: string;
  data: string;
  extraHeaders: Record<string, string>;
  attempts: number;
  timer?: NodeJS.Timeout;
  onAck?: (body: unknown) => void;
}

/**
 * The Stream gateway: the handshake that hands out single-use tickets, the WebSocket behind it, and push delivery
 * with DingTalk's at-least-once habits (re-push until ACKed, occasional duplicates, a random connection each time).
 */
export class StreamGateway {
  readonly appId = randomUUID();
  private readonly tickets = new Map<string, { issuedAt: number; used: boolean; subscriptions: Subscription[] }>();
  private readonly open = new Map<string, Connection>();
  private readonly pending = new Map<string, Pending>();
  /** Every push ever made, ACKed or not, so a test can replay one exactly. */
  private readonly history = new Map<string, Pending>();
  private readonly pingWaiters = new Map<string, (frame: unknown) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(private readonly ctx: FakeContext) {}

  routes(): RouteTable {
    return {
      'POST /v1.0/gateway/connections/open': (req) => {
        const b = isPlainObject(req.body) ? req.body : {};
        if (b.clientId !== this.ctx.opts.clientId || b.clientSecret !== this.ctx.opts.clientSecret) {
          return errors.invalidClientIdOrSecret();
        }
        const subscriptions = Array.isArray(b.subscriptions)
          ? b.subscriptions.filter((s): s is Subscription => isPlainObject(s) && typeof s.type === 'string' && typeof s.topic === 'string')
          : [];
        const ticket = randomUUID();
        this.tickets.set(ticket, { issuedAt: this.ctx.clock(), used: false, subscriptions });
        const endpoint = `${this.ctx.apiBase.replace(/^http/, 'ws')}/connect`;
        // The gateway answers XML unless asked for JSON (the SDK sends Accept for this reason); an adapter that
        // forgets the header should fail here as it would against DingTalk.
        if (!(header(req, 'accept') ?? '').includes('application/json')) {
          const xml = `<OpenConnectionResponse><endpoint>${endpoint}</endpoint><ticket>${ticket}</ticket></OpenConnectionResponse>`;
          return { status: 200, body: xml, contentType: 'application/xml' };
        }
        return { status: 200, body: { endpoint, ticket } };
      },
    };
  }

  /** WebSocket `GET /connect?ticket=`: a ticket opens one connection, within 90 s of its issue. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticketId = url.searchParams.get('ticket') ?? '';
    const ticket = this.tickets.get(ticketId);
    const refuse = (status: number, reason: string) => {
      this.ctx.world.note({ kind: 'ws-refused', status, reason });
      const body = JSON.stringify({ code: 'invalidTicket', message: reason });
      socket.end(
        `HTTP/1.1 ${status} Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname !== '/connect') return refuse(404, 'no such endpoint');
    if (!ticket) return refuse(401, 'unknown ticket');
    if (ticket.used) return refuse(401, 'ticket already used');
    if (this.ctx.clock() - ticket.issuedAt > TICKET_LIFE_MS) return refuse(401, 'ticket expired');
    ticket.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.adopt(ws, ticket.subscriptions));
  }

  private adopt(socket: WebSocket, subscriptions: Subscription[]): void {
    const conn: Connection = { id: randomUUID(), socket, subscriptions, draining: false };
    this.open.set(conn.id, conn);
    this.ctx.world.note({ kind: 'ws-open', connectionId: conn.id, subscriptions });
    socket.on('message', (raw) => this.onUpFrame(raw));
    socket.on('close', () => {
      this.open.delete(conn.id);
      this.ctx.world.note({ kind: 'ws-close', connectionId: conn.id });
    });
    socket.on('error', () => socket.terminate());
  }

  /** Queue a push; it is re-pushed every redeliverAfterMs until a successful ACK (an EVENT ACKed LATER counts as not). */
  push(
    type: 'EVENT' | 'CALLBACK',
    topic: string,
    data: unknown,
    extra: { extraHeaders?: Record<string, string>; onAck?: (body: unknown) => void; rawData?: boolean } = {},
  ): string {
    const entry: Pending = {
      messageId: randomUUID(),
      type,
      topic,
      // rawData: the string goes out as the frame's data as it is (a malformed push, for fault tests).
      data: extra.rawData && typeof data === 'string' ? data : JSON.stringify(data),
      extraHeaders: extra.extraHeaders ?? {},
      attempts: 0,
      onAck: extra.onAck,
    };
    this.pending.set(entry.messageId, entry);
    this.history.set(entry.messageId, entry);
    this.deliver(entry);
    if (this.ctx.opts.random() < this.ctx.opts.duplicateRate) {
      this.later(DUPLICATE_DELAY_MS, () => this.send(entry, true));
    }
    return entry.messageId;
  }

  /** Send an earlier push again, byte for byte, as DingTalk sometimes does after an ACK. */
  resend(messageId: string): void {
    const entry = this.history.get(messageId);
    if (!entry) throw new Error(`fake DingTalk: no push ${messageId} to resend`);
    this.send(entry, true);
  }

  private deliver(entry: Pending): void {
    entry.attempts += 1;
    this.send(entry, false);
    entry.timer = this.later(this.ctx.opts.redeliverAfterMs, () => {
      if (this.pending.has(entry.messageId)) this.deliver(entry);
    });
  }

  /** Write the frame to one eligible connection chosen at random; with none open, the next re-push tries again. */
  private send(entry: Pending, duplicate: boolean): void {
    const eligible = [...this.open.values()].filter((c) => !c.draining && c.socket.readyState === WebSocket.OPEN && this.subscribed(c, entry));
    if (!eligible.length) return;
    const conn = eligible[Math.floor(this.ctx.opts.random() * eligible.length) % eligible.length];
    const frame = {
      specVersion: '1.0',
      type: entry.type,
      headers: {
        appId: this.appId,
        connectionId: conn.id,
        contentType: 'application/json',
        messageId: entry.messageId,
        time: String(this.ctx.clock()),
        topic: entry.topic,
        ...entry.extraHeaders,
      },
      data: entry.data,
    };
    conn.socket.send(JSON.stringify(frame));
    const record = {
      messageId: entry.messageId,
      type: entry.type,
      topic: entry.topic,
      connectionId: conn.id,
      attempt: entry.attempts,
      duplicate,
      at: this.ctx.clock(),
    };
    this.ctx.world.pushes.push(record);
    this.ctx.world.note({ kind: 'push', ...record });
  }

  private subscribed(conn: Connection, entry: Pending): boolean {
    return conn.subscriptions.some((s) =>
      entry.type === 'CALLBACK'
        ? s.type === 'CALLBACK' && s.topic === entry.topic
        : s.type === 'EVENT' && (s.topic === '*' || s.topic === entry.extraHeaders.eventType),
    );
  }

  private onUpFrame(raw: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(raw.toString());
    } catch {
      this.ctx.world.note({ kind: 'bad-up-frame', text: raw.toString().slice(0, 200) });
      return;
    }
    if (!isPlainObject(frame) || !isPlainObject(frame.headers) || typeof frame.headers.messageId !== 'string') return;
    const messageId = frame.headers.messageId;
    const pingWaiter = this.pingWaiters.get(messageId);
    if (pingWaiter) return pingWaiter(frame);

    let body: unknown = frame.data;
    if (typeof frame.data === 'string') {
      try {
        body = JSON.parse(frame.data);
      } catch {
        /* keep the raw string */
      }
    }
    this.ctx.world.acks.push({ messageId, body, at: this.ctx.clock() });
    this.ctx.world.note({ kind: 'ack', messageId, code: frame.code, body });
    const entry = this.pending.get(messageId);
    if (!entry) return;
    const later = entry.type === 'EVENT' && isPlainObject(body) && body.status === 'LATER';
    if (frame.code !== 200 || later) return; // not done: the re-push timer stays armed
    this.pending.delete(messageId);
    if (entry.timer) this.cancel(entry.timer);
    entry.onAck?.(body);
  }

  /** SYSTEM ping to every connection; resolves with the echoes that came back within 5 s. */
  async ping(): Promise<unknown[]> {
    const waits = [...this.open.values()].map(
      (conn) =>
        new Promise<unknown>((resolve) => {
          const messageId = randomUUID();
          const done = (frame: unknown) => {
            this.pingWaiters.delete(messageId);
            this.cancel(timer);
            resolve(frame);
          };
          const timer = this.later(PING_TIMEOUT_MS, () => done(undefined));
          this.pingWaiters.set(messageId, done);
          this.sendSystem(conn, 'ping', { opaque: randomUUID() }, messageId);
        }),
    );
    return (await Promise.all(waits)).filter((f) => f !== undefined);
  }

  /** SYSTEM disconnect ({reason}, no messageId, no reply expected), then close after the configured delay. */
  sendDisconnect(reason = 'server is going to restart'): void {
    for (const conn of this.open.values()) {
      if (conn.draining) continue;
      conn.draining = true;
      this.sendSystem(conn, 'disconnect', { reason });
      this.later(this.ctx.opts.disconnectCloseAfterMs, () => conn.socket.close(1000, 'disconnect'));
    }
  }

  private sendSystem(conn: Connection, topic: string, data: object, messageId?: string): void {
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    const headers: Record<string, string> = {
      appId: this.appId,
      connectionId: conn.id,
      contentType: 'application/json',
      time: String(this.ctx.clock()),
      topic,
    };
    if (messageId) headers.messageId = messageId;
    conn.socket.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers, data: JSON.stringify(data) }));
  }

  dropConnections(): void {
    for (const conn of this.open.values()) conn.socket.terminate();
  }

  connections(): number {
    return [...this.open.values()].filter((c) => c.socket.readyState === WebSocket.OPEN).length;
  }

  /** Pushes not yet ACKed. */
  unacked(): string[] {
    return [...this.pending.keys()];
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    this.history.clear();
    this.dropConnections();
    this.wss.close();
  }

  later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout): void {
    clearTimeout(t);
    this.timers.delete(t);
  }
}
