import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { withDatabaseTimeout } from '../database/outage';

/** A database that does not answer this fast counts as down: a frozen server would otherwise hold /health for ever. */
const HEALTH_DB_TIMEOUT_MS = 2_000;

/** Item 7 of issue 3: the database answers and every migration the code knows has run. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '健康检查：数据库可达、迁移已是最新' })
  async health(@Res({ passthrough: true }) res: Response) {
    let database: 'up' | 'down' = 'down';
    let pending: string[] = [];
    try {
      const rows = (await withDatabaseTimeout(this.db.query('SELECT name FROM migrations'), HEALTH_DB_TIMEOUT_MS)) as { name: string }[];
      database = 'up';
      const applied = new Set(rows.map((r) => r.name));
      pending = this.db.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
    } catch {
      // reported below
    }
    const ok = database === 'up' && pending.length === 0;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', database, driver: this.db.options.type, migrations: pending.length === 0 ? 'current' : { pending } };
  }
}
