import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source';

/** Connects and applies pending migrations at start (issue 3: `npm start` needs no other step). */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), migrationsRun: false }),
      dataSourceFactory: async (options) => {
        const { DataSource } = await import('typeorm');
        const ds = await new DataSource(options!).initialize();
        const applied = await ds.runMigrations({ transaction: 'each' });
        if (applied.length) new Logger('database').log(JSON.stringify({ event: 'migrations_applied', names: applied.map((m) => m.name) }));
        return ds;
      },
    }),
  ],
})
export class DatabaseModule {}
