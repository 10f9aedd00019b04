import { Module } from '@nestjs/common';
import { OrgEditService } from './org-edit.service';
import { OrgImportService } from './org-import.service';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';
import { DirectoryCache } from './directory-cache';

@Module({
  controllers: [OrgController],
  providers: [OrgService, OrgImportService, OrgEditService, DirectoryCache],
  exports: [OrgService, OrgImportService, OrgEditService, DirectoryCache],
})
export class OrgModule {}
