import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, DemoClock, SecurityClock, SystemClock } from '../shared/clock';
import { APP_CONFIG, AppConfig } from './app.config';

/** Issue 16: whether this process runs the demo's chat simulator (the console then offers its page). */
export const DEMO_SIMULATOR_ON = Symbol('DEMO_SIMULATOR_ON');

/**
 * The validated config, the one clock and the security clock, for everyone. Tests pass their own config and clock.
 * The security clock (issue 16) is the one given; else the service clock — a test's fixed clock moves sessions and
 * links with everything else — except when that is the demo clock, which departs from real time on purpose: then
 * security lifetimes run on the system clock.
 */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig, clock?: Clock, demo: { simulator?: boolean; securityClock?: SecurityClock } = {}): DynamicModule {
    const security = demo.securityClock ?? (clock && !(clock instanceof DemoClock) ? clock : new SystemClock());
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock },
        { provide: SecurityClock, useValue: security },
        { provide: DEMO_SIMULATOR_ON, useValue: !!demo.simulator },
      ],
      exports: [APP_CONFIG, Clock, SecurityClock, DEMO_SIMULATOR_ON],
    };
  }
}
