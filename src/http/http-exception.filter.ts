import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { OutageLog } from '../database/outage';
import { DomainError, ErrorKind } from '../shared/errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
};

/**
 * Issue 11 (defect 9): what the body parsers (body-parser, raw-body, multer) throw before any handler runs — mapped by
 * their `type`/`code` to a status and a Chinese sentence with the next step; these are the client's mistakes, logged at
 * WARN without a stack.
 */
const PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'HTTP.TOO_LARGE', message: '提交的内容过大（JSON 不超过 2 MB，文书不超过 10 MB）：请精简内容或拆分后再提交。' },
  LIMIT_FILE_SIZE: { status: 413, code: 'HTTP.TOO_LARGE', message: '上传的文件过大（不超过 10 MB）：请删去多余的工作表或拆分后再上传。' },
  'entity.parse.failed': { status: 400, code: 'HTTP.BAD_JSON', message: '提交的内容不是有效的 JSON：请检查括号、引号和逗号后重新提交。' },
  'entity.too.deep': { status: 400, code: 'HTTP.TOO_DEEP', message: '提交的 JSON 嵌套层级过多（不超过 32 层）：请按接口说明的结构提交。' },
  'charset.unsupported': { status: 415, code: 'HTTP.UNSUPPORTED_CHARSET', message: '不支持该字符编码：请以 UTF-8 编码提交。' },
  'encoding.unsupported': { status: 415, code: 'HTTP.UNSUPPORTED_ENCODING', message: '不支持该压缩方式：请以不压缩或 gzip 压缩的内容提交。' },
  'request.aborted': { status: 400, code: 'HTTP.ABORTED', message: '请求在传输中断开，请重新提交。' },
  'request.size.invalid': { status: 400, code: 'HTTP.BAD_LENGTH', message: '请求长度与声明不符，请重新提交。' },
  'stream.encoding.set': { status: 500, code: 'INTERNAL', message: '服务内部错误，操作未完成，请稍后重试或联系管理员。' },
};
const MULTER_MESSAGE = '上传的表单格式有误：请以 multipart/form-data 上传一个 .xlsx 文件（字段名 file）。';

function parserError(err: unknown): { status: number; code: string; message: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; code?: unknown; status?: unknown; statusCode?: unknown; name?: unknown };
  if (typeof e.type === 'string' && PARSER_ERRORS[e.type]) return PARSER_ERRORS[e.type];
  if (typeof e.code === 'string' && PARSER_ERRORS[e.code]) return PARSER_ERRORS[e.code];
  if (e.name === 'MulterError' || (typeof e.code === 'string' && e.code.startsWith('LIMIT_')))
    return { status: 400, code: 'HTTP.BAD_UPLOAD', message: MULTER_MESSAGE };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status >= 400 && status < 500) return { status, code: `HTTP.${status}`, message: httpMessage(status, '请检查请求后重试。') };
  return null;
}

/** The one place errors become HTTP: `{ code, message }` with a Chinese message, whatever went wrong. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');
  private readonly outage = new OutageLog(this.log, 'http');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A route may have set its own type (text/html, image/png) or an attachment before it failed: an error is JSON, never cached.
    if (!res.headersSent) {
      res.removeHeader('Content-Disposition');
      res.setHeader('Cache-Control', 'no-store');
      res.type('application/json');
    }
    if (err instanceof DomainError) {
      res.status(STATUS[err.kind]).json({ code: err.code, message: err.message, ...(err.details ?? {}) });
      return;
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      if (typeof body === 'object' && body !== null && 'code' in body) {
        res.status(status).json(body);
        return;
      }
      res.status(status).json({ code: `HTTP.${status}`, message: httpMessage(status, err.message) });
      return;
    }
    if (this.outage.failed(err)) {
      // The database is away: nothing was done, and the same request will work later. 503 + Retry-After tells
      // people and platforms (DingTalk/WeCom callbacks) to try again, where a 500 would read as a defect.
      res.status(503).setHeader('Retry-After', '10');
      res.json({ code: 'DATABASE.UNAVAILABLE', message: '数据库暂时无法连接，本次操作未完成。请稍后重试；如持续出现，请联系系统管理员。' });
      return;
    }
    const parsed = parserError(err);
    if (parsed && parsed.status < 500) {
      this.log.warn(JSON.stringify({ event: 'bad_request_body', code: parsed.code, status: parsed.status }));
      res.status(parsed.status).json({ code: parsed.code, message: parsed.message });
      return;
    }
    this.log.error(JSON.stringify({ event: 'unhandled_error', error: err instanceof Error ? err.stack : String(err) }));
    res.status(500).json({ code: 'INTERNAL', message: '服务内部错误，操作未完成，请稍后重试或联系管理员。' });
  }
}

/** Nest's own 400s (the JSON parser, ParseIntPipe, multer, a bad %-escape) come in English: a Chinese sentence instead. */
const ENGLISH_400: [RegExp, string][] = [
  [/JSON/, PARSER_ERRORS['entity.parse.failed'].message],
  [/numeric string is expected/, '地址中的编号须为整数，请检查后重试。'],
  [/Multipart|Unexpected file field|Boundary|Unexpected field/i, MULTER_MESSAGE],
  [/Failed to decode param/, '地址中含有无法识别的字符，请检查链接是否完整。'],
];
const CJK = /[\u4e00-\u9fff]/;

function httpMessage(status: number, fallback: string): string {
  if (status === 404) return '没有这个地址。';
  if (status === 413) return '提交的内容过大：请精简内容或拆分后再提交。';
  if (status === 415) return '不支持该提交格式：请以 JSON 提交。';
  if (status === 400) {
    const known = ENGLISH_400.find(([re]) => re.test(fallback));
    if (known) return known[1];
    return CJK.test(fallback) ? `请求格式有误：${fallback}` : '请求格式有误，请检查后重试。';
  }
  return CJK.test(fallback) ? fallback : `请求未能完成（${status}），请检查后重试。`;
}
