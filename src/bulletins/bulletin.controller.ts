import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../shared/actor';
import { CurrentActor, Public, RequireRoles } from '../auth/auth.guard';
import { BULLETIN_PAGE_CSP, bulletinHtml } from './bulletin.html';
import type { BulletinKind } from './bulletin.rules';
import { checkDraftPatch } from './bulletin.draft-check';
import { BulletinService } from './bulletin.service';
import { BulletinDeleted, BulletinDetailView, BulletinDraftEdit, BulletinReproductionView, BulletinRowView } from './bulletin.view';

class GenerateBulletinDto {
  @ApiProperty({ enum: ['monthly', 'quarterly', 'key_supervision'] }) @IsIn(['monthly', 'quarterly', 'key_supervision']) kind!: BulletinKind;
  @ApiProperty({ description: '月度 2026-03；季度 2026Q1；专项 2026-03-01~2026-03-15' }) @IsString() @MaxLength(40) period!: string;
  @ApiPropertyOptional({ default: '市人民政府督查室' }) @IsOptional() @IsString() @MaxLength(100) office?: string;
  @ApiPropertyOptional({ description: '主送机关' }) @IsOptional() @IsString() @MaxLength(300) recipients?: string;
  @ApiPropertyOptional({ type: [Number], description: '印发时推送的工作群（默认全部）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  groupIds?: number[];
}

class DecideDto {
  @ApiPropertyOptional({ description: '意见；退回时必填' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

class PublishDto {
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @IsInt({ each: true }) groupIds?: number[];
}

/** Issue 7 §3: 通报 — generate, edit, submit, approve, publish, export, reproduce. */
@ApiTags('bulletins 通报')
@ApiBearerAuth()
@Controller('api/bulletins')
export class BulletinController {
  constructor(private readonly bulletins: BulletinService) {}

  @Post()
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '按期间从数据生成通报草稿' })
  @ApiCreatedResponse({ type: BulletinDetailView })
  async generate(@Body() dto: GenerateBulletinDto, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.generate(dto, actor)).number);
  }

  @Get()
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '通报列表（最近 200 份）' })
  @ApiOkResponse({ type: [BulletinRowView] })
  list() {
    return this.bulletins.list();
  }

  @Get(':number')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '一份通报：稿件、状态、审定和印发情况、办理记录' })
  @ApiOkResponse({ type: BulletinDetailView })
  get(@Param('number') number: string) {
    return this.bulletins.get(number);
  }

  @Put(':number/draft')
  @RequireRoles('admin', 'supervisor')
  @ApiBody({ type: BulletinDraftEdit, description: '标题、副标题、导语、主送机关、章节、推送摘要行、推送的工作群，任选' })
  @ApiOperation({ summary: '督查室修改通报稿（草稿或被退回时）' })
  @ApiOkResponse({ type: BulletinDetailView })
  async edit(@Param('number') number: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.edit(number, checkDraftPatch(body), actor)).number);
  }

  @Delete(':number')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '删除未提请审定的通报草稿' })
  @ApiOkResponse({ type: BulletinDeleted })
  remove(@Param('number') number: string, @CurrentActor() actor: Actor) {
    return this.bulletins.remove(number, actor);
  }

  @Post(':number/submit')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '提请领导审定（领导收到一对一审定卡片）' })
  @ApiOkResponse({ type: BulletinDetailView })
  async submit(@Param('number') number: string, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.submit(number, actor)).number);
  }

  @Post(':number/approve')
  @HttpCode(200)
  @RequireRoles('leader')
  @ApiOperation({ summary: '领导审定同意' })
  @ApiOkResponse({ type: BulletinDetailView })
  async approve(@Param('number') number: string, @Body() dto: DecideDto, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.decide(number, true, dto.note ?? '', actor)).number);
  }

  @Post(':number/reject')
  @HttpCode(200)
  @RequireRoles('leader')
  @ApiOperation({ summary: '领导退回修改（须写明理由）' })
  @ApiOkResponse({ type: BulletinDetailView })
  async reject(@Param('number') number: string, @Body() dto: DecideDto, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.decide(number, false, dto.note ?? '', actor)).number);
  }

  @Post(':number/publish')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '印发：推送至所选钉钉、企业微信工作群并归档' })
  @ApiOkResponse({ type: BulletinDetailView })
  async publish(@Param('number') number: string, @Body() dto: PublishDto, @CurrentActor() actor: Actor) {
    return this.bulletins.get((await this.bulletins.publish(number, dto.groupIds, actor)).number);
  }

  @Get(':number/reproduce')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '从数据库重新生成，与存档逐行比对' })
  @ApiOkResponse({ type: BulletinReproductionView })
  reproduce(@Param('number') number: string) {
    return this.bulletins.reproduce(number);
  }

  @Get(':number/chart.png')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '通报图表预览（草稿按当前稿绘制；提请审定后为送审时的图表）' })
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'no-store')
  async chart(@Param('number') number: string) {
    return new StreamableFile(await this.bulletins.previewChart(number));
  }

  @Get(':number/docx')
  @RequireRoles('admin', 'supervisor', 'leader')
  @ApiOperation({ summary: '导出 .docx（公文格式）' })
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  async docx(@Param('number') number: string) {
    const { filename, body } = await this.bulletins.docx(number);
    return new StreamableFile(body, { disposition: `attachment; filename="bulletin.docx"; filename*=UTF-8''${encodeURIComponent(filename)}` });
  }
}

/** The links a broadcast carries: the full text and the chart, behind an unguessable token, once approved. */
@ApiTags('bulletins 通报')
@Controller('public/bulletins')
export class PublicBulletinController {
  constructor(private readonly bulletins: BulletinService) {}

  /** Issue 14 (defect 1): the text under review, for the leader who approves it — signed link from the 审定 card. */
  @Get('review/:number')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', BULLETIN_PAGE_CSP)
  @Header('Cache-Control', 'no-store')
  async review(@Param('number') number: string, @Query('sig') sig: string | undefined) {
    const b = await this.bulletins.byReviewLink(number, String(sig ?? ''));
    const note = b.state === 'pending_approval' ? '送审稿（待领导审定）' : null;
    return bulletinHtml(b.draft, `${encodeURIComponent(b.number)}/chart.png?sig=${encodeURIComponent(String(sig))}`, note);
  }

  @Get('review/:number/chart.png')
  @Public()
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'no-store')
  async reviewChart(@Param('number') number: string, @Query('sig') sig: string | undefined) {
    return new StreamableFile(await this.bulletins.reviewChart(number, String(sig ?? '')));
  }

  @Get(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', BULLETIN_PAGE_CSP)
  async page(@Param('token') token: string) {
    const b = await this.bulletins.byToken(token);
    // The chart by a relative link: same origin as the page, as the policy allows.
    return bulletinHtml(b.draft, `${encodeURIComponent(b.publicToken)}/chart.png`);
  }

  @Get(':token/chart.png')
  @Public()
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'public, max-age=86400')
  async chart(@Param('token') token: string) {
    return new StreamableFile(await this.bulletins.publicChart(token));
  }
}
