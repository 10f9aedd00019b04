import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRecordingServer } from '../shared/http';
import type { FakeContext, RouteTable } from './context';
import { wecomError } from './errors';

/**
 * One HTTP server stands for qyapi.weixin.qq.com and takes the AI bot's WebSocket upgrade too
 * (openws.work.weixin.qq.com). Every call is recorded with what was answered.
 */
export function createFakeHttpServer(ctx: FakeContext, routes: RouteTable, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Server {
  return createRecordingServer({
    routes,
    clock: ctx.clock,
    record: (call) => ctx.world.record(call),
    note: (entry) => ctx.world.note(entry),
    notFound: (req) => ({ status: 404, body: { errcode: 404, errmsg: `no such api: ${req.method} ${req.path}` } }),
    // A fault in the fake is reported the way WeCom reports its own (-1 system busy).
    fault: (req) => wecomError(-1, req.remoteAddress),
    jsonContentType: 'application/json; charset=UTF-8',
    onUpgrade,
  });
}
