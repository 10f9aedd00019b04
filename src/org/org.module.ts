import { Module } from '@nestjs/common';
import { TokenService } from '../auth/token.service';
import { OrgImportService } from './org-import.service';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';

@Module({ controllers: [OrgController], providers: [OrgService, OrgImportService, TokenService], exports: [OrgService, OrgImportService, TokenService] })
export class OrgModule {}
