import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { setUpApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app.config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`配置错误 / configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: false });
  setUpApp(app);
  await app.listen(config.port);
  const log = new Logger('duban');
  log.log(
    JSON.stringify({
      event: 'started',
      url: config.publicBaseUrl,
      docs: `${config.publicBaseUrl}/api/docs`,
      database: config.databaseUrl.replace(/:[^:@/]*@/, ':***@'),
    }),
  );
  if (config.adminTokenGenerated) {
    // No token configured: a one-off admin token for this run, so a newcomer can try the API at once.
    log.warn(`DUBAN_ADMIN_TOKEN 未设置，本次运行的临时管理令牌 (one-off admin token): ${config.adminToken}`);
  }
}

void bootstrap();
