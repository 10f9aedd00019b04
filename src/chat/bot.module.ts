import { BulletinModule } from '../bulletins/bulletin.module';
import { AccountabilityModule } from '../accountability/accountability.module';
import { ScoringModule } from '../scoring/scoring.module';
import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { OrgModule } from '../org/org.module';
import { SettingsModule } from '../settings/settings.module';
import { BotRouter } from './bot-router.service';
import { CardViewService } from './card-view.service';
import { CommandExecutor } from './command.executor';
import { DINGTALK_CONTROLLERS, DINGTALK_PROVIDERS } from './platforms/dingtalk/dingtalk.parts';
import { DingTalkSender } from './platforms/dingtalk/dingtalk.sender';
import { WECOM_CONTROLLERS, WECOM_PROVIDERS } from './platforms/wecom/wecom.parts';
import { WeComSender } from './platforms/wecom/wecom.sender';
import { IdentityService } from './identity.service';
import { OUTBOX_DELIVERER } from '../outbox/outbox.deliverer';
import { OutboxModule } from '../outbox/outbox.module';
import { ChatDeliverer } from './chat.deliverer';
import { CHAT_PLATFORMS } from './chat-platform';
import { OutboundComposer } from './outbound.composer';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RateLimiter } from '../outbox/rate-limiter';
import { OutboxController } from '../outbox/outbox.controller';

/** Everything chat: the platform-neutral core and, in their own folders, the platform adapters. */
@Module({
  imports: [OutboxModule, CasesModule, OrgModule, SettingsModule, ScoringModule, AccountabilityModule, BulletinModule],
  controllers: [OutboxController, ...DINGTALK_CONTROLLERS, ...WECOM_CONTROLLERS],
  providers: [
    BotRouter,
    IdentityService,
    CommandExecutor,
    CardViewService,
    OutboundComposer,
    ChatDeliverer,
    { provide: OUTBOX_DELIVERER, useExisting: ChatDeliverer },
    OutboxRelay,
    RateLimiter,
    ...DINGTALK_PROVIDERS,
    ...WECOM_PROVIDERS,
    {
      provide: CHAT_PLATFORMS,
      inject: [DingTalkSender, WeComSender],
      useFactory: (...senders: (object | null)[]) => senders.filter((s) => s !== null),
    },
  ],
  exports: [BotRouter, OutboxRelay],
})
export class BotModule {}
