import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';

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
      await this.db.query('SELECT 1');
      database = 'up';
      const applied = new Set(((await this.db.query('SELECT name FROM migrations')) as { name: string }[]).map((r) => r.name));
      pending = this.db.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
    } catch {
      // reported below
    }
    const ok = database === 'up' && pending.length === 0;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', database, driver: this.db.options.type, migrations: pending.length === 0 ? 'current' : { pending } };
  }
}
