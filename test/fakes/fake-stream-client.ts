import { DWClient } from 'dingtalk-stream';

/**
 * The official `dingtalk-stream` client, pointed at another gateway. The SDK posts its handshake to the hard-coded
 * GATEWAY_URL (https://api.dingtalk.com/v1.0/gateway/connections/open) inside getEndpoint(), then connects to the
 * private `dw_url` = `${endpoint}?ticket=${ticket}`; this override does the same handshake against `apiBase` and
 * leaves everything else (socket, frames, ping echo, ACKs, reconnect) to the SDK unchanged.
 */
export class StreamClientAt extends DWClient {
  private shutDown = false;

  constructor(
    private readonly apiBase: string,
    opts: { clientId: string; clientSecret: string; keepAlive?: boolean },
  ) {
    super(opts);
  }

  override async getEndpoint(): Promise<this> {
    if (this.shutDown) throw new Error('client shut down');
    const res = await fetch(`${this.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      // Same body and Accept header as the SDK's own getEndpoint().
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    if (!res.ok) throw new Error(`handshake failed: ${res.status} ${await res.text()}`);
    const { endpoint, ticket } = (await res.json()) as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket) throw new Error('endpoint or ticket is null');
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }

  /** The SDK's disconnect() cannot cancel a reconnect it has already queued; this one makes that reconnect a no-op. */
  shutdown(): void {
    this.shutDown = true;
    this.disconnect();
  }

  override async connect(): Promise<void> {
    if (this.shutDown) return;
    return super.connect();
  }
}
