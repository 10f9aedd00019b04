import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../shared/clock';
import { APP_CONFIG, AppConfig } from './app.config';

/** Issue 16: whether this process runs the demo's chat simulator (the console then offers its page). */
export const DEMO_SIMULATOR_ON = Symbol('DEMO_SIMULATOR_ON');

/** The validated config and the one clock, for everyone. Tests pass their own config and clock. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig, clock?: Clock, demo: { simulator?: boolean } = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock },
        { provide: DEMO_SIMULATOR_ON, useValue: !!demo.simulator },
      ],
      exports: [APP_CONFIG, Clock, DEMO_SIMULATOR_ON],
    };
  }
}
