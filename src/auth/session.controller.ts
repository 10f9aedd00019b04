import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { DEMO_SIMULATOR_ON } from '../config/config.module';
import { Public } from '../http/route-access';
import type { Actor } from '../shared/actor';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { shanghaiDate } from '../shared/shanghai-time';
import { clearedCookie, crossSite, sameSite, sessionCookie, sessionFromCookieHeader } from './session.rules';
import { SessionService, sessionView, type SessionView } from './session.service';
import { TokenService } from './token.service';

export class SignInDto {
  @ApiProperty({ description: '管理员令牌或个人访问令牌' }) @IsString() @IsNotEmpty() @MaxLength(200) token!: string;
}

export class SignInLinkDto {
  @ApiProperty({ description: '督办助手 /登录 发来的链接中的 code' }) @IsString() @IsNotEmpty() @MaxLength(200) code!: string;
}

/** Who signed in, as the console is told (the OpenAPI shape of SessionView). */
export class SessionViewDto implements SessionView {
  @ApiProperty({ type: Number, nullable: true, description: '人员编号；用管理员令牌登录时为 null' }) personId!: number | null;
  @ApiProperty({ description: '姓名' }) name!: string;
  @ApiProperty({ type: [String], description: '角色：admin、supervisor、owner、leader、unit_contact、unit_head' }) roles!: string[];
  @ApiProperty({ description: '是否管理员' }) isAdmin!: boolean;
  @ApiPropertyOptional({ description: '演示模式（npm run demo）时为 true：控制台提供演示页面' }) demo?: boolean;
  @ApiProperty({ description: '督办系统的当前日期（北京时间，YYYY-MM-DD）：控制台据此确定“今年”等默认值，不用浏览器的时钟', example: '2026-03-02' })
  today!: string;
}

const NOT_SIGNED_IN = () => new DomainError('SESSION.NONE', '尚未登录或登录已过期，请重新登录督办系统。', 'unauthenticated');

/**
 * Issue 15 (sign-in): the console's session — opened with a token (the admin token for bootstrap, or a person's) or
 * with the one-time code of a /登录 link; read; closed. The cookie is httpOnly and SameSite=Lax (session.rules.ts).
 */
@ApiTags('session 登录')
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    @Inject(DEMO_SIMULATOR_ON) private readonly demo: boolean,
    private readonly clock: Clock,
  ) {}

  /**
   * Who signed in, and the service's date (Principle 6: the console's "this year" is the service's, not the
   * browser's); in demo mode (issue 16) also that the demo's pages are there.
   */
  private view(actor: Actor): SessionView & { today: string; demo?: true } {
    const view = { ...sessionView(actor), today: shanghaiDate(this.clock.now()) };
    return this.demo ? { ...view, demo: true } : view;
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用令牌登录督办系统（设置会话 Cookie）' })
  @ApiOkResponse({ type: SessionViewDto })
  @ApiUnauthorizedResponse({ description: '令牌、链接或会话无效：{ code, message }' })
  async signIn(@Body() dto: SignInDto, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const actor = await this.tokens.resolve(dto.token);
    if (!actor) {
      throw new DomainError('SESSION.BAD_TOKEN', '令牌无效或已吊销，无法登录。请核对令牌，或在督办助手中发送 /登录 获取登录链接。', 'unauthenticated');
    }
    res.append('Set-Cookie', sessionCookie(await this.sessions.open(actor), this.sessions.secure));
    return this.view(actor);
  }

  @Post('link')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用督办助手发来的一次性链接登录（10分钟内有效，仅可使用一次）' })
  @ApiOkResponse({ type: SessionViewDto })
  @ApiUnauthorizedResponse({ description: '令牌、链接或会话无效：{ code, message }' })
  async signInWithLink(@Body() dto: SignInLinkDto, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const actor = await this.sessions.redeemLoginCode(dto.code);
    if (!actor) throw new DomainError('SESSION.BAD_LINK', '登录链接已使用、已过期或无效。请在督办助手中重新发送 /登录 获取新的链接。', 'unauthenticated');
    res.append('Set-Cookie', sessionCookie(await this.sessions.open(actor), this.sessions.secure));
    return this.view(actor);
  }

  @Get()
  @Public() // answered here: by the cookie, or by a Bearer token
  @ApiOperation({ summary: '当前登录的人员与角色' })
  @ApiOkResponse({ type: SessionViewDto })
  @ApiUnauthorizedResponse({ description: '令牌、链接或会话无效：{ code, message }' })
  async current(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (bearer) {
      const actor = await this.tokens.resolve(bearer[1]);
      if (!actor) throw NOT_SIGNED_IN();
      return this.view(actor);
    }
    const value = sessionFromCookieHeader(req.headers.cookie);
    const found = value ? await this.sessions.resolve(value) : null;
    if (!found) throw NOT_SIGNED_IN();
    if (found.renewed) res.append('Set-Cookie', sessionCookie(value!, this.sessions.secure));
    return this.view(found.actor);
  }

  @Delete()
  @Public() // logging out twice, or with an expired session, is not an error
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录（会话在服务器端作废，Cookie 清除）' })
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const value = sessionFromCookieHeader(req.headers.cookie);
    if (!value) {
      res.append('Set-Cookie', clearedCookie(this.sessions.secure));
      return;
    }
    const from = { method: req.method, origin: req.headers.origin, referer: req.headers.referer, host: req.headers.host };
    if (!sameSite(from, this.sessions.publicBaseUrl)) throw crossSite();
    await this.sessions.revoke(value);
    res.append('Set-Cookie', clearedCookie(this.sessions.secure));
  }
}
