/**
 * npm run import -- FILE   (FILE: .xlsx or .json; DATABASE_URL as for the service, default the embedded SQLite file)
 * Imports units, people and groups in one transaction: on any bad row it prints every problem and writes nothing.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app.config';
import { ImportRefused, OrgImportService } from '../src/org/org-import.service';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('用法 / usage: npm run import -- 通讯录.xlsx | org.json');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule.register({ ...loadConfig(), demoSeed: false }), { logger: ['error', 'warn'] });
  try {
    const importer = app.get(OrgImportService);
    const buffer = readFileSync(file);
    const summary = file.toLowerCase().endsWith('.json')
      ? await importer.importJson(JSON.parse(buffer.toString('utf8')))
      : await importer.importWorkbook(buffer);
    console.log(
      `导入完成：单位 新增${summary.units.created}/更新${summary.units.updated}，人员 新增${summary.people.created}/更新${summary.people.updated}，群 新增${summary.groups.created}/更新${summary.groups.updated}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ImportRefused) {
      console.error(e.message.split('。')[0] + '。');
      for (const p of e.problems) console.error(`  - ${p.message}`);
      return 1;
    }
    console.error(e instanceof Error ? e.message : e);
    return 1;
  } finally {
    await app.close();
  }
}

main().then((code) => process.exit(code));
