import type { INestApplication } from '@nestjs/common';
import { raw, text } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpErrorFilter } from './common/http-exception.filter';
import { validationPipe } from './common/validation';

/** What main.ts and the HTTP tests share: validation, error mapping, OpenAPI at /api/docs. */
export function setUpApp(app: INestApplication): void {
  // WeCom app callbacks are XML: read them as text (JSON routes keep Nest's own parser).
  app.use('/callbacks/wecom/app', text({ type: ['text/xml', 'application/xml', 'text/plain'], limit: '64kb' })); // a callback is a few KB
  // A2 documents are uploaded as the request body itself (a PDF, a scan), up to 10 MB.
  app.use(/^\/api\/accountability\/clues\/[^/]+\/documents$/, raw({ type: () => true, limit: '10mb' }));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Duban 督办')
    .setDescription('督查督办：立项、交办、签收、反馈、延期、办结、评定、审定、归档，一事一卷与台账。所有 /api 接口需 Authorization: Bearer <令牌>。')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
}
