import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../shared/actor';
import { TokenService } from '../auth/token.service';
import { PersonIdentity } from '../org/person-identity.entity';
import type { BotEvent } from './bot-event';
import { DirectoryCache } from '../org/directory-cache';

const PLATFORM_NAMES = { dingtalk: '钉钉', wecom: '企业微信' } as const;

/** P3: a platform user id → the person and their roles. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly directory: DirectoryCache,
  ) {}

  /** An identity imported without a corp id matches any corp of that platform (single-corp deployments). */
  async resolve(event: Pick<BotEvent, 'platform' | 'corpId' | 'userId'>, em: EntityManager = this.db.manager): Promise<Actor | null> {
    // Issue 17: once per person for a few seconds (DirectoryCache), not three reads per click; a change to the
    // directory (a person retired, a role taken away, an account unbound) is seen at the next click.
    const key = `actor:${event.platform}:${event.corpId}:${event.userId}`;
    const actor = await this.directory.get(key, () => this.lookUp(event, em), em);
    return actor && { ...actor, grants: [...actor.grants] };
  }

  private async lookUp(event: Pick<BotEvent, 'platform' | 'corpId' | 'userId'>, em: EntityManager): Promise<Actor | null> {
    const ids = await em.findBy(PersonIdentity, { platform: event.platform, externalUserId: event.userId, corpId: In(['', event.corpId]) });
    const id = ids.find((i) => i.corpId === event.corpId) ?? ids[0];
    if (!id) return null;
    return this.tokens.actorFor(id.personId, event.platform, em);
  }

  static bindingHint(event: Pick<BotEvent, 'platform' | 'userId'>): string {
    return (
      `您的${PLATFORM_NAMES[event.platform]}账号（用户ID：${event.userId}）还没有登记到督办系统，暂时不能办理。` +
      '请把这个用户ID发给本单位联络员或督查室，登记后即可使用。'
    );
  }
}
