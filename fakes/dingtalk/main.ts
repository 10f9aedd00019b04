/**
 * `npm run fake:dingtalk`: a local DingTalk for demos and manual runs. Point the service at it with
 * DINGTALK_API_BASE and DINGTALK_OAPI_BASE = the printed address and the same client id / secret.
 * Prints one JSON line per call or stream event it sees.
 */
import { FakeDingTalk } from './fake-dingtalk';

/** Credentials in a printed line are masked; the demo ones are not secret, but a habit is a habit. */
function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /secret|access[-_]?token|^sign$/i.test(k) && typeof v === 'string' ? '***' : mask(v)]));
  }
  return value;
}

async function main(): Promise<void> {
  const clientId = process.env.FAKE_DINGTALK_CLIENT_ID ?? 'dingdemo';
  const clientSecret = process.env.FAKE_DINGTALK_CLIENT_SECRET ?? 'dingdemosecret';
  const fake = await FakeDingTalk.start({
    port: Number(process.env.PORT ?? 9100),
    clientId,
    clientSecret,
    robotCode: process.env.FAKE_DINGTALK_ROBOT_CODE,
    customRobots: process.env.FAKE_DINGTALK_WEBHOOK_TOKEN
      ? [{ accessToken: process.env.FAKE_DINGTALK_WEBHOOK_TOKEN, secret: process.env.FAKE_DINGTALK_WEBHOOK_SECRET ?? 'SECdemo' }]
      : [],
    log: (entry) => {
      // Headers are long and repeat; the line keeps what a person debugging an adapter reads.
      const { headers: _headers, ...rest } = entry as Record<string, unknown>;
      process.stdout.write(`${JSON.stringify(mask(rest))}\n`);
    },
  });
  process.stdout.write(
    `${JSON.stringify({ kind: 'started', apiBase: fake.apiBase, oapiBase: fake.oapiBase, gateway: `${fake.apiBase}/v1.0/gateway/connections/open`, clientId })}\n`,
  );
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake DingTalk did not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
