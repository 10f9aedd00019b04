import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { toShanghaiIso } from '../shared/shanghai-time';
import { Clock } from '../shared/clock';
import { renderDossierHtml } from './dossier.render';
import {
  ClosureRequestDto,
  DeadlinePreviewDto,
  DecisionDto,
  DecomposeDto,
  ExtensionRequestDto,
  ItemListQuery,
  KeySupervisionDto,
  RateDto,
  ReasonDto,
  ReassignDto,
  RegisterItemDto,
  ReportDto,
  UrgingDto,
  VerifyDto,
} from './dto/item.dto';
import { deadlineSpec, toFilter } from './dto/item-mapping';
import { ItemActionsService } from './item-actions.service';
import { ItemCommandsService } from './item-commands.service';
import { ItemQueriesService } from './item-queries.service';
import { ItemActionsView, ItemDetailView, RegisteredItemView, ItemTimelineView } from './item.responses';
import { RegistrationService } from './registration.service';
import { parseUrgeMethod } from './urging.rules';

/** C1–C6 over HTTP. Every command answers with the item as it now stands; every read is within the reader's scope (P4). */
@ApiTags('items 督办事项')
@ApiBearerAuth()
@Controller('api/items')
export class ItemsController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly commands: ItemCommandsService,
    private readonly queries: ItemQueriesService,
    private readonly clock: Clock,
    private readonly actionsFor: ItemActionsService,
  ) {}

  @Post()
  @ApiOperation({ summary: '立项登记（C1–C3）' })
  @ApiCreatedResponse({ type: RegisteredItemView })
  async register(@Body() dto: RegisterItemDto, @CurrentActor() actor: Actor) {
    const { item, warnings } = await this.registration.registerWithWarnings({ ...dto, deadline: deadlineSpec(dto) }, actor);
    // C3: e.g. 「办理期限 2026年5月1日 为法定节假日，已顺延至5月6日 18:00。」 — only when there is something to say.
    return { ...(await this.queries.get(item.number, actor)), ...(warnings.length ? { warnings } : {}) };
  }

  @Post('deadline-preview')
  @HttpCode(200)
  @RequireRoles('supervisor', 'owner')
  @ApiOperation({ summary: '立项前预览办理期限：按与立项相同的规则（时间节点、截止日期、工作日数，法定节假日顺延，专项督查时限）算出到期时间，不登记事项' })
  async deadlinePreview(@Body() dto: DeadlinePreviewDto, @CurrentActor() actor: Actor) {
    const p = await this.registration.previewDeadline({ ...dto, deadline: deadlineSpec(dto) }, actor);
    return {
      deadline: toShanghaiIso(p.at),
      deadlineSpec: p.spec,
      when: p.description.when,
      pastHolidays: p.description.pastHolidays,
      text: p.description.sentence,
      warnings: p.warnings,
    };
  }

  @Get()
  @ApiOperation({ summary: '事项列表：按单位、来源、版块、状态、是否逾期筛选' })
  list(@Query() q: ItemListQuery, @CurrentActor() actor: Actor) {
    return this.queries.list(toFilter(q), actor);
  }

  @Get(':number')
  @ApiOperation({ summary: '事项详情：基本情况、进展反馈、各项申请和分解出的子事项' })
  @ApiOkResponse({ type: ItemDetailView })
  get(@Param('number') number: string, @CurrentActor() actor: Actor) {
    return this.queries.get(number, actor);
  }

  @Get(':number/actions')
  @ApiOperation({
    summary: '当前可办理的操作：本人此刻可对该事项办理的操作（按钮）及各表单所需信息（延期截止日、评定等次、催办方式等）',
  })
  @ApiOkResponse({ type: ItemActionsView })
  actions(@Param('number') number: string, @CurrentActor() actor: Actor) {
    return this.actionsFor.forViewer(number, actor);
  }

  @Get(':number/timeline')
  @ApiOperation({ summary: '一事一卷：时间线（C6）' })
  @ApiOkResponse({ type: ItemTimelineView })
  timeline(@Param('number') number: string, @CurrentActor() actor: Actor) {
    return this.queries.timeline(number, actor);
  }

  @Get(':number/dossier')
  @ApiOperation({ summary: '一事一卷：导出为单个 HTML 文件（可打印）' })
  async dossier(@Param('number') number: string, @Res() res: Response, @CurrentActor() actor: Actor) {
    const parts = await this.queries.dossier(number, actor);
    const html = renderDossierHtml({ ...parts, generatedAt: this.clock.now() });
    const file = parts.item.number;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file}.html"; filename*=UTF-8''${encodeURIComponent(`${file}-一事一卷.html`)}`);
    res.send(html);
  }

  @Post(':number/submit') @HttpCode(200) submit(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.submit(n, a));
  }

  @Post(':number/decompose')
  @ApiOperation({ summary: '分解立项（C4）：每个单位一个子事项' })
  async decompose(@Param('number') n: string, @Body() dto: DecomposeDto, @CurrentActor() a: Actor) {
    const created = await this.registration.decomposeWithWarnings(
      n,
      dto.children.map((c) => ({ ...c, deadline: deadlineSpec(c) })),
      a,
    );
    const warnings = created.flatMap((r) => r.warnings.map((w) => `${r.item.number}：${w}`));
    return {
      parent: await this.queries.get(n, a),
      children: await this.queries.views(created.map((r) => r.item)),
      ...(warnings.length ? { warnings } : {}),
    };
  }

  @Post(':number/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: '调整立项主体、分管领导或承办单位（督查室办理，须说明理由；已办结、已归档的事项不能调整）' })
  reassign(@Param('number') n: string, @Body() dto: ReassignDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.registration.reassign(n, dto, a));
  }

  @Post(':number/assign')
  @HttpCode(200)
  @ApiOperation({ summary: '交办：向各单位群推送交办卡片' })
  assign(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.assign(n, a));
  }

  @Post(':number/sign')
  @HttpCode(200)
  @ApiOperation({ summary: '签收' })
  sign(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.sign(n, a));
  }

  @Post(':number/reports')
  @ApiOperation({ summary: '反馈进展（F1，仅主办单位）' })
  report(@Param('number') n: string, @Body() dto: ReportDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.report(n, a, dto.content));
  }

  @Post(':number/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退回：立项主体退回最近的反馈或办结申请（F2）；待审定的事项由分管领导退回承办单位（D3）' })
  returnWork(@Param('number') n: string, @Body() dto: ReasonDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.sendBack(n, a, dto.reason));
  }

  @Post(':number/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '撤回：主办单位撤回本单位待审批的延期申请或办结申请' })
  withdraw(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.withdraw(n, a));
  }

  @Post(':number/extension-requests')
  @ApiOperation({ summary: '申请延期（E1）' })
  requestExtension(@Param('number') n: string, @Body() dto: ExtensionRequestDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.requestExtension(n, a, { newDeadline: new Date(dto.newDeadline), reason: dto.reason, plan: dto.plan }));
  }

  @Post(':number/extension-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '同意延期（E1、E2）' })
  approveExtension(@Param('number') n: string, @Param('id', ParseIntPipe) id: number, @Body() dto: DecisionDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.decideExtension(n, a, id, true, dto.note));
  }

  @Post(':number/extension-requests/:id/refuse')
  @HttpCode(200)
  @ApiOperation({ summary: '不同意延期' })
  refuseExtension(@Param('number') n: string, @Param('id', ParseIntPipe) id: number, @Body() dto: DecisionDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.decideExtension(n, a, id, false, dto.note));
  }

  @Post(':number/closure-request')
  @HttpCode(200)
  @ApiOperation({ summary: '申请办结（D1）' })
  requestClosure(@Param('number') n: string, @Body() dto: ClosureRequestDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.requestClosure(n, a, dto));
  }

  @Post(':number/review')
  @HttpCode(200)
  @ApiOperation({ summary: '开始审核办结申请' })
  startReview(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.startReview(n, a));
  }

  @Post(':number/verify')
  @HttpCode(200)
  @ApiOperation({ summary: '组织核验（专家论证/公众评价）' })
  verify(@Param('number') n: string, @Body() dto: VerifyDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.verify(n, a, dto));
  }

  @Post(':number/rate')
  @HttpCode(200)
  @ApiOperation({ summary: '评定（D2）：优秀/良好/合格/不合格' })
  rate(@Param('number') n: string, @Body() dto: RateDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.rate(n, a, dto.rating, dto.comment));
  }

  @Post(':number/sign-off')
  @HttpCode(200)
  @ApiOperation({ summary: '领导审定（D3）：办结销号' })
  signOff(@Param('number') n: string, @Body() dto: DecisionDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.signOff(n, a, dto.note));
  }

  @Post(':number/urgings')
  @ApiOperation({ summary: '催办（R5）：电话催办、现场督办、函询、约谈、限期整改——记入一事一卷；函询、限期整改通知主办单位' })
  urge(@Param('number') n: string, @Body() dto: UrgingDto, @CurrentActor() a: Actor) {
    // The DTO admits only the codes and the Chinese names, so the method is always found.
    const method = parseUrgeMethod(dto.method)!;
    return this.answer(n, a, this.commands.urge(n, a, { method, record: dto.record, contact: dto.contact, newLimit: dto.newLimit }));
  }

  @Put(':number/key-supervision')
  @ApiOperation({ summary: '重点督办（R5）：督查室列入或取消，须写明理由，可注明按哪位领导要求' })
  keySupervision(@Param('number') n: string, @Body() dto: KeySupervisionDto, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.setKeySupervision(n, a, dto));
  }

  @Post(':number/archive')
  @HttpCode(200)
  @ApiOperation({ summary: '归档' })
  archive(@Param('number') n: string, @CurrentActor() a: Actor) {
    return this.answer(n, a, this.commands.archive(n, a));
  }

  /** Commands answer with the item after the change, plus what the command itself returned (ids, counts). */
  private async answer(number: string, actor: Actor, work: Promise<unknown>) {
    const result = await work;
    const item = await this.queries.get(number, actor);
    return result && typeof result === 'object' ? { ...item, result } : item;
  }
}
