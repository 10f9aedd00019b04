/** A faithful local WeCom for tests and demos; see fake-wecom.ts. */
export { FakeWeCom, type BotDelivery } from './fake-wecom';
export { CallbackCrypto, decrypt, encrypt, signature } from './crypto';
export type { AgentConfig, AiBotConfig, CallbackAttempt, CardRecord, CardUpdate, FakeWeComOptions, RecordedCall } from './types';
export type { WorldEvent } from './world';
