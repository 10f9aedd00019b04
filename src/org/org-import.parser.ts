/**
 * Pure parsing + validation of the 督查室 contact list (单位 / 人员 / 群) from an .xlsx workbook or JSON.
 * No database here: the caller persists `data` in one transaction, and only when `ok` is true.
 * Workbook and JSON go through the same record → typed-object → validate path, so both report alike.
 */
import { Workbook, type CellValue, type Worksheet } from 'exceljs';
import { tooLarge } from '../shared/errors';
import { checkZip, XLSX_LIMITS } from '../shared/zip-guard';

export type Platform = 'dingtalk' | 'wecom';
export type Role = 'supervisor' | 'owner' | 'leader' | 'unit_contact' | 'unit_head' | 'admin';
export type GroupPurpose = 'unit' | 'broadcast' | 'supervision';
export interface ImportUnit {
  code: string;
  name: string;
  /** R4: an office's 分管领导 (分管副秘书长 / 办公厅分管领导): the name or mobile of a person with the leader role. */
  coordinatingLeader?: string;
}
export interface ImportPerson {
  name: string;
  mobile?: string;
  unitCode?: string;
  roles: Role[];
  dingtalkUserId?: string;
  wecomUserId?: string;
}
export interface ImportGroup {
  platform: Platform;
  externalId: string;
  name: string;
  unitCode?: string;
  purpose: GroupPurpose;
  webhookUrl?: string;
}
export interface OrgImport {
  units: ImportUnit[];
  people: ImportPerson[];
  groups: ImportGroup[];
}
/** `row`: spreadsheet row (header = 1) or 1-based JSON array index; 0 = the whole sheet / file. `sheet` '' = the whole file. */
export interface ImportProblem {
  sheet: string;
  row: number;
  field?: string;
  message: string;
}
/** `rows` gives, for each record, its spreadsheet row (or JSON index), so later checks against the database can name it too. */
export interface SourceRows {
  units: number[];
  people: number[];
  groups: number[];
  noun: '行' | '条';
}
export type ParseResult = { ok: true; data: OrgImport; rows?: SourceRows } | { ok: false; problems: ImportProblem[] };

// Chinese words admins type → canonical values. English canonical names are accepted case-insensitively as well.
const ROLE_WORDS: Record<string, Role> = {
  督查员: 'supervisor',
  立项主体: 'owner',
  领导: 'leader',
  联络员: 'unit_contact',
  负责人: 'unit_head',
  管理员: 'admin',
};
const PLATFORM_WORDS: Record<string, Platform> = { 钉钉: 'dingtalk', 企业微信: 'wecom' };
const PURPOSE_WORDS: Record<string, GroupPurpose> = { 单位群: 'unit', 通报群: 'broadcast', 督查群: 'supervision' };
const label = <T extends string>(words: Record<string, T>, v: string) => Object.keys(words).find((k) => words[k] === v) ?? v;
const allowed = (words: Record<string, string>) => `可填：${Object.keys(words).join('、')}，或 ${[...new Set(Object.values(words))].join('、')}`;

type Sheet = '单位' | '人员' | '群';
type Key = keyof ImportUnit | keyof ImportPerson | keyof ImportGroup;
interface Col {
  key: Key;
  header: string;
  aliases: string[];
  /** A column added later (分管领导): lists made before it still import. */
  optional?: boolean;
}
interface SheetSpec {
  sheet: Sheet;
  jsonKey: keyof OrgImport;
  sheetAliases: string[];
  cols: Col[];
  example: Record<string, string>;
}
const col = (key: Key, header: string, ...aliases: string[]): Col => ({ key, header, aliases: [header, key, ...aliases] });
const SPECS: SheetSpec[] = [
  {
    sheet: '单位',
    jsonKey: 'units',
    sheetAliases: ['单位'],
    cols: [col('code', '编码', '单位编码'), col('name', '名称', '单位名称'), { ...col('coordinatingLeader', '分管领导', '科室分管领导'), optional: true }],
    example: { code: 'FGW', name: '发展和改革委员会', coordinatingLeader: '' },
  },
  {
    sheet: '人员',
    jsonKey: 'people',
    sheetAliases: ['人员'],
    cols: [
      col('name', '姓名'),
      col('mobile', '手机', '手机号', '手机号码'),
      col('unitCode', '单位编码'),
      col('roles', '角色'),
      col('dingtalkUserId', '钉钉用户ID', '钉钉UserID'),
      col('wecomUserId', '企业微信用户ID', '企业微信UserID', '企微用户ID'),
    ],
    example: { name: '张三', mobile: '13800000000', unitCode: 'FGW', roles: '联络员、负责人', dingtalkUserId: 'zhangsan01', wecomUserId: 'ZhangSan' },
  },
  {
    sheet: '群',
    jsonKey: 'groups',
    sheetAliases: ['群', '群组'],
    cols: [
      col('platform', '平台'),
      col('externalId', '群ID', 'chatId'),
      col('name', '名称', '群名称'),
      col('unitCode', '单位编码'),
      col('purpose', '用途'),
      col('webhookUrl', 'Webhook', 'Webhook地址'),
    ],
    example: {
      platform: '钉钉',
      externalId: 'cid0000000000',
      name: '发改委督办群',
      unitCode: 'FGW',
      purpose: '单位群',
      webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=xxxx',
    },
  },
];
const SHEET_ORDER: string[] = ['', ...SPECS.map((s) => s.sheet)];

