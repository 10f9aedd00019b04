import type { FakeDingTalk } from '../../fakes/dingtalk';
import type { FakeWeCom } from '../../fakes/wecom';

/** The WeCom corp, self-built app and AI bot the tests configure the service and the fake WeCom with. */
export const CORP = 'wwduban0000000001';
export const AGENT = {
  agentId: 1000002,
  secret: 'wecom-app-secret-0123456789',
  token: 'AppToken123',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};
export const BOT = {
  botId: 'aibduban01',
  secret: 'wecom-bot-secret-0123456789',
  token: 'BotToken123',
  encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

/** The service's WeCom settings pointing at a fake WeCom (app + AI bot over the long connection). */
export const wecomEnv = (fake: FakeWeCom) => ({
  WECOM_CORP_ID: CORP,
  WECOM_AGENT_ID: String(AGENT.agentId),
  WECOM_SECRET: AGENT.secret,
  WECOM_TOKEN: AGENT.token,
  WECOM_ENCODING_AES_KEY: AGENT.encodingAESKey,
  WECOM_BOT_ID: BOT.botId,
  WECOM_BOT_SECRET: BOT.secret,
  WECOM_API_BASE: fake.apiBase,
  WECOM_AIBOT_WS_URL: fake.aibotWsUrl,
  DUBAN_OUTBOX_POLL_MS: '50',
});

/** The service's DingTalk settings pointing at a fake DingTalk (HTTP mode: no Stream connection); without a card template, cards go as sampleActionCard. */
export const dingtalkEnv = (
  fake: FakeDingTalk,
  app: { clientId: string; clientSecret: string; robotCode: string },
  template?: string,
): Record<string, string> => ({
  DINGTALK_MODE: 'http',
  DINGTALK_CLIENT_ID: app.clientId,
  DINGTALK_CLIENT_SECRET: app.clientSecret,
  DINGTALK_ROBOT_CODE: app.robotCode,
  ...(template ? { DINGTALK_CARD_TEMPLATE_ID: template } : {}),
  DINGTALK_API_BASE: fake.apiBase,
  DINGTALK_OAPI_BASE: fake.oapiBase,
});

/** The same DingTalk app over the Stream connection (the default mode), with a quick outbox — as the console's browser tests run it. */
export const dingtalkStreamEnv = (fake: FakeDingTalk, app: { clientId: string; clientSecret: string; robotCode: string }): Record<string, string> => ({
  DINGTALK_CLIENT_ID: app.clientId,
  DINGTALK_CLIENT_SECRET: app.clientSecret,
  DINGTALK_ROBOT_CODE: app.robotCode,
  DINGTALK_API_BASE: fake.apiBase,
  DINGTALK_OAPI_BASE: fake.oapiBase,
  DUBAN_OUTBOX_POLL_MS: '50',
});
