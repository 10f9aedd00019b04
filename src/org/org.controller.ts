import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseIntPipe,
  type PipeTransform,
  Post,
  Put,
  Query,
  Req,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../http/route-access';
import { invalid } from '../shared/errors';
import { OptionalId, OptionalIdPipe } from '../http/http-input';
import { ROLES, type Platform, type Role } from '../shared/vocabulary';
import {
  CoordinatingLeaderDto,
  CreateGroupDto,
  CreatePersonDto,
  CreateUnitDto,
  IdentitiesDto,
  RolesDto,
  UpdateGroupDto,
  UpdatePersonDto,
  UpdateUnitDto,
} from './dto/org.dto';
import { OrgEditService } from './org-edit.service';
import { orgTemplateWorkbook } from './org-import.parser';
import { OrgImportService } from './org-import.service';
import { OrgService, type PeopleStatus } from './org.service';

/** `?dryRun=true`: check only. Anything but true/false (1/0) is refused in Chinese rather than read as "import". */
const DryRunFlag: PipeTransform<unknown, boolean> = {
  transform(value: unknown): boolean {
    if (value === undefined || value === '' || value === false || value === 'false' || value === '0') return false;
    if (value === true || value === 'true' || value === '1') return true;
    throw invalid('QUERY.BAD_FLAG', '查询参数「只检查」须为 true 或 false，请检查后重试。', { field: 'dryRun' });
  },
};

/** `?status=`: people in post (default), retired, or all. Anything else is refused in Chinese. */
const PeopleStatusPipe: PipeTransform<unknown, PeopleStatus | undefined> = {
  transform(value: unknown): PeopleStatus | undefined {
    if (value === undefined || value === '') return undefined;
    if (value === 'active' || value === 'retired' || value === 'all') return value;
    throw invalid('QUERY.BAD_STATUS', '查询参数「状态」须为 active（在职）、retired（已停用）或 all（全部），请检查后重试。', { field: 'status' });
  },
};

/**
 * P1–P3: the directory. Reading is open to every signed-in person; changing it is for admins and the 督查室 — but privileged
 * roles and privileged people's chat accounts only for admins (src/org/grant.rules.ts). People's access tokens: src/auth/auth.controller.ts. Groups are shown without secrets.
 */
@ApiTags('org 单位与人员')
@ApiBearerAuth()
@Controller('api')
export class OrgController {
  constructor(
    private readonly org: OrgService,
    private readonly importer: OrgImportService,
    private readonly edits: OrgEditService,
  ) {}

  @Get('units') units() {
    return this.org.units();
  }

  @Post('units')
  @RequireRoles('admin', 'supervisor')
  createUnit(@Body() dto: CreateUnitDto) {
    return this.org.createUnit(dto);
  }

  @Put('units/:id/coordinating-leader')
  @RequireRoles('admin')
  @ApiOperation({ summary: '设置科室（立项主体）的分管领导：事项逾期2天仍未反馈时，立项主体报请其协调（管理员办理）' })
  setCoordinatingLeader(@Param('id', ParseIntPipe) id: number, @Body() dto: CoordinatingLeaderDto) {
    return this.org.setCoordinatingLeader(id, dto.coordinatingLeaderId ?? null);
  }

