import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { BOARDS, BULLETIN_KIND_LABELS, CATEGORIES, ITEM_KINDS, RATINGS, ROLE_LABELS, SOURCES, STATE_LABELS, URGE_METHOD_LABELS } from '../shared/vocabulary';

/**
 * What a person calls each input field, so a refusal never shows a program's field name (the `problems` list keeps the
 * field name for programs). A field missing here falls back to 「该项」 with the name in `problems` only.
 */
export const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  content: '内容',
  source: '来源',
  sourceRef: '来源文号',
  board: '板块',
  category: '类别',
  kind: '事项类型',
  ownerId: '立项主体',
  leaderId: '分管领导',
  coordinatingLeaderId: '科室分管领导',
  leadUnitId: '主办单位',
  coUnitIds: '协办单位',
  unitId: '单位',
  servedParty: '服务对象',
  classified: '涉密标记',
  draft: '草稿标记',
  deadlineNode: '时间节点',
  deadlineDate: '截止日期',
  workingDays: '工作日数',
  deadlineReason: '期限理由',
  children: '子事项',
  reason: '理由',
  newDeadline: '新的截止时间',
  plan: '落实方案',
  note: '意见',
  summary: '办结说明',
  servedPartyAgreed: '服务对象是否同意',
  method: '方式', // 核验方式 (D1) and 催办方式 (R5)
  record: '记录',
  contact: '催办对象',
  newLimit: '整改期限',
  on: '是否重点督办',
  requestedBy: '提出要求的领导',
  passed: '核验结论',
  rating: '评定等次',
  comment: '评定意见',
  state: '状态',
  overdue: '是否逾期',
  light: '预警灯',
  number: '编号',
  keyword: '关键词',
  registeredFrom: '登记起始日',
  registeredTo: '登记截止日',
  page: '页码',
  pageSize: '每页条数',
  name: '名称',
  code: '代码',
  mobile: '手机号',
  roles: '角色',
  role: '角色',
  identities: '账号绑定',
  platform: '平台',
  externalId: '群标识',
  externalUserId: '平台账号',
  corpId: '企业标识',
  purpose: '用途',
  webhookUrl: '机器人地址',
  webhookSecret: '机器人密钥',
  label: '说明',
  active: '在岗状态',
  groupIds: '发送的群',
  period: '期间',
  year: '年度',
  quarter: '季度',
  date: '日期',
  from: '起始日',
  to: '截止日',
  days: '天数',
  speed: '速度',
  advanceMinutes: '拨快分钟数',
  value: '设定值',
  policy: '提醒策略',
  rule: '计分规则',
  explanation: '说明',
  causedByUnitId: '相关单位',
  leadPoints: '主办单位分值',
  action: '操作',
  text: '文字',
  facts: '事实',
  audience: '发送范围',
  office: '科室',
  itemNumber: '事项编号',
  personId: '人员',
  recipients: '主送单位',
  unitRole: '主办或协办',
  chatId: '聊天',
  userId: '发言人',
  cardId: '卡片',
  input: '填写内容',
};

/**
 * Issue 14: the choices of an enum field as a person calls them (「来源」须为以下之一：会议议定事项、领导批示…); the
 * codes stay in `problems[].allowed` for programs. By field first, where one code means different things
 * (source reform 重大改革事项, board reform 重大改革), then by code.
 */
const VALUE_LABELS_BY_FIELD: Record<string, Record<string, string>> = {
  source: SOURCES,
  board: BOARDS,
  category: CATEGORIES,
  rating: RATINGS,
  state: STATE_LABELS,
  role: ROLE_LABELS,
  overdue: { true: '是', false: '否' },
  light: { green: '绿灯', yellow: '黄灯', red: '红灯', done: '已办结' },
  unitRole: { lead: '主办', co: '协办' },
  purpose: { unit: '承办单位工作群', broadcast: '通报群', supervision: '督查室工作群' },
};
const VALUE_LABELS: Record<string, string> = {
  ...ITEM_KINDS,
  ...URGE_METHOD_LABELS,
  ...BULLETIN_KIND_LABELS,
  '1d': '1天',
  '3d': '3天',
  '7d': '7天',
  '1m': '1个月',
  all: '全部',
  expert_review: '专家论证',
  public_evaluation: '公众评价',
  dingtalk: '钉钉',
  wecom: '企业微信',
  S4: '表彰加分',
  S9: '督查发现问题扣分',
  S10: '阻挠督查或迟报材料扣分',
  obstruction: '阻挠、妨碍督查',
  late_material: '迟报材料',
  workday: '工作日',
  restday: '休息日',
};

