import {
  Body,
  Controller,
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
import { OptionalId } from '../http/http-input';
import type { Platform, Role } from '../shared/vocabulary';
import { CoordinatingLeaderDto, CreateGroupDto, CreatePersonDto, CreateUnitDto, IdentitiesDto, RolesDto } from './dto/org.dto';
import { orgTemplateWorkbook } from './org-import.parser';
import { OrgImportService } from './org-import.service';
import { OrgService } from './org.service';

/** `?dryRun=true`: check only. Anything but true/false (1/0) is refused in Chinese rather than read as "import". */
const DryRunFlag: PipeTransform<unknown, boolean> = {
  transform(value: unknown): boolean {
    if (value === undefined || value === '' || value === false || value === 'false' || value === '0') return false;
    if (value === true || value === 'true' || value === '1') return true;
    throw invalid('QUERY.BAD_FLAG', '查询参数「只检查」须为 true 或 false，请检查后重试。', { field: 'dryRun' });
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

  @Get('people')
  @ApiQuery({ name: 'q', required: false, description: '按姓名、手机号或钉钉/企业微信账号查找' })
  people(@Query('unitId', OptionalId('单位编号')) unitId?: number, @Query('role') role?: Role, @Query('q') q?: string) {
    return this.org.people({ unitId, role, ...(typeof q === 'string' && q.trim() ? { q: q.trim().slice(0, 100) } : {}) });
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