/** NFKC turns full-width letters/digits/punctuation/space into ASCII, so "ＦＧＷ　" and "FGW" are the same code. */
const norm = (s: string) => s.normalize('NFKC').trim();
const headerKey = (s: string) => norm(s).replace(/\s+/g, '').toLowerCase();
const findCol = (spec: SheetSpec, name: string) => spec.cols.find((c) => c.aliases.some((a) => headerKey(a) === headerKey(name)));
const opt = (s: string | undefined) => (s ? s : undefined);

/** Fields arrive as normalised strings keyed by property name; both input formats end up here. */
type Rec = Partial<Record<Key, string>>;
function toUnit(r: Rec): ImportUnit {
  const coordinatingLeader = opt(r.coordinatingLeader);
  return { code: r.code ?? '', name: r.name ?? '', ...(coordinatingLeader ? { coordinatingLeader } : {}) };
}
function toPerson(r: Rec): ImportPerson {
  // Tolerate how people write numbers: "138 0000 0000", "138-0000-0000", "+8613800000000".
  const mobile = (r.mobile ?? '').replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  const words = (r.roles ?? '').split(/[、,，;；\s]+/).filter(Boolean);
  const roles = [...new Set(words.map((w) => canon(ROLE_WORDS, w)))] as Role[]; // unknown words stay raw for validate to report
  return { name: r.name ?? '', mobile: opt(mobile), unitCode: opt(r.unitCode), roles, dingtalkUserId: opt(r.dingtalkUserId), wecomUserId: opt(r.wecomUserId) };
}
function toGroup(r: Rec): ImportGroup {
  const unitCode = opt(r.unitCode);
  // An empty 用途 on a row that names a unit is almost always that unit's own group.
  const purpose = r.purpose ? canon(PURPOSE_WORDS, r.purpose) : unitCode ? 'unit' : '';
  return {
    platform: canon(PLATFORM_WORDS, r.platform ?? '') as Platform,
    externalId: r.externalId ?? '',
    name: r.name ?? '',
    unitCode,
    purpose: purpose as GroupPurpose,
    webhookUrl: opt(r.webhookUrl),
  };
}
function canon(words: Record<string, string>, raw: string): string {
  const lower = raw.toLowerCase();
  return Object.values(words).includes(lower) ? lower : (words[raw] ?? raw);
}

/** Where each data item came from, so problems point at spreadsheet rows even after empty rows were skipped. */
interface Origin {
  rows: Record<Sheet, number[]>;
  noun: '行' | '条';
  unitSheetUsable: boolean;
}

export function validateOrgImport(data: OrgImport, known?: { unitCodes?: ReadonlySet<string> }): ImportProblem[] {
  const idx = (a: unknown[]) => a.map((_, i) => i + 1);
  return check(data, known, { rows: { 单位: idx(data.units), 人员: idx(data.people), 群: idx(data.groups) }, noun: '条', unitSheetUsable: true });
}

