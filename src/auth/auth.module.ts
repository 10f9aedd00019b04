import { Global, Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { AuthController } from './auth.controller';
import { PersonRetiredSubscriber } from './person-retired.subscriber';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

/**
 * Access tokens: issued and revoked here, resolved by the app-wide AuthGuard on every request — hence global. Issue 15:
 * the console's sessions (cookie) and the bot's one-time sign-in codes live here too.
 */
@Global()
@Module({
  imports: [OrgModule],
  controllers: [AuthController, SessionController],
  providers: [TokenService, SessionService, PersonRetiredSubscriber],
  exports: [TokenService, SessionService],
})
export class AuthModule {}
