import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../shared/clock';
import { APP_CONFIG, AppConfig } from './app.config';

/** The validated config and the one clock, for everyone. Tests pass their own config and clock. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock }],
      exports: [APP_CONFIG, Clock],
    };
  }
}
