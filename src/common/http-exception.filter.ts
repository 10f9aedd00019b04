import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorKind } from './errors';

const STATUS: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409 };

/** The one place errors become HTTP: `{ code, message }` with a Chinese message, whatever went wrong. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
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
    const refused = bodyParserRefusal(err);
    if (refused) {
      // The request body could not be read (too large, not the format it claims): the sender's fault, not ours.
      this.log.warn(JSON.stringify({ event: 'body_refused', status: refused.status, type: (err as { type?: string }).type }));
      res.status(refused.status).json({ code: `HTTP.${refused.status}`, message: refused.message });
      return;
    }
    this.log.error(JSON.stringify({ event: 'unhandled_error', error: err instanceof Error ? err.stack : String(err) }));
    res.status(500).json({ code: 'INTERNAL', message: '服务内部错误，操作未完成，请稍后重试或联系管理员。' });
  }
}

/**
 * Express's body parsers fail with an error carrying a 4xx `status` and a `type` (entity.too.large, entity.parse.failed,
 * charset.unsupported…) before any controller runs; they are refusals of the request, answered as such.
 */
function bodyParserRefusal(err: unknown): { status: number; message: string } | null {
  const e = err as { status?: unknown; type?: unknown; expose?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return null;
  if (e.status === 413) return { status: 413, message: '提交的内容过大，超过了允许的大小，请精简后重新提交。' };
  if (e.status === 415) return { status: 415, message: '提交内容的编码无法识别，请改用 UTF-8 编码后重新提交。' };
  return { status: e.status, message: '提交的内容格式有误，无法读取，请检查后重新提交。' };
}

function httpMessage(status: number, fallback: string): string {
  if (status === 404) return '没有这个地址。';
  if (status === 413) return '上传的内容过大。';
  if (status === 400) return `请求格式有误：${fallback}`;
  return fallback;
}
