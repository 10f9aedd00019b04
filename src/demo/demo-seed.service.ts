import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { TokenService } from '../auth/token.service';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ItemCommandsService } from '../cases/item-commands.service';
import { RegistrationService } from '../cases/registration.service';
import { OrgImportService } from '../org/org-import.service';
import { Person } from '../org/person.entity';
import { Unit } from '../org/unit.entity';
import { DEMO_ORG } from './demo-org';

/** Loads the demo organisation (and two sample items) into an empty database, and writes demo tokens to a file. */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly log = new Logger('demo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly importer: OrgImportService,
    private readonly tokens: TokenService,
    private readonly registration: RegistrationService,
    private readonly commands: ItemCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed) return;
    if ((await this.db.getRepository(Unit).count()) > 0) return;
    await this.importer.importJson(DEMO_ORG);
    const people = await this.db.getRepository(Person).find({ order: { id: 'ASC' } });
    const lines = ['# Demo bearer tokens (Authorization: Bearer <token>). Demo data only — set DUBAN_DEMO_SEED=false for real use.'];
    for (const p of people) lines.push(`${p.name}\t${(await this.tokens.issue(p.id, 'demo')).token}`);
    const file = join(this.config.databaseUrl.startsWith('sqlite:') ? dirname(this.config.databaseUrl.slice(7)) : 'data', 'demo-tokens.txt');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    await this.sampleItems(people);
    this.log.log(JSON.stringify({ event: 'demo_seeded', units: DEMO_ORG.units.length, people: people.length, tokens: file }));
  }

  private async sampleItems(people: Person[]): Promise<void> {
    const by = (name: string) => people.find((p) => p.name === name)!;
    const units = await this.db.getRepository(Unit).find();
    const unit = (code: string) => units.find((u) => u.code === code)!.id;
    const supervisor = await this.tokens.actorFor(by('王督查').id, 'system');
    if (!supervisor) return;
    const a = await this.registration.register(
      {
        title: '推进老旧小区改造项目开工',
        content: '按市政府第12次常务会议纪要，年内开工改造老旧小区30个，按月报送进展。',
        source: 'meeting',
        sourceRef: '市政府常务会议纪要〔2026〕12号',
        leaderId: by('赵副市长').id,
        leadUnitId: unit('ZJJ'),
        coUnitIds: [unit('CZJ')],
        deadline: { node: '7d' },
      },
      supervisor,
    );
    await this.commands.assign(a.number, supervisor);
    await this.registration.register(
      {
        title: '落实中小学课后服务经费保障',
        content: '市长批示：请市教育局会同市财政局研究课后服务经费保障办法。',
        source: 'instruction',
        leaderId: by('赵副市长').id,
        leadUnitId: unit('JYJ'),
        coUnitIds: [unit('CZJ')],
        deadline: { workingDays: 10 },
      },
      supervisor,
    );
    // A key task of the 政府工作报告 shared by two units, so the 挂图作战 wall has something to show.
    const c = await this.registration.register(
      {
        title: '建成城市数字经济产业园一期',
        content: '政府工作报告重点工作：年内建成数字经济产业园一期并引进企业20家，每月报送建设进度。',
        source: 'work_report',
        board: 'key_task',
        leaderId: by('赵副市长').id,
        leadUnitId: unit('FGW'),
        coUnitIds: [unit('CZJ'), unit('ZJJ')],
        deadline: { node: '1m' },
      },
      supervisor,
    );
    await this.commands.assign(c.number, supervisor);
  }
}
