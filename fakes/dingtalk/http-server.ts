import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRecordingServer } from '../shared/http';
import type { FakeContext, RouteTable } from './context';
import { apiError, errors } from './errors';

/**
 * One HTTP server stands for api.dingtalk.com and oapi.dingtalk.com at once (their paths do not collide) and takes
 * the Stream WebSocket upgrade too. Every call is recorded with what was answered.
 */
export function createFakeHttpServer(ctx: FakeContext, routes: RouteTable, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Server {
  return createRecordingServer({
    routes,
    clock: ctx.clock,
    record: (call) => ctx.world.record(call),
    note: (entry) => ctx.world.note(entry),
    notFound: (req) => (req.path.startsWith('/v1.0/') ? errors.notFound() : errors.oapiNotFound()),
    // A fault in the fake is reported the way DingTalk reports its own.
    fault: () => apiError(500, 'system.busy', '系统繁忙'),
    jsonContentType: 'application/json;charset=utf-8',
    onUpgrade,
  });
}
