import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecurityClock } from '../../../shared/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { ChatPlatform, chatPlatform } from '../../chat-platform';
import { InboundRoute } from '../../receiver';
import { WeComApi } from './wecom.api';
import { WeComBotConnection } from './wecom.bot';
import { WeComCallbackController } from './wecom.controller';
import { WeComSender } from './wecom.sender';
import { itemLinker } from '../../item-link';

/** Holds the AI bot's long-connection receiver (WECOM_BOT_MODE=ws); the chat module opens it at start, closes it at shutdown. */
@Injectable()
export class WeComLifecycle {
  readonly bot: WeComBotConnection | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, router: InboundRoute, clock: SecurityClock) {
    const wc = config.wecom;
    this.bot = wc?.bot?.mode === 'ws' ? new WeComBotConnection(wc, (e) => router.handle(e), itemLinker(config, clock)) : null;
  }
}

export const wecomSenderFactory = {
  provide: WeComSender,
  inject: [APP_CONFIG, DataSource, SecurityClock, WeComLifecycle],
  useFactory: (config: AppConfig, db: DataSource, clock: SecurityClock, life: WeComLifecycle) => {
    const wc = config.wecom;
    if (!wc) return null;
    return new WeComSender(wc, db, new WeComApi(wc.apiBase, wc.corpId, wc.app?.secret ?? '', clock), life.bot, itemLinker(config, clock), clock);
  },
};

/** The provider token of WeCom's ChatPlatform (the chat module collects every platform's into CHAT_PLATFORMS). */
export const WECOM_PLATFORM = Symbol('WECOM_PLATFORM');

/**
 * WeCom as a ChatPlatform: its sender, and the long connection when WECOM_BOT_MODE=ws (the HTTP receiver, app and bot
 * callbacks, is the controller below).
 */
export const wecomPlatform = {
  provide: WECOM_PLATFORM,
  inject: [APP_CONFIG, WeComSender, WeComLifecycle],
  useFactory: (config: AppConfig, sender: WeComSender | null, life: WeComLifecycle): ChatPlatform | null =>
    config.wecom && sender ? chatPlatform(sender, life.bot ? [life.bot] : []) : null,
};

/** What the chat module mounts for WeCom: inert when WECOM_CORP_ID is not set. */
export const WECOM_CONTROLLERS = [WeComCallbackController];
export const WECOM_PROVIDERS = [WeComLifecycle, wecomSenderFactory, wecomPlatform];
