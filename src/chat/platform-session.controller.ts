import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { Public } from '../http/route-access';
import { crossSite, sameSite, sessionCookie } from '../auth/session.rules';
import { sessionView, type SessionView } from '../auth/session.service';
import { clearedOAuthCookie, oauthCookie, oauthFromCookieHeader, signInFailurePath } from './platform-session.rules';
import { PlatformSessionService, type PlatformsView } from './platform-session.service';

export class DingTalkSignInDto {
  @ApiProperty({ description: '钉钉 JSAPI（dd.runtime.permission.requestAuthCode / dd.getAuthCode）取得的免登授权码' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  authCode!: string;
}

class DingTalkPlatformDto {
  @ApiProperty({ description: '钉钉企业 corpId（免登时传给 JSAPI）' }) corpId!: string;
  @ApiProperty({ description: '钉钉 JSAPI 脚本地址（dingtalk.open.js）' }) jsapiUrl!: string;
}

export class PlatformsViewDto implements PlatformsView {
  @ApiProperty({ type: DingTalkPlatformDto, nullable: true, description: '钉钉免登；未开通为 null' }) dingtalk!: DingTalkPlatformDto | null;
  @ApiProperty({ description: '是否开通企业微信网页授权登录' }) wecom!: boolean;
}

const requestOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * Issue 15 (sign-in by the platform): the console opened inside DingTalk signs in with a 免登 code; opened inside WeCom,
 * it goes through WeCom's web authorisation and comes back signed in where it was going. Either way an ordinary console
 * session (cookie) afterwards; a person not registered is told whom to ask and what to give them.
 */
@ApiTags('session 登录')
@Controller('api/session')
export class PlatformSessionController {
  constructor(private readonly signIn: PlatformSessionService) {}

  @Get('platforms')
  @Public()
  @ApiOperation({ summary: '可用的平台登录方式（钉钉免登、企业微信网页授权）' })
  @ApiOkResponse({ type: PlatformsViewDto })
  platforms(): PlatformsView {
    return this.signIn.platforms();
  }

  @Post('dingtalk')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '钉钉内免登：用 JSAPI 取得的授权码登录（授权码5分钟内有效，只能使用一次）' })
  @ApiOkResponse({ description: '登录的人员与角色（同 GET /api/session），并设置会话 Cookie' })
  @ApiUnauthorizedResponse({ description: '授权码无效、已使用或已过期：{ code, message }' })
  @ApiForbiddenResponse({ description: '钉钉账号尚未登记到督办系统：{ code, message, userId }' })
  @ApiNotFoundResponse({ description: '督办系统未开通钉钉免登（未设置 DINGTALK_CORP_ID）' })
  @ApiServiceUnavailableResponse({ description: '暂时连不上钉钉' })
  async dingtalk(@Body() dto: DingTalkSignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    // Login CSRF: only the console's own page may sign its browser in.
    if (!sameSite({ method: req.method, origin: req.headers.origin, referer: req.headers.referer, host: req.headers.host }, this.signIn.sessions.publicBaseUrl))
      throw crossSite();
    const actor = await this.signIn.dingtalkActor(dto.authCode);
    res.append('Set-Cookie', sessionCookie(await this.signIn.sessions.open(actor), this.signIn.sessions.secure));
    return sessionView(actor);
  }

  @Get('wecom/start')
  @Public()
  @ApiOperation({ summary: '企业微信内登录：跳转到企业微信网页授权页，授权后回到 next 指定的督办系统页面' })
  @ApiQuery({ name: 'next', required: false, description: '登录后回到的页面（督办系统内的路径，如 /items/DB2026-0001?do=延期）' })
  @ApiFoundResponse({ description: '302 到企业微信授权页；未开通时 302 回登录页（signin=unavailable）' })
  wecomStart(@Query('next') next: string | undefined, @Req() req: Request, @Res() res: Response): void {
    const to = this.signIn.safeNext(next);
    const go = this.signIn.wecomAuthorize(this.signIn.callbackUrl(requestOrigin(req)));
    res.setHeader('Cache-Control', 'no-store');
    if (!go) return res.redirect(302, signInFailurePath(to, 'unavailable'));
    res.append('Set-Cookie', oauthCookie(go.nonce, to, this.signIn.sessions.secure));
    res.redirect(302, go.url);
  }

  @Get('wecom/callback')
  @Public()
  @ApiOperation({ summary: '企业微信网页授权回调：核对 state，用 code 换取成员 userid，登录后 302 到原页面' })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: false })
  @ApiFoundResponse({ description: '302 到原页面（已登录）；失败时 302 回登录页并说明原因（signin=state|code|outsider|unregistered|unavailable）' })
  async wecomCallback(@Query('code') code: unknown, @Query('state') state: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const trip = oauthFromCookieHeader(req.headers.cookie);
    const next = trip?.next ?? '/';
    const secure = this.signIn.sessions.secure;
    res.setHeader('Cache-Control', 'no-store');
    res.append('Set-Cookie', clearedOAuthCookie(secure));
    const outcome = await this.signIn.wecomActor(code, state, trip?.nonce ?? null);
    if ('failure' in outcome) return res.redirect(302, signInFailurePath(next, outcome.failure, outcome.userId));
    res.append('Set-Cookie', sessionCookie(await this.signIn.sessions.open(outcome.actor), secure));
    res.redirect(302, next);
  }
}
