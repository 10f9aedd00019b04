import type { INestApplication } from '@nestjs/common';
import { json, raw, text, urlencoded } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpErrorFilter } from './http/http-exception.filter';
import { JSON_BODY_LIMIT, publicHeaders, requireKnownContentType, requireTokenBeforeUpload, verifyJsonDepth } from './http/http-input';
import { TokenService } from './auth/token.service';
import { SessionService } from './auth/session.service';
import { sessionFromCookieHeader } from './auth/session.rules';
import { validationPipe } from './http/validation';
import { serveConsole } from './app.console';

/** What main.ts and the HTTP tests share: validation, error mapping, OpenAPI at /api/docs, the console at /. */
export function setUpApp(app: INestApplication, opts: { webDist?: string } = {}): void {
  // Issue 11 (defect 9): a body must be of a type its route takes (415 otherwise), JSON at most 2 MB and 32 levels deep
  // (checked on the raw bytes before parsing); Nest then skips its own default parsers, which had no such limits.
  app.use(requireKnownContentType);
  const tokens = app.get(TokenService, { strict: false });
  const sessions = app.get(SessionService, { strict: false });
  app.use(
    requireTokenBeforeUpload(
      (t) => tokens.resolve(t),
      (cookie) => {
        const value = sessionFromCookieHeader(cookie);
        return value ? sessions.resolve(value) : null;
      },
    ),
  );
  app.use(json({ limit: JSON_BODY_LIMIT, verify: verifyJsonDepth }));
  app.use(urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  // WeCom app callbacks are XML: read them as text.
  app.use('/callbacks/wecom/app', text({ type: ['text/xml', 'application/xml', 'text/plain'], limit: '64kb' })); // a callback is a few KB
  // A2 documents are uploaded as the request body itself (a PDF, a scan), up to 10 MB.
  app.use(/^\/api\/accountability\/clues\/[^/]+\/documents$/, raw({ type: () => true, limit: '10mb' }));
  // Issue 11 (defect 14): the public links (no login) are served with a strict policy; the page widens it for its own
  // stylesheet and chart only.
  app.use('/public', publicHeaders);
  // Issue 15: the web console (web/dist) at /, client routes falling back to its index.html.
  serveConsole(app, opts.webDist);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Duban 督办')
    .setDescription(
      '督查督办：立项、交办、签收、反馈、延期、办结、评定、审定、归档，一事一卷与台账。所有 /api 接口需 Authorization: Bearer <令牌>，或督办系统登录后的会话 Cookie。',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
}
