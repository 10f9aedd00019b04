import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app.config';
import { BotRouter } from '../../bot-router.service';
import { DingTalkApi } from './dingtalk.api';
import { DingTalkCallbackController } from './dingtalk.controller';
import { DingTalkSender } from './dingtalk.sender';
import { DingTalkStream } from './dingtalk.stream';

/** Starts the Stream connection when DingTalk is configured in stream mode. */
@Injectable()
export class DingTalkLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  stream: DingTalkStream | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: BotRouter,
  ) {}

  onApplicationBootstrap(): void {
    const dt = this.config.dingtalk;
    if (!dt || dt.mode !== 'stream') return;
    this.stream = new DingTalkStream(dt, (e) => this.router.handle(e));
    this.stream.start();
  }

  onApplicationShutdown(): void {
    this.stream?.stop();
  }
}

export const dingtalkSenderFactory = {
  provide: DingTalkSender,
  inject: [APP_CONFIG, Clock],
  useFactory: (config: AppConfig, clock: Clock) => (config.dingtalk ? new DingTalkSender(config.dingtalk, new DingTalkApi(config.dingtalk, clock), config.publicBaseUrl) : null),
};

/** What BotModule mounts for DingTalk: it stays inert when DINGTALK_CLIENT_ID is not set. */
export const DINGTALK_CONTROLLERS = [DingTalkCallbackController];
export const DINGTALK_PROVIDERS = [DingTalkLifecycle, dingtalkSenderFactory];
