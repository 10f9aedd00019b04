import { Global, Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { AuthController } from './auth.controller';
import { TokenService } from './token.service';

/** Access tokens: issued and revoked here, resolved by the app-wide AuthGuard on every request — hence global. */
@Global()
@Module({ imports: [OrgModule], controllers: [AuthController], providers: [TokenService], exports: [TokenService] })
export class AuthModule {}
