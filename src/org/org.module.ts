import { Module } from '@nestjs/common';
import { OrgImportService } from './org-import.service';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';

@Module({ controllers: [OrgController], providers: [OrgService, OrgImportService], exports: [OrgService, OrgImportService] })
export class OrgModule {}
