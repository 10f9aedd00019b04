import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { OutageLog } from '../database/outage';
import { DomainError, ErrorKind } from './errors';

const STATUS: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409 };

/** The one place errors become HTTP: `{ code, message }` with a Chinese message, whatever went wrong. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');
  private readonly outage = new OutageLog(this.log, 'http');

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
    if (this.outage.failed(err)) {
      // The database is away: nothing was done, and the same request will work later. 503 + Retry-After tells
      // people and platforms (DingTalk/WeCom callbacks) to try again, where a 500 would read as a defect.
      res.status(503).setHeader('Retry-After', '10');
      res.json({ code: 'DATABASE.UNAVAILABLE', message: '数据库暂时无法连接，本次操作未完成。请稍后重试；如持续出现，请联系系统管理员。' });
      return;
    }
    this.log.error(JSON.stringify({ event: 'unhandled_error', error: err instanceof Error ? err.stack : String(err) }));
    res.status(500).json({ code: 'INTERNAL', message: '服务内部错误，操作未完成，请稍后重试或联系管理员。' });
  }
}

function httpMessage(status: number, fallback: string): string {
  if (status === 404) return '没有这个地址。';
  if (status === 413) return '上传的内容过大。';
  if (status === 400) return `请求格式有误：${fallback}`;
  return fallback;
}
