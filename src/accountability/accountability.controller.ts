import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { Item } from '../cases/item.entity';
import { invalid, notFound } from '../shared/errors';
import { OptionalId } from '../http/http-input';
import { attachmentDisposition, SAFE_DOWNLOAD_HEADERS, safeDownloadType } from '../http/safe-download';
import { DataSource } from 'typeorm';
import { Unit } from '../org/unit.entity';
import { PROCEDURE_ACTIONS, PROCEDURE_STATES, type ProcedureAction, type ProcedureState } from './accountability.types';
import { AccountabilityService } from './accountability.service';

class ManualClueDto {
  @ApiProperty() @IsInt() unitId!: number;
  @ApiPropertyOptional({ description: '相关事项编号' }) @IsOptional() @IsString() @MaxLength(32) itemNumber?: string;
  @ApiProperty({ description: '线索来源和事实' }) @IsString() @IsNotEmpty() @MaxLength(480) reason!: string;
}

/** Issue 7 §2: 责任追究 over the API — clues (A1) and every step of their procedure (A2, A3). */
@ApiTags('accountability 责任追究')
@ApiBearerAuth()
@Controller('api/accountability')
export class AccountabilityController {
  constructor(
    private readonly service: AccountabilityService,
    private readonly db: DataSource,
  ) {}

  @Get('clues')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '问题线索列表（可按状态、单位筛选）' })
  list(@Query('state') state?: string, @Query('unitId', OptionalId('单位编号')) unitId?: number) {
    if (state && !PROCEDURE_STATES.includes(state as ProcedureState))
      throw invalid('CLUE.BAD_STATE', `状态「${state}」无效，可用：${PROCEDURE_STATES.join('、')}。`, { field: 'state' });
    return this.service.list({ state: state as ProcedureState | undefined, unitId });
  }

  @Get('clues/:number')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '一条线索及其全部程序记录' })
  get(@Param('number') number: string) {
    return this.service.get(number);
  }

  @Post('clues')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '督查室手工登记问题线索' })
  async open(@Body() dto: ManualClueDto, @CurrentActor() actor: Actor) {
    const unit = await this.db.getRepository(Unit).findOneBy({ id: dto.unitId });
    if (!unit) throw notFound('UNIT.NOT_FOUND', `没有编号为 ${dto.unitId} 的单位。`);
    const item = dto.itemNumber ? await this.db.getRepository(Item).findOneBy({ number: dto.itemNumber.trim().toUpperCase() }) : null;
    if (dto.itemNumber && !item) throw notFound('CASE.NOT_FOUND', `没有编号为「${dto.itemNumber}」的督办事项。`);
    const clue = await this.service.openFrom(
      { kind: 'manual', unitId: unit.id, unitName: unit.name, requestId: randomUUID(), itemId: item?.id ?? null, reason: dto.reason },
      actor,
    );
    return this.service.get(clue!.number);
  }

  @Post('ranking/:year')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '年度积分低于基准且连续两年倒数后2位的单位，各开一条线索（每年1月也自动进行）' })
  ranking(@Param('year', ParseIntPipe) year: number, @CurrentActor() actor: Actor) {
    return this.service.openRankingClues(year, actor);
  }

  @Post('clues/:number/documents')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '上传程序文书（请求体为文件本身，Content-Type 为其类型，?name=文件名）；之后在步骤中以 doc:<编号> 引用' })
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  attach(
    @Param('number') number: string,
    @Query('name') name: string | undefined,
    @Headers('content-type') mime: string | undefined,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
  ) {
    if (!Buffer.isBuffer(body)) throw invalid('CLUE.NO_FILE', '请把文件作为请求体上传（不是 JSON），并在 name 参数中给出文件名。', { field: 'body' });
    return this.service.attach(number, { name: name ?? '', mime: (mime ?? '').split(';')[0].trim(), content: body }, actor);
  }

  @Get('documents/:id')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '下载程序文书' })
  async download(@Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: Response) {
    const doc = await this.service.document(id);
    // Issue 11 (defect 14): not the uploader's type — one from the allow-list by extension, as an attachment, nosniff.
    for (const [k, v] of Object.entries(SAFE_DOWNLOAD_HEADERS)) res.setHeader(k, v);
    return new StreamableFile(doc.content, {
      type: safeDownloadType(doc.name),
      disposition: attachmentDisposition(`document-${doc.id}`, doc.name),
      length: doc.size,
    });
  }

  @Post('clues/:number/:action')
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      description:
        '各步骤所需内容：hand_over {proposal}；skip_verification {reason}；verify {report:{title,ref}}；propose_opinion {targets:[{target,name,measures}]}；audit_approve {note?}；audit_reject {reason}；recheck_return {reason}；implement {note}；report_result {result}；apply_result {scope}；dismiss {reason, report?}；均可附 documents:[{title,ref}]',
    },
  })
  @ApiOperation({ summary: '办理一步程序（移交、核查、处理意见、审核、复核、实施、结果、运用），由相应角色办理' })
  act(@Param('number') number: string, @Param('action') action: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    if (!PROCEDURE_ACTIONS.includes(action as ProcedureAction))
      throw invalid('CLUE.BAD_ACTION', `没有「${action}」这一步骤，可用：${PROCEDURE_ACTIONS.join('、')}。`, { field: 'action' });
    return this.service.act(number, action as ProcedureAction, (body ?? {}) as never, actor).then((c) => this.service.get(c.number));
  }
}
