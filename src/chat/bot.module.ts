import { BulletinModule } from '../bulletins/bulletin.module';
import { AccountabilityModule } from '../accountability/accountability.module';
import { ScoringModule } from '../scoring/scoring.module';
import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { OrgModule } from '../org/org.module';
import { SettingsModule } from '../settings/settings.module';
import { CalendarModule } from '../calendar/calendar.module';
import { BotRouter } from './bot-router.service';
import { CardViewService } from './card-view.service';
import { CommandExecutor } from './command.executor';
import { MyWorkService } from './my-work.service';
import { ItemPageController } from './item-page.controller';
import { PlatformSessionController } from './platform-session.controller';
import { PlatformSessionService } from './platform-session.service';
import { DeskController } from './desk.controller';
import { DeskService } from './desk.service';
import { DINGTALK_CONTROLLERS, DINGTALK_PLATFORM, DINGTALK_PROVIDERS } from './platforms/dingtalk/dingtalk.parts';
import { WECOM_CONTROLLERS, WECOM_PLATFORM, WECOM_PROVIDERS } from './platforms/wecom/wecom.parts';
import { IdentityService } from './identity.service';
import { OUTBOX_DELIVERER } from '../outbox/outbox.deliverer';
import { InboundRoute } from './receiver';
import { ChatReceiverHost } from './receiver-host';
import { OutboxModule } from '../outbox/outbox.module';
import { ChatDeliverer } from './chat.deliverer';
import { CardPlaces } from './card-places';
import { CHAT_PLATFORMS, ChatPlatform } from './chat-platform';
import { OutboundComposer } from './outbound.composer';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RateLimiter } from '../outbox/rate-limiter';
import { OutboxController } from '../outbox/outbox.controller';
import { JobsModule } from '../jobs/jobs.module';
import { DeadLettersController } from './dead-letters.controller';

/** Everything chat: the platform-neutral core and, in their own folders, the platform adapters. */
@Module({
  imports: [OutboxModule, JobsModule, CasesModule, OrgModule, SettingsModule, CalendarModule, ScoringModule, AccountabilityModule, BulletinModule],
  controllers: [
    OutboxController,
    DeadLettersController,
    ItemPageController,
    PlatformSessionController,
    DeskController,
    ...DINGTALK_CONTROLLERS,
    ...WECOM_CONTROLLERS,
  ],
  providers: [
    BotRouter,
    IdentityService,
    PlatformSessionService,
    CommandExecutor,
    MyWorkService,
    DeskService,
    CardViewService,
    OutboundComposer,
    ChatDeliverer,
    CardPlaces,
    { provide: OUTBOX_DELIVERER, useExisting: ChatDeliverer },
    OutboxRelay,
    RateLimiter,
    ...DINGTALK_PROVIDERS,
    ...WECOM_PROVIDERS,
    // Receivers hand their events to the router through the neutral InboundRoute. Every platform switched on provides
    // its one ChatPlatform (sender and receivers), collected into CHAT_PLATFORMS: the deliverer sends through it, the
    // host opens and closes its receivers.
    { provide: InboundRoute, useExisting: BotRouter },
    {
      provide: CHAT_PLATFORMS,
      inject: [DINGTALK_PLATFORM, WECOM_PLATFORM],
      useFactory: (...platforms: (ChatPlatform | null)[]) => platforms.filter((p) => p !== null),
    },
    ChatReceiverHost,
  ],
  exports: [BotRouter, OutboxRelay],
})
export class BotModule {}
