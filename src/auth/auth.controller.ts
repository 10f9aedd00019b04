import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../http/route-access';
import { IssueTokenDto } from '../org/dto/org.dto';
import { OrgService } from '../org/org.service';
import { Clock } from '../shared/clock';
import { TokenService } from './token.service';

/** People's access tokens (P2: admins only), under the directory's URLs — moved out of org.controller so org does not import auth. */
@ApiTags('org 单位与人员')
@ApiBearerAuth()
@Controller('api')
export class AuthController {
  constructor(
    private readonly org: OrgService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  @Post('people/:id/tokens')
  @RequireRoles('admin')
  @ApiOperation({ summary: '为人员签发访问令牌（明文只返回这一次）' })
  async issueToken(@Param('id', ParseIntPipe) id: number, @Body() dto: IssueTokenDto) {
    await this.org.personView(id);
    return this.tokens.issue(id, dto.label);
  }

  @Get('people/:id/tokens')
  @RequireRoles('admin')
  @ApiOperation({ summary: '查看人员持有的访问令牌（不含令牌本身）' })
  async listTokens(@Param('id', ParseIntPipe) id: number) {
    await this.org.personView(id);
    return this.tokens.list(id);
  }

  @Post('people/:id/tokens/revoke')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: '吊销人员的全部访问令牌（离岗、手机遗失时）' })
  async revokeAllTokens(@Param('id', ParseIntPipe) id: number) {
    await this.org.personView(id);
    return { revoked: await this.tokens.revokeAll(id, this.clock.now()) };
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @RequireRoles('admin')
  async revokeToken(@Param('id', ParseIntPipe) id: number) {
    return { revoked: await this.tokens.revoke(id, this.clock.now()) };
  }
}
