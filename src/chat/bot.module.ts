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
import { DINGTALK_CONTROLLERS, DINGTALK_INBOUND, DINGTALK_PROVIDERS } from './platforms/dingtalk/dingtalk.parts';
import { DingTalkSender } from './platforms/dingtalk/dingtalk.sender';
import { WECOM_CONTROLLERS, WECOM_INBOUND, WECOM_PROVIDERS } from './platforms/wecom/wecom.parts';
import { WeComSender } from './platforms/wecom/wecom.sender';
import { IdentityService } from './identity.service';
import { OUTBOX_DELIVERER } from '../outbox/outbox.deliverer';
import { CHAT_RECEIVERS, ChatPlatformInbound, InboundRoute } from './receiver';
import { ChatReceiverHost } from './receiver-host';
import { OutboxModule } from '../outbox/outbox.module';
import { ChatDeliverer } from './chat.deliverer';
import { CHAT_PLATFORMS } from './chat-platform';
import { OutboundComposer } from './outbound.composer';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RateLimiter } from '../outbox/rate-limiter';
import { OutboxController } from '../outbox/outbox.controller';
import { JobsModule } from '../jobs/jobs.module';

/** Everything chat: the platform-neutral core and, in their own folders, the platform adapters. */
@Module({
  imports: [OutboxModule, JobsModule, CasesModule, OrgModule, SettingsModule, ScoringModule, AccountabilityModule, BulletinModule],
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
    // Inbound: receivers hand their events to the router through the neutral InboundRoute; every platform's receivers
    // are collected into CHAT_RECEIVERS and opened and closed by the host.
    { provide: InboundRoute, useExisting: BotRouter },
    {
      provide: CHAT_RECEIVERS,
      inject: [DINGTALK_INBOUND, WECOM_INBOUND],
      useFactory: (...platforms: (ChatPlatformInbound | null)[]) => platforms.filter((p) => p !== null),
    },
    ChatReceiverHost,
    {
      provide: CHAT_PLATFORMS,
      inject: [DingTalkSender, WeComSender],
      useFactory: (...senders: (object | null)[]) => senders.filter((s) => s !== null),
    },
  ],
  exports: [BotRouter, OutboxRelay],
})
export class BotModule {}
