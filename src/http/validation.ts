import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

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
  number: '编号',
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
};

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
  isBoolean: (f) => `${f}须为 true 或 false`,
  isIn: (f, v) => `${f}须为以下之一：${allowed(v)}`,
  isEnum: (f, v) => `${f}须为以下之一：${allowed(v)}`,
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
function allowed(v: ValidationError): string {
  const msg = Object.values(v.constraints ?? {})[0] ?? '';
  const m = /following values: (.*)$/.exec(msg);
  return m ? m[1] : '';
}

export interface FieldProblem {
  field: string;
  message: string;
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
      out.push({ field, message: zh ? zh(fieldLabel(field), e) : `${fieldLabel(field)}不符合要求` });
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
