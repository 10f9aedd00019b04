import { Inject, Injectable } from '@nestjs/common';
import { SecurityClock } from '../../../shared/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { ChatPlatform, chatPlatform } from '../../chat-platform';
import { InboundRoute } from '../../receiver';
import { DingTalkApi } from './dingtalk.api';
import { DingTalkCallbackController } from './dingtalk.controller';
import { DingTalkSender } from './dingtalk.sender';
import { DingTalkStream } from './dingtalk.stream';
import { itemLinker } from '../../item-link';

/** Holds the Stream receiver when DingTalk is configured in stream mode (the chat module starts and stops it). */
@Injectable()
export class DingTalkLifecycle {
  readonly stream: DingTalkStream | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, router: InboundRoute) {
    const dt = config.dingtalk;
    this.stream = dt && dt.mode === 'stream' ? new DingTalkStream(dt, (e) => router.handle(e)) : null;
  }
}

export const dingtalkSenderFactory = {
  provide: DingTalkSender,
  inject: [APP_CONFIG, SecurityClock],
  useFactory: (config: AppConfig, clock: SecurityClock) =>
    config.dingtalk ? new DingTalkSender(config.dingtalk, new DingTalkApi(config.dingtalk, clock), itemLinker(config, clock)) : null,
};

/** The provider token of DingTalk's ChatPlatform (the chat module collects every platform's into CHAT_PLATFORMS). */
export const DINGTALK_PLATFORM = Symbol('DINGTALK_PLATFORM');

/** DingTalk as a ChatPlatform: its sender, and the Stream receiver when in stream mode (the HTTP receiver is the controller below). */
export const dingtalkPlatform = {
  provide: DINGTALK_PLATFORM,
  inject: [APP_CONFIG, DingTalkSender, DingTalkLifecycle],
  useFactory: (config: AppConfig, sender: DingTalkSender | null, life: DingTalkLifecycle): ChatPlatform | null =>
    config.dingtalk && sender ? chatPlatform(sender, life.stream ? [life.stream] : []) : null,
};

/** What the chat module mounts for DingTalk: it stays inert when DINGTALK_CLIENT_ID is not set. */
export const DINGTALK_CONTROLLERS = [DingTalkCallbackController];
export const DINGTALK_PROVIDERS = [DingTalkLifecycle, dingtalkSenderFactory, dingtalkPlatform];
