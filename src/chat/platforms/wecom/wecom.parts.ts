import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../shared/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { BotRouter } from '../../bot-router.service';
import { WeComApi } from './wecom.api';
import { WeComBotConnection } from './wecom.bot';
import { WeComCallbackController } from './wecom.controller';
import { WeComSender } from './wecom.sender';

/** Holds the AI bot's long connection (WECOM_BOT_MODE=ws): opened at start, closed at shutdown. */
@Injectable()
export class WeComLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly bot: WeComBotConnection | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    router: BotRouter,
  ) {
    const wc = config.wecom;
    this.bot = wc?.bot?.mode === 'ws' ? new WeComBotConnection(wc, (e) => router.handle(e), config.publicBaseUrl) : null;
  }

  onApplicationBootstrap(): void {
    this.bot?.start();
  }

  onApplicationShutdown(): void {
    this.bot?.stop();
  }
}

export const wecomSenderFactory = {
  provide: WeComSender,
  inject: [APP_CONFIG, DataSource, Clock, WeComLifecycle],
  useFactory: (config: AppConfig, db: DataSource, clock: Clock, life: WeComLifecycle) => {
    const wc = config.wecom;
    if (!wc) return null;
    return new WeComSender(wc, db, new WeComApi(wc.apiBase, wc.corpId, wc.app?.secret ?? '', clock), life.bot, config.publicBaseUrl);
  },
};

/** What BotModule mounts for WeCom: inert when WECOM_CORP_ID is not set. */
export const WECOM_CONTROLLERS = [WeComCallbackController];
export const WECOM_PROVIDERS = [WeComLifecycle, wecomSenderFactory];
