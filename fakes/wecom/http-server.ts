import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeContext, RouteTable } from './context';
import { wecomError } from './errors';
import type { FakeRequest, FakeResponse } from './types';

/**
 * One HTTP server stands for qyapi.weixin.qq.com and takes the AI bot's WebSocket upgrade too
 * (openws.work.weixin.qq.com). Every call is recorded with what was answered.
 */
export function createFakeHttpServer(
  ctx: FakeContext,
  routes: RouteTable,
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Server {
  const server = createServer((req, res) => {
    void handle(ctx, routes, req, res);
  });
  server.on('upgrade', onUpgrade);
  return server;
}

async function handle(ctx: FakeContext, routes: RouteTable, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readRaw(req);
  const remoteAddress = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const request: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body: parseBody(rawBody), rawBody, remoteAddress };
  const route = routes[`${method} ${url.pathname}`];
  let answer: FakeResponse;
  try {
    answer = route ? await route(request) : { status: 404, body: { errcode: 404, errmsg: `no such api: ${method} ${url.pathname}` } };
  } catch (e) {
    // A fault in the fake is reported the way WeCom reports its own (-1 system busy), and shows in the log.
    ctx.world.note({ kind: 'fake-error', path: url.pathname, error: e instanceof Error ? e.stack : String(e) });
    answer = wecomError(-1, remoteAddress);
  }
  ctx.world.record({
    at: ctx.clock(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: request.body,
    status: answer.status,
    response: answer.body,
  });
  const text = typeof answer.body === 'string' && answer.contentType ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json; charset=UTF-8' });
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

/** JSON when it parses, else the raw text, so a malformed body reaches the route and gets 47001 there. */
function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
