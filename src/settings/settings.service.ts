import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { invalid } from '../shared/errors';
import { DAY_COUNTS, DEFAULT_DEADLINE_POLICY, DeadlinePolicy, NODE_UNITS, TIME_NODES } from './deadline-policy';
import { Setting } from './setting.entity';
import { BOARDS } from '../shared/vocabulary';
import { inTransaction } from '../database/transaction';

const BOARD_NAMES: Record<string, string> = BOARDS;

/** Policy values an admin edits (DOMAIN "default"s). Read through a short cache; every write bumps the version. */
export const SETTING_DEFAULTS = { deadline: DEFAULT_DEADLINE_POLICY } as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;

@Injectable()
export class SettingsService {
  private cache = new Map<string, unknown>();

  constructor(private readonly db: DataSource) {}

  async deadlinePolicy(em?: EntityManager): Promise<DeadlinePolicy> {
    const saved = (await this.get('deadline', em)) as Partial<DeadlinePolicy>;
    // A policy saved before a field existed takes the default for it (nodes: node by node).
    return { ...DEFAULT_DEADLINE_POLICY, ...saved, nodes: { ...DEFAULT_DEADLINE_POLICY.nodes, ...saved.nodes } };
  }

  async get(key: SettingKey, em?: EntityManager): Promise<unknown> {
    if (this.cache.has(key)) return this.cache.get(key);
    const row = await (em ?? this.db.manager).findOneBy(Setting, { key });
    const value = row?.value ?? SETTING_DEFAULTS[key];
    this.cache.set(key, value);
    return value;
  }

  async all(): Promise<{ key: string; value: unknown; version: number }[]> {
    const rows = await this.db.getRepository(Setting).find();
    return (Object.keys(SETTING_DEFAULTS) as SettingKey[]).map((key) => {
      const row = rows.find((r) => r.key === key);
      return { key, value: row?.value ?? SETTING_DEFAULTS[key], version: row?.version ?? 0 };
    });
  }

  async put(key: string, value: unknown): Promise<{ key: string; value: unknown; version: number }> {
    if (key !== 'deadline') throw invalid('SETTING.UNKNOWN', `没有名为「${key}」的设置项，可用：${Object.keys(SETTING_DEFAULTS).join('、')}。`);
    const merged = checkDeadlinePolicy(value);
    return inTransaction(this.db, async (em) => {
      const row = await em.findOneBy(Setting, { key });
      const saved = await em.save(Setting, { key, value: merged, version: (row?.version ?? 0) + 1 });
      this.cache.delete(key);
      return { key, value: saved.value, version: saved.version };
    });
  }
}

/** What the 督查室 calls each setting (issue 14); the key follows in brackets so it can be found in the JSON. */
const SETTING_LABELS: Record<string, string> = {
  specialWorkingDays: '专项督查默认工作日数',
  specialCeilingMonths: '专项督查期限上限（月）',
  reasonBeyondMonths: '须说明理由的期限（月）',
  extensionMinDaysBefore: '延期须提前申请的天数',
  ongoingAfterDays: '转入持续跟进的天数',
  keyTaskOngoingAfterMonths: '重点工作转入持续推进的月数',
  yearEndCheckWorkingDays: '年底清零核查工作日数',
  extensionDaysUnit: '延期提前天数的计法',
  nodes: '时间节点的长度',
  dayEnd: '每日办理截止时刻',
  defaultNodeByBoard: '各板块默认时间节点',
};
const setting = (k: string) => `「${SETTING_LABELS[k] ?? k}」（${k}）`;

function checkDeadlinePolicy(value: unknown): DeadlinePolicy {
  if (typeof value !== 'object' || value === null) throw invalid('SETTING.BAD_VALUE', '设置值须为对象。');
  const given = value as Partial<DeadlinePolicy>;
  const p = { ...DEFAULT_DEADLINE_POLICY, ...given, nodes: { ...DEFAULT_DEADLINE_POLICY.nodes, ...given.nodes } };
  const nonNeg = (k: keyof DeadlinePolicy) => {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid('SETTING.BAD_VALUE', `${setting(k)}须为非负整数。`, { field: k });
  };
  (
    [
      'specialWorkingDays',
      'specialCeilingMonths',
      'reasonBeyondMonths',
      'extensionMinDaysBefore',
      'ongoingAfterDays',
      'keyTaskOngoingAfterMonths',
      'yearEndCheckWorkingDays',
    ] as const
  ).forEach(nonNeg);
  if (!(DAY_COUNTS as readonly string[]).includes(p.extensionDaysUnit)) {
    throw invalid('SETTING.BAD_VALUE', `${setting('extensionDaysUnit')}须为工作日（working_day）或自然日（calendar_day）。`, { field: 'extensionDaysUnit' });
  }
  // C3: what each time node means — a whole number of working days, calendar days or months.
  if (typeof p.nodes !== 'object' || p.nodes === null) throw invalid('SETTING.BAD_VALUE', `${setting('nodes')}须为对象。`, { field: 'nodes' });
  for (const node of Object.keys(p.nodes)) {
    const len = (p.nodes as Record<string, unknown>)[node] as { n?: unknown; unit?: unknown } | null;
    const good =
      (TIME_NODES as readonly string[]).includes(node) &&
      typeof len === 'object' &&
      len !== null &&
      typeof len.n === 'number' &&
      Number.isInteger(len.n) &&
      len.n >= 1 &&
      len.n <= 250 &&
      (NODE_UNITS as readonly string[]).includes(len.unit as string);
    if (!good) {
      throw invalid(
        'SETTING.BAD_VALUE',
        `${setting('nodes')}中的「${node}」须为 ${TIME_NODES.join('/')} 之一，写成 {"n": 1 到 250 的整数, "unit": "working_day"（工作日）、"calendar_day"（自然日）或 "month"（月）}。`,
        { field: 'nodes' },
      );
    }
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(p.dayEnd)) throw invalid('SETTING.BAD_VALUE', `${setting('dayEnd')}须为“时:分”，如 18:00。`, { field: 'dayEnd' });
  for (const [board, node] of Object.entries(p.defaultNodeByBoard)) {
    if (!(TIME_NODES as readonly string[]).includes(node)) {
      throw invalid(
        'SETTING.BAD_VALUE',
        `${setting('defaultNodeByBoard')}中「${BOARD_NAMES[board] ?? board}」须为 1天（1d）、3天（3d）、7天（7d）或 1个月（1m）之一。`,
        { field: 'defaultNodeByBoard' },
      );
    }
  }
  return p;
}
