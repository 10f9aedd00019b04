import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeContext, RouteTable } from './context';
import { apiError, errors } from './errors';
import type { FakeRequest, FakeResponse } from './types';

/**
 * One HTTP server stands for api.dingtalk.com and oapi.dingtalk.com at once (their paths do not collide) and takes
 * the Stream WebSocket upgrade too. Every call is recorded with what was answered.
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
  const body = parseBody(await readRaw(req));
  const request: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };
  const route = routes[`${method} ${url.pathname}`];
  let answer: FakeResponse;
  try {
    if (route) answer = await route(request);
    else answer = url.pathname.startsWith('/v1.0/') ? errors.notFound() : errors.oapiNotFound();
  } catch (e) {
    // A fault in the fake is reported the way DingTalk reports its own, and shows in the log.
    ctx.world.note({ kind: 'fake-error', path: url.pathname, error: e instanceof Error ? e.stack : String(e) });
    answer = apiError(500, 'system.busy', '系统繁忙');
  }
  ctx.world.record({
    at: ctx.clock(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
    status: answer.status,
    response: answer.body,
  });
  const text = typeof answer.body === 'string' && answer.contentType ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json;charset=utf-8' });
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

/** JSON when it parses, else the raw text, so a malformed body reaches the route and gets the route's own error. */
function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
