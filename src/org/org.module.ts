import { Module } from '@nestjs/common';
import { OrgEditService } from './org-edit.service';
import { OrgImportService } from './org-import.service';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';

@Module({ controllers: [OrgController], providers: [OrgService, OrgImportService, OrgEditService], exports: [OrgService, OrgImportService, OrgEditService] })
export class OrgModule {}