function check(data: OrgImport, known: { unitCodes?: ReadonlySet<string> } | undefined, origin: Origin): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const at = (sheet: Sheet, i: number) => {
    const row = origin.rows[sheet][i];
    return (field: string | undefined, text: string) => problems.push({ sheet, row, field, message: `${sheet} 第${row}${origin.noun}：${text}` });
  };
  // Remembers the first row of each value, so a duplicate can say which row it repeats.
  const dupes = (sheet: Sheet) => {
    const seen = new Map<string, number>();
    return (i: number, field: string, key: string | undefined, shown = key) => {
      if (!key) return;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, origin.rows[sheet][i]);
      else at(sheet, i)(field, `「${field}」${shown} 与第${first}${origin.noun}重复`);
    };
  };
  const required = (p: ReturnType<typeof at>, field: string, v: string | undefined) => {
    if (!v) p(field, `「${field}」不能为空`);
  };
  const fileUnits = new Set(data.units.map((u) => u.code).filter(Boolean));
  const checkUnitRef = (p: ReturnType<typeof at>, code: string | undefined) => {
    // With the 单位 sheet missing or broken every reference would fail; that sheet's own problem already says why.
    if (code && origin.unitSheetUsable && !fileUnits.has(code) && !known?.unitCodes?.has(code)) p('单位编码', `「单位编码」${code} 在单位表中不存在`);
  };

  const unitCode = dupes('单位'),
    unitName = dupes('单位');
  data.units.forEach((u, i) => {
    const p = at('单位', i);
    required(p, '编码', u.code);
    required(p, '名称', u.name);
    unitCode(i, '编码', u.code);
    unitName(i, '名称', u.name);
  });

  const ding = dupes('人员'),
    wecom = dupes('人员');
  data.people.forEach((m, i) => {
    const p = at('人员', i);
    required(p, '姓名', m.name);
    if (m.mobile && !/^1\d{10}$/.test(m.mobile)) p('手机', `「手机」${m.mobile} 不是有效的手机号（应为 1 开头的 11 位数字）`);
    for (const r of m.roles) if (!Object.values(ROLE_WORDS).includes(r)) p('角色', `「角色」${r} 无法识别（${allowed(ROLE_WORDS)}）`);
    for (const r of m.roles.filter((x) => x === 'unit_contact' || x === 'unit_head'))
      if (!m.unitCode) p('单位编码', `角色为${label(ROLE_WORDS, r)}时必须填写「单位编码」`);
    checkUnitRef(p, m.unitCode);
    ding(i, '钉钉用户ID', m.dingtalkUserId);
    wecom(i, '企业微信用户ID', m.wecomUserId);
  });

  const groupId = dupes('群');
  data.groups.forEach((g, i) => {
    const p = at('群', i);
    const platformOk = Object.values(PLATFORM_WORDS).includes(g.platform);
    if (!g.platform) required(p, '平台', g.platform);
    else if (!platformOk) p('平台', `「平台」${g.platform} 无法识别（${allowed(PLATFORM_WORDS)}）`);
    required(p, '群ID', g.externalId);
    required(p, '名称', g.name);
    if (!g.purpose) p('用途', `「用途」不能为空（${allowed(PURPOSE_WORDS)}）`);
    else if (!Object.values(PURPOSE_WORDS).includes(g.purpose)) p('用途', `「用途」${g.purpose} 无法识别（${allowed(PURPOSE_WORDS)}）`);
    else if (g.purpose === 'unit' && !g.unitCode) p('单位编码', '用途为单位群时必须填写「单位编码」');
    if (g.webhookUrl && !isHttpUrl(g.webhookUrl)) p('Webhook', `「Webhook」${g.webhookUrl} 不是有效的 http(s) 地址`);
    checkUnitRef(p, g.unitCode);
    // The same chat id on DingTalk and WeCom are different groups, hence the platform in the key.
    if (platformOk && g.externalId) groupId(i, '群ID', `${g.platform}\u0000${g.externalId}`, `${g.externalId}（${label(PLATFORM_WORDS, g.platform)}）`);
  });
  return problems;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function finish(data: OrgImport, problems: ImportProblem[]): ParseResult {
  if (problems.length === 0) return { ok: true, data };
  // Stable sort: file-level first, then 单位 → 人员 → 群, each by row, so the list reads like the workbook.
  const order = (p: ImportProblem) => SHEET_ORDER.indexOf(p.sheet);
  return { ok: false, problems: [...problems].sort((a, b) => order(a) - order(b) || a.row - b.row) };
}

