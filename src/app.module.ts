import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { BotModule } from './chat/bot.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import type { Clock, SecurityClock } from './shared/clock';
import type { AppConfig } from './config/app.config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { ENTITIES } from './app.entities';
import { DemoSeedService } from './demo/demo-seed.service';
import { DemoClockController } from './demo/demo-clock.controller';
import { HealthController } from './health/health.controller';
import { OrgModule } from './org/org.module';
import { RemindersModule } from './reminders/reminders.module';
import { ScoringModule } from './scoring/scoring.module';
import { AccountabilityModule } from './accountability/accountability.module';
import { BulletinModule } from './bulletins/bulletin.module';
import { SettingsModule } from './settings/settings.module';
import { SimulatorController } from './demo/simulator.controller';
import { DemoTimeController } from './demo/demo-time.controller';
import { ReminderPolicyModule } from './reminders/reminder-policy.module';
import { SIMULATOR, type SimulatorPort } from './demo/simulator.port';
import { ScenariosModule } from './demo/scenarios/scenarios.module';
import type { ScenarioPace } from './demo/scenarios/scenario-runner';

/** What only `npm run demo` brings (issue 16): the chat simulator over the platform fakes. */
export interface DemoParts {
  simulator?: SimulatorPort;
  /** The clock of sessions, sign-in codes, signed links and platform signatures (default: see ConfigModule). */
  securityClock?: SecurityClock;
  /** The guided scenarios' pace (default: a pause of a few seconds before each step). */
  scenarioPace?: Partial<ScenarioPace>;
}

@Module({})
export class AppModule {
  static register(config: AppConfig, clock?: Clock, demo: DemoParts = {}): DynamicModule {
    const sim = demo.simulator;
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, clock, { simulator: !!sim, securityClock: demo.securityClock }),
        DatabaseModule.forRoot(ENTITIES),
        EventsModule,
        OrgModule,
        AuthModule,
        SettingsModule,
        CalendarModule,
        CasesModule,
        BotModule,
        RemindersModule,
        ScoringModule,
        AccountabilityModule,
        BulletinModule,
        // The demo's time strip (DemoTimeController) holds its jumps out of quiet hours with the reminders' QuietHold.
        ReminderPolicyModule,
        // Issue 16 §5: the guided scenarios play over the simulator, so they exist only with it.
        ...(sim ? [ScenariosModule.register(sim, demo.scenarioPace)] : []),
      ],
      // The simulator's endpoints exist only when the demo brought the port.
      controllers: [HealthController, DemoClockController, ...(sim ? [SimulatorController, DemoTimeController] : [])],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }, DemoSeedService, ...(sim ? [{ provide: SIMULATOR, useValue: sim }] : [])],
    };
  }
}
