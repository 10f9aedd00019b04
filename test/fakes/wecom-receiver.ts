import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
}

export type Handler = (req: ReceivedRequest) => { status: number; body?: string } | Promise<{ status: number; body?: string }>;

/** A stand-in for the service's callback endpoint: records every request and answers with `handler`. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  handler: Handler = () => ({ status: 200, body: '' });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/callbacks/wecom'): Promise<Receiver> {
    const box: { self?: Receiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const r: ReceivedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          contentType: String(req.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        };
        box.self!.requests.push(r);
        void Promise.resolve(box.self!.handler(r)).then(
          (answer) => {
            res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end(answer.body ?? '');
          },
          () => res.destroy(),
        );
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    box.self = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return box.self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}