const CONVERT = { units: toUnit, people: toPerson, groups: toGroup } as const;
type Loaded = { recs: Rec[]; rows: number[] } | null;
function assemble(loaded: Record<Sheet, Loaded>, problems: ImportProblem[], noun: Origin['noun'], known?: { unitCodes?: ReadonlySet<string> }): ParseResult {
  const data: OrgImport = { units: [], people: [], groups: [] };
  const rows = { 单位: [], 人员: [], 群: [] } as Record<Sheet, number[]>;
  for (const spec of SPECS) {
    const l = loaded[spec.sheet];
    if (!l) continue;
    (data[spec.jsonKey] as unknown[]) = l.recs.map((r) => CONVERT[spec.jsonKey](r));
    rows[spec.sheet] = l.rows;
  }
  problems.push(...check(data, known, { rows, noun, unitSheetUsable: loaded['单位'] !== null }));
  const result = finish(data, problems);
  return result.ok ? { ...result, rows: { units: rows['单位'], people: rows['人员'], groups: rows['群'], noun } } : result;
}

// ---------------------------------------------------------------- workbook

/** exceljs hands back rich text, hyperlinks and formulas as objects; we only ever want the text a person sees. */
function cellText(v: CellValue | { richText: { text: string }[] }): { text: string; error?: string } {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: norm(v) };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v) };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if ('error' in v) return { text: '', error: v.error };
  if ('richText' in v) return { text: norm(v.richText.map((t) => t.text).join('')) };
  if ('hyperlink' in v) {
    // A hyperlink's display text may itself be rich text; fall back to the link when the text is blank.
    const shown = cellText(v.text as CellValue).text;
    return { text: shown || norm(v.hyperlink ?? '') };
  }
  if ('result' in v) return cellText(v.result as CellValue);
  return { text: '' }; // a formula never calculated (no cached result) has nothing to show
}

function readSheet(ws: Worksheet, spec: SheetSpec, problems: ImportProblem[]): Loaded {
  const byCol = new Map<number, Col>();
  ws.getRow(1).eachCell((cell, n) => {
    const c = findCol(spec, cellText(cell.value).text);
    if (!c) return; // extra columns (备注 …) are allowed and ignored
    if ([...byCol.values()].includes(c)) problems.push({ sheet: spec.sheet, row: 1, field: c.header, message: `${spec.sheet} 第1行：列「${c.header}」重复` });
    else byCol.set(n, c);
  });
  // Every template column must be there: a misspelt header would otherwise silently drop a whole column.
  const missing = spec.cols.filter((c) => !c.optional && ![...byCol.values()].includes(c));
  for (const c of missing) problems.push({ sheet: spec.sheet, row: 1, field: c.header, message: `${spec.sheet} 第1行：缺少列「${c.header}」` });
  if (missing.length) return null;

  const recs: Rec[] = [],
    rows: number[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const rec: Rec = {};
    for (const [colNo, c] of byCol) {
      const { text, error } = cellText(row.getCell(colNo).value);
      if (error) problems.push({ sheet: spec.sheet, row: n, field: c.header, message: `${spec.sheet} 第${n}行：「${c.header}」单元格是错误值 ${error}` });
      if (text) rec[c.key] = text;
    }
    if (Object.keys(rec).length === 0) return; // blank (or only-spaces / only-notes) rows are not data
    recs.push(rec);
    rows.push(n);
  });
  return { recs, rows };
}

/** Rows and columns per sheet the import reads (a city's whole directory is a few thousand rows, ten columns). */
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_COLUMNS = 50;

/** A zip bomb, or an archive that lies about its sizes, is refused before it is inflated: 413 with the limit and what to do. */
function refuseUnsafeWorkbook(buffer: Buffer): 'not_zip' | null {
  const problem = checkZip(buffer, XLSX_LIMITS);
  if (!problem) return null;
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  if (problem.kind === 'not_zip') return 'not_zip';
  throw tooLarge(
    'IMPORT.TOO_LARGE',
    `文件解压后过大或结构异常，未予导入（解压后合计不超过 ${mb(XLSX_LIMITS.maxTotalBytes)} MB、单个部件不超过 ${mb(XLSX_LIMITS.maxEntryBytes)} MB、压缩比不超过 ${XLSX_LIMITS.maxRatio} 倍）：请用导入模板重新填写，删去多余的工作表、空行和格式后再上传。`,
    { field: 'file' },
  );
}

