/**
 * `npm run fake:wecom`: a local WeCom for demos and manual runs. Point the service at it with WECOM_API_BASE = the
 * printed apiBase and WECOM_AIBOT_WS_URL = the printed aibotWsUrl, and the same corp / app / bot credentials.
 * Prints one JSON line per call, long-connection frame or callback it sees.
 */
import { FakeWeCom } from './fake-wecom';

const env = (name: string, fallback: string): string => process.env[name] || fallback;

/** Credentials in a printed line are masked; the demo ones are not secret, but a habit is a habit. */
function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, /secret|access_token|^token$|aeskey|^key$|^sign/i.test(k) && typeof v === 'string' ? '***' : mask(v)]),
    );
  }
  return value;
}

async function main(): Promise<void> {
  const corpId = env('FAKE_WECOM_CORP_ID', 'wwfake000000000000');
  const agentId = Number(env('FAKE_WECOM_AGENT_ID', '1000002'));
  const botId = env('FAKE_WECOM_BOT_ID', 'aibfakebot0000000000000000000000');
  const fake = await FakeWeCom.start({
    port: Number(process.env.PORT ?? 9200),
    corpId,
    agents: [
      {
        agentId,
        secret: env('FAKE_WECOM_SECRET', 'fake-app-secret-0000000000000000000000000000'),
        token: env('FAKE_WECOM_TOKEN', 'fakeAppToken'),
        encodingAESKey: env('FAKE_WECOM_ENCODING_AES_KEY', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'),
        callbackUrl: process.env.FAKE_WECOM_APP_CALLBACK_URL,
      },
    ],
    aibot: {
      botId,
      secret: env('FAKE_WECOM_BOT_SECRET', 'fake-bot-secret-000000000000000000000000000'),
      token: env('FAKE_WECOM_BOT_TOKEN', 'fakeBotToken'),
      encodingAESKey: env('FAKE_WECOM_BOT_ENCODING_AES_KEY', '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt'),
      callbackUrl: process.env.FAKE_WECOM_BOT_CALLBACK_URL,
    },
    webhooks: [{ key: env('FAKE_WECOM_WEBHOOK_KEY', '00000000-0000-4000-8000-000000000000') }],
    log: (entry) => {
      // Headers are long and repeat; the line keeps what a person debugging an adapter reads.
      const { headers: _headers, ...rest } = entry as Record<string, unknown>;
      process.stdout.write(`${JSON.stringify(mask(rest))}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ kind: 'started', apiBase: fake.apiBase, aibotWsUrl: fake.aibotWsUrl, corpId, agentId, botId })}\n`);
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake WeCom did not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
