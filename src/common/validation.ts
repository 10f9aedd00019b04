import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Chinese wording for class-validator constraints, so a 400 names the field and says what to send. */
const CONSTRAINT_ZH: Record<string, (field: string, v: ValidationError) => string> = {
  isNotEmpty: (f) => `「${f}」不能为空`,
  isDefined: (f) => `缺少「${f}」`,
  isString: (f) => `「${f}」须为文字`,
  isInt: (f) => `「${f}」须为整数`,
  isBoolean: (f) => `「${f}」须为 true 或 false`,
  isIn: (f, v) => `「${f}」须为以下之一：${allowed(v)}`,
  isEnum: (f, v) => `「${f}」须为以下之一：${allowed(v)}`,
  maxLength: (f, v) => `「${f}」过长（最多 ${constraintArg(v, 'maxLength')} 个字）`,
  minLength: (f, v) => `「${f}」过短（至少 ${constraintArg(v, 'minLength')} 个字）`,
  min: (f, v) => `「${f}」不能小于 ${constraintArg(v, 'min')}`,
  max: (f, v) => `「${f}」不能大于 ${constraintArg(v, 'max')}`,
  isArray: (f) => `「${f}」须为数组`,
  arrayNotEmpty: (f) => `「${f}」至少要有一项`,
  arrayMaxSize: (f) => `「${f}」项数过多`,
  isDateString: (f) => `「${f}」须为日期时间，如 2026-12-10T18:00:00+08:00`,
  matches: (f) => `「${f}」格式不对`,
  whitelistValidation: (f) => `不支持的字段「${f}」`,
  isMobilePhone: (f) => `「${f}」须为手机号`,
  isUrl: (f) => `「${f}」须为 http(s) 网址`,
  nestedValidation: (f) => `「${f}」的内容有误`,
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

export function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const key of Object.keys(e.constraints ?? {})) {
      const zh = CONSTRAINT_ZH[key];
      out.push({ field, message: zh ? zh(field, e) : `「${field}」不符合要求` });
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