export async function parseOrgWorkbook(buffer: Buffer, known?: { unitCodes?: ReadonlySet<string> }): Promise<ParseResult> {
  // Issue 11 (defect 7): the archive is checked before anything inflates it, the sheets' size after.
  if (refuseUnsafeWorkbook(buffer))
    return finish({ units: [], people: [], groups: [] }, [
      { sheet: '', row: 0, message: '无法读取 Excel 文件，请确认是 .xlsx 格式（可用导入模板另存后再上传）' },
    ]);
  const wb = new Workbook();
  try {
    await wb.xlsx.load(buffer as never); // exceljs declares its own Buffer type, incompatible in name only
  } catch (e) {
    return finish({ units: [], people: [], groups: [] }, [
      { sheet: '', row: 0, message: `无法读取 Excel 文件，请确认是 .xlsx 格式（${(e as Error).message}）` },
    ]);
  }
  for (const ws of wb.worksheets) {
    if (ws.rowCount > MAX_IMPORT_ROWS || ws.columnCount > MAX_IMPORT_COLUMNS) {
      throw tooLarge(
        'IMPORT.TOO_MANY_ROWS',
        `工作表「${ws.name}」有 ${ws.rowCount} 行、${ws.columnCount} 列，超过了导入的上限（每张表 ${MAX_IMPORT_ROWS} 行、${MAX_IMPORT_COLUMNS} 列）：请删去空行空列或分批导入。`,
      );
    }
  }
  const problems: ImportProblem[] = [];
  const loaded = {} as Record<Sheet, Loaded>;
  for (const spec of SPECS) {
    const ws = wb.worksheets.find((w) => spec.sheetAliases.some((a) => headerKey(a) === headerKey(w.name)));
    if (ws) loaded[spec.sheet] = readSheet(ws, spec, problems);
    else if (spec.sheet === '群')
      loaded[spec.sheet] = { recs: [], rows: [] }; // no 群 sheet = no groups to import
    else {
      loaded[spec.sheet] = null;
      problems.push({ sheet: spec.sheet, row: 0, message: `缺少工作表「${spec.sheet}」` });
    }
  }
  return assemble(loaded, problems, '行', known);
}

// ---------------------------------------------------------------- JSON

function jsonText(v: unknown): string {
  if (typeof v === 'string') return norm(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(jsonText).filter(Boolean).join(','); // roles may come as ["联络员", "leader"]
  return '';
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseOrgJson(input: unknown, known?: { unitCodes?: ReadonlySet<string> }): ParseResult {
  if (!isObj(input)) return finish({ units: [], people: [], groups: [] }, [{ sheet: '', row: 0, message: '导入数据必须是 { units, people, groups } 对象' }]);
  const problems: ImportProblem[] = [];
  const loaded = {} as Record<Sheet, Loaded>;
  for (const spec of SPECS) {
    const arr = input[spec.jsonKey] ?? []; // an absent list = nothing of that kind (units may already be in the database)
    if (!Array.isArray(arr)) {
      problems.push({ sheet: spec.sheet, row: 0, field: spec.jsonKey, message: `${spec.sheet}：${spec.jsonKey} 必须是数组` });
      loaded[spec.sheet] = spec.sheet === '单位' ? null : { recs: [], rows: [] };
      continue;
    }
    const recs: Rec[] = [],
      rows: number[] = [];
    arr.forEach((item, i) => {
      if (!isObj(item)) {
        problems.push({ sheet: spec.sheet, row: i + 1, message: `${spec.sheet} 第${i + 1}条：必须是对象` });
        return;
      }
      const rec: Rec = {};
      // Keys go through the header aliases too, so {"单位编码": …} works as well as {"unitCode": …}.
      for (const [k, v] of Object.entries(item)) {
        const c = findCol(spec, k);
        if (c) rec[c.key] = jsonText(v);
      }
      recs.push(rec);
      rows.push(i + 1);
    });
    loaded[spec.sheet] = { recs, rows };
  }
  return assemble(loaded, problems, '条', known);
}

// ---------------------------------------------------------------- template

export async function orgTemplateWorkbook(): Promise<Buffer> {
  const wb = new Workbook();
  const notes: Partial<Record<Key, string>> = {
    roles: `多个角色用顿号、逗号或空格分隔；${allowed(ROLE_WORDS)}`,
    platform: allowed(PLATFORM_WORDS),
    purpose: `${allowed(PURPOSE_WORDS)}；填了单位编码时可留空（默认单位群）`,
  };
  for (const spec of SPECS) {
    const ws = wb.addWorksheet(spec.sheet);
    ws.columns = spec.cols.map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length * 3), style: { numFmt: '@' } })); // '@' keeps mobiles/ids as text
    ws.getRow(1).font = { bold: true };
    spec.cols.forEach((c, i) => {
      const n = notes[c.key];
      if (n) ws.getRow(1).getCell(i + 1).note = n;
    });
    ws.addRow(spec.example);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