  @Put('units/:id')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '修改单位名称或编码（Excel 导入按编码对应单位）' })
  updateUnit(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateUnitDto, @CurrentActor() actor: Actor) {
    return this.edits.updateUnit(id, dto, actor);
  }

  @Post('units/:id/deactivate')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '停用单位：还有未办结事项（承办、协办或作为立项主体科室）时不能停用；停用后不再作为新事项的承办单位，历史记录保留' })
  deactivateUnit(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.edits.setUnitActive(id, false, actor);
  }

  @Post('units/:id/reactivate')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '恢复启用已停用的单位' })
  reactivateUnit(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.edits.setUnitActive(id, true, actor);
  }

  @Get('units/:id/changes')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '单位的变更记录（谁、何时、改了什么），新的在前' })
  unitChanges(@Param('id', ParseIntPipe) id: number) {
    return this.edits.changes('unit', id);
  }

  @Get('people')
  @ApiOperation({
    summary:
      '查找人员。默认只列在职人员（供选择）；status=retired 只列已停用的，status=all 全部。带 page 或 pageSize 时分页，返回 { total, page, pageSize, items }，否则返回全部匹配的人员',
  })
  @ApiQuery({ name: 'q', required: false, description: '按姓名、手机号或钉钉/企业微信账号查找' })
  @ApiQuery({ name: 'unitId', required: false, type: Number })
  @ApiQuery({ name: 'role', required: false, enum: ROLES })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'retired', 'all'] })
  @ApiQuery({ name: 'page', required: false, type: Number, description: '第几页，从 1 开始' })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, description: '每页条数，1–200' })
  people(
    @Query('unitId', OptionalId('单位编号')) unitId?: number,
    @Query('role') role?: Role,
    @Query('q') q?: string,
    @Query('status', PeopleStatusPipe) status?: PeopleStatus,
    @Query('page', new OptionalIdPipe({ max: 1_000_000, label: '页码' })) page?: number,
    @Query('pageSize', new OptionalIdPipe({ max: 200, label: '每页条数' })) pageSize?: number,
  ) {
    const filter = { unitId, role, status, ...(typeof q === 'string' && q.trim() ? { q: q.trim().slice(0, 100) } : {}) };
    if (page === undefined && pageSize === undefined) return this.org.people(filter);
    return this.org.peoplePage({ ...filter, page: page ?? 1, pageSize: pageSize ?? 20 });
  }

  @Get('people/:id') person(@Param('id', ParseIntPipe) id: number) {
    return this.org.personView(id);
  }

  @Post('people')
  @RequireRoles('admin', 'supervisor')
  createPerson(@Body() dto: CreatePersonDto, @CurrentActor() actor: Actor) {
    return this.org.createPerson(dto, actor);
  }

  @Put('people/:id/roles')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '设置人员角色（整体替换）；督查室可调整联络员、负责人，涉及领导、立项主体、督查员、管理员的只能由管理员办理' })
  setRoles(@Param('id', ParseIntPipe) id: number, @Body() dto: RolesDto, @CurrentActor() actor: Actor) {
    return this.org.setRoles(id, dto.roles, actor);
  }

  @Put('people/:id')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '修改人员姓名、手机号或所在单位；担任领导、立项主体、督查员、管理员的人员只能由管理员修改' })
  updatePerson(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdatePersonDto, @CurrentActor() actor: Actor) {
    return this.edits.updatePerson(id, dto, actor);
  }

  @Post('people/:id/deactivate')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({
    summary: '停用人员（离岗）：登录会话和个人令牌失效，不再接收提醒，不再作为人员选项，历史记录保留；仍是未办结事项的立项主体或分管领导时不能停用',
  })
  deactivatePerson(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.edits.setPersonActive(id, false, actor);
  }

  @Post('people/:id/reactivate')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '恢复启用已停用的人员（原有令牌仍无效，需要时重新签发）' })
  reactivatePerson(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.edits.setPersonActive(id, true, actor);
  }

  @Get('people/:id/changes')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '人员的变更记录（谁、何时、改了什么），新的在前' })
  personChanges(@Param('id', ParseIntPipe) id: number) {
    return this.edits.changes('person', id);
  }

  @Delete('people/:id/identities/:identityId')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '解除误绑的钉钉/企业微信账号（P3）；担任领导、立项主体、督查员、管理员的人员只能由管理员办理' })
  removeIdentity(@Param('id', ParseIntPipe) id: number, @Param('identityId', ParseIntPipe) identityId: number, @CurrentActor() actor: Actor) {
    return this.edits.removeIdentity(id, identityId, actor);
  }

  @Post('people/:id/identities')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '绑定钉钉/企业微信账号（P3）' })
  addIdentities(@Param('id', ParseIntPipe) id: number, @Body() dto: IdentitiesDto, @CurrentActor() actor: Actor) {
    return this.org.addIdentities(id, dto.identities, actor);
  }

  @Get('groups')
  groups(@Query('unitId', OptionalId('单位编号')) unitId?: number, @Query('platform') platform?: Platform) {
    return this.org.groups({ ...(unitId !== undefined ? { unitId } : {}), ...(platform ? { platform } : {}) });
  }

  @Post('groups')
  @RequireRoles('admin', 'supervisor')
  createGroup(@Body() dto: CreateGroupDto) {
    return this.org.createGroup(dto);
  }

  @Put('groups/:id')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '修改群的名称、用途、所属单位或机器人 Webhook（平台和群标识不能改：请移除后重新登记）' })
  updateGroup(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateGroupDto, @CurrentActor() actor: Actor) {
    return this.edits.updateGroup(id, dto, actor);
  }

  @Delete('groups/:id')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '移除群：机器人不再往该群发消息；单位没有其他单位群时，通知改为一对一发给其联络员和负责人' })
  removeGroup(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.edits.removeGroup(id, actor);
  }

  @Get('groups/:id/changes')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '群的变更记录，新的在前' })
  groupChanges(@Param('id', ParseIntPipe) id: number) {
    return this.edits.changes('group', id);
  }

  @Get('import/template.xlsx')
  @ApiOperation({ summary: '下载通讯录导入模板' })
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', `attachment; filename="org-template.xlsx"; filename*=UTF-8''${encodeURIComponent('通讯录导入模板.xlsx')}`)
  async template() {
    return new StreamableFile(await orgTemplateWorkbook());
  }

  @Post('import')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({
    summary:
      '导入通讯录：上传 .xlsx（字段 file）或提交 JSON { units, people, groups }；有错则整份不导入。加 ?dryRun=true 只检查不导入（返回将新增、更新的数目或逐行问题）',
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'true：只检查，不写入' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024 } }))
  async import(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: Request,
    @CurrentActor() actor: Actor,
    // Typed unknown on purpose: with `boolean` the global ValidationPipe would turn "maybe" into false before DryRunFlag sees it.
    @Query('dryRun', DryRunFlag) checkOnly: unknown,
  ) {
    const dryRun = checkOnly === true;
    if (file) return this.importer.importWorkbook(file.buffer, actor, { dryRun });
    if (req.is('application/json')) return this.importer.importJson(req.body, actor, { dryRun });
    throw invalid('IMPORT.NO_FILE', '请上传 .xlsx 文件（表单字段 file），或以 application/json 提交 { units, people, groups }。', { field: 'file' });
  }
}
