import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { connectionOptions, EntityList } from './data-source';

/** Connects and applies pending migrations at start (issue 3: `npm start` needs no other step). */
@Global()
@Module({})
export class DatabaseModule {
  /** `entities`: the app's entity list (src/app.entities.ts) — the database folder imports no feature (issue 12). */
  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ ...connectionOptions(config.databaseUrl, entities), migrationsRun: false }),
          dataSourceFactory: async (options) => {
            const { DataSource } = await import('typeorm');
            const ds = await new DataSource(options!).initialize();
            const applied = await ds.runMigrations({ transaction: 'each' });
            if (applied.length) new Logger('database').log(JSON.stringify({ event: 'migrations_applied', names: applied.map((m) => m.name) }));
            return ds;
          },
        }),
      ],
    };
  }
}