/** The Chinese label of one choice of a field (the code itself when there is none). */
export function valueLabel(field: string, code: string): string {
  const own = VALUE_LABELS_BY_FIELD[field];
  if (own && Object.prototype.hasOwnProperty.call(own, code)) return own[code];
  return Object.prototype.hasOwnProperty.call(VALUE_LABELS, code) ? VALUE_LABELS[code] : code;
}

/** 「标题」, or 「子事项第 2 项的标题」 for a nested field. */
export function fieldLabel(field: string): string {
  const parts = field.split('.');
  const words: string[] = [];
  for (const part of parts) {
    if (/^\d+$/.test(part)) words.push(`第 ${Number(part) + 1} 项`);
    else words.push(FIELD_LABELS[part] ?? '该项');
  }
  return `「${words.join('的').replace(/的第/g, '第')}」`;
}

/** Chinese wording for class-validator constraints, so a 400 names the field and says what to send. */
const CONSTRAINT_ZH: Record<string, (label: string, v: ValidationError) => string> = {
  isNotEmpty: (f) => `${f}不能为空`,
  isDefined: (f) => `缺少${f}`,
  isString: (f) => `${f}须为文字`,
  isInt: (f) => `${f}须为整数`,
  isBoolean: (f) => `${f}须为“是”或“否”（true 或 false）`,
  isIn: (f, v) => `${f}须为以下之一：${allowedLabels(v)}`,
  isEnum: (f, v) => `${f}须为以下之一：${allowedLabels(v)}`,
  maxLength: (f, v) => `${f}过长（最多 ${constraintArg(v, 'maxLength')} 个字）`,
  minLength: (f, v) => `${f}过短（至少 ${constraintArg(v, 'minLength')} 个字）`,
  min: (f, v) => `${f}不能小于 ${constraintArg(v, 'min')}`,
  max: (f, v) => `${f}不能大于 ${constraintArg(v, 'max')}`,
  isArray: (f) => `${f}须为数组`,
  arrayNotEmpty: (f) => `${f}至少要有一项`,
  arrayMaxSize: (f) => `${f}项数过多`,
  isDateString: (f) => `${f}须为日期时间，如 2026-12-10T18:00:00+08:00`,
  matches: (f) => `${f}格式不对`,
  whitelistValidation: (_, v) => `含有系统不认识的字段「${v.property}」，请去掉后再提交`,
  isMobilePhone: (f) => `${f}须为手机号`,
  isUrl: (f) => `${f}须为 http(s) 网址`,
  nestedValidation: (f) => `${f}的内容有误`,
};

function constraintArg(v: ValidationError, key: string): string {
  const m = /(\d+)/.exec(v.constraints?.[key] ?? '');
  return m ? m[1] : '';
}
/** The codes an isIn/isEnum constraint allows, from class-validator's message (…one of the following values: a, b). */
function allowedCodes(v: ValidationError): string[] {
  const msg = v.constraints?.isIn ?? v.constraints?.isEnum ?? '';
  const m = /following values: (.*)$/.exec(msg);
  return m ? m[1].split(/,\s*/).filter(Boolean) : [];
}
/** The same choices by their Chinese labels, each once (a field may accept a code or its label). */
function allowedLabels(v: ValidationError): string {
  return [...new Set(allowedCodes(v).map((c) => valueLabel(v.property, c)))].join('、');
}

export interface FieldProblem {
  field: string;
  message: string;
  /** For programs: the codes an enum field accepts. */
  allowed?: string[];
}

const MISSING = ['isDefined', 'isNotEmpty', 'arrayNotEmpty', 'whitelistValidation'];
const TYPE_CHECKS = ['isString', 'isInt', 'isBoolean', 'isArray', 'isDateString', 'isIn', 'isEnum', 'matches', 'isUrl', 'isMobilePhone'];

export function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // One problem a field, the most basic first: a missing value is "缺少", not also "过长" and "须为文字".
    const keys = Object.keys(e.constraints ?? {});
    const key = keys.find((k) => MISSING.includes(k)) ?? keys.find((k) => TYPE_CHECKS.includes(k)) ?? keys[0];
    if (key !== undefined) {
      const zh = CONSTRAINT_ZH[key];
      const problem: FieldProblem = { field, message: zh ? zh(fieldLabel(field), e) : `${fieldLabel(field)}不符合要求` };
      if (key === 'isIn' || key === 'isEnum') problem.allowed = allowedCodes(e);
      out.push(problem);
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** Bad input: 400 with code VALIDATION, the first problem as the message, and all of them listed. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new BadRequestException({ code: 'VALIDATION', message: `输入有误：${problems.map((p) => p.message).join('；')}。`, problems });
    },
  });
}
