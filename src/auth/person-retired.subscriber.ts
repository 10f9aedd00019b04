import { Injectable, OnModuleInit } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { EventDispatcher } from '../events/event-dispatcher';
import { ApiToken } from '../org/api-token.entity';
import type { PersonRetired } from '../org/org.events';
import { ConsoleSession } from './console-session.entity';

/**
 * Issue 15: a person retired (停用) is signed out everywhere in the same transaction — their console sessions and
 * personal tokens are revoked, so bringing the person back later does not bring back what they held (new tokens are
 * issued then). TokenService.actorFor refuses a retired person anyway; this makes it visible in the token list.
 */
@Injectable()
export class PersonRetiredSubscriber implements OnModuleInit {
  constructor(private readonly events: EventDispatcher) {}

  onModuleInit(): void {
    this.events.on('org.person-retired', { order: 10, name: 'auth.sign-out' }, (em, e) => this.signOut(em, e));
  }

  async signOut(em: EntityManager, { personId, at }: PersonRetired): Promise<void> {
    await em.update(ApiToken, { personId, revokedAt: IsNull() }, { revokedAt: at });
    await em.update(ConsoleSession, { personId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
