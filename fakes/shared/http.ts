import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Plumbing both fakes share: one recording HTTP server (with a WebSocket upgrade hook) and a wait helper.
 * Only the plumbing: each fake keeps its own routes, errors, signing and crypto, so they stay independent
 * implementations of two different platforms.
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** JSON when it parses, else the raw text, so a malformed body reaches the route and gets the route's own error. */
  body: unknown;
  rawBody: string;
  remoteAddress: string;
}

/** What a route hands back; the server records it and writes it. */
export interface FakeResponse {
  status: number;
  body: unknown;
  /** Defaults to the server's JSON content type. */
  contentType?: string;
  /** Extra headers (a redirect's Location, CORS on a script's calls). */
  headers?: Record<string, string>;
}

export type Route = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface RecordedCall {
  at: number;
  /** HTTP method (or, in the WeCom fake, 'WS' for a frame sent over the long connection). */
  method: string;
  /** URL path (or the frame's `cmd`). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  /** The JSON answered (or the ack frame). */
  response: unknown;
}

export interface RecordingServerOptions {
  routes: Record<string, Route>;
  clock: () => number;
  record: (call: RecordedCall) => void;
  note: (entry: object) => void;
  /** The platform's answer for a path it does not have. */
  notFound: (req: FakeRequest) => FakeResponse;
  /** The platform's "busy" answer, used when a route of the fake itself throws (the fault is noted). */
  fault: (req: FakeRequest) => FakeResponse;
  jsonContentType: string;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export function createRecordingServer(o: RecordingServerOptions): Server {
  const server = createServer((req, res) => void handle(o, req, res));
  server.on('upgrade', o.onUpgrade);
  return server;
}

async function handle(o: RecordingServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readRaw(req);
  const remoteAddress = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const request: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body: parseBody(rawBody), rawBody, remoteAddress };
  const route = o.routes[`${method} ${url.pathname}`];
  let answer: FakeResponse;
  try {
    answer = route ? await route(request) : o.notFound(request);
  } catch (e) {
    o.note({ kind: 'fake-error', path: url.pathname, error: e instanceof Error ? e.stack : String(e) });
    answer = o.fault(request);
  }
  o.record({
    at: o.clock(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: request.body,
    status: answer.status,
    response: answer.body,
  });
  const text = typeof answer.body === 'string' && answer.contentType ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? o.jsonContentType, ...answer.headers });
  res.end(text);
}

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Polls fn every 10 ms until it returns something truthy; rejects after timeoutMs (generous for a slow CI machine; normally met in milliseconds). */
export async function waitFor<T>(who: string, fn: () => T | undefined | false | null, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${who}: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What both fakes' worlds start from: every call received, in order, and an optional log line for each. */
export class Recorder {
  readonly received: RecordedCall[] = [];

  constructor(protected readonly log?: (entry: object) => void) {}

  record(call: RecordedCall): void {
    this.received.push(call);
    this.log?.({ kind: 'call', ...call });
  }

  note(entry: object): void {
    this.log?.(entry);
  }
}
