/** A faithful local DingTalk for tests and demos; see fake-dingtalk.ts. */
export { FakeDingTalk, TOPIC_CARD, TOPIC_ROBOT } from './fake-dingtalk';
export { cardCallbackSignature, httpCallbackSign, webhookSign } from './signing';
export type { AckRecord, CardRecord, CustomRobotConfig, FakeDingTalkOptions, PushRecord, RecordedCall } from './types';
export type { WorldEvent } from './world';
