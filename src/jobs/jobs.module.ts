import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsService } from './jobs.service';

/** Import it where a module owns a periodic job (issue 12: each module owns its own jobs). */
@Module({ imports: [ScheduleModule.forRoot()], providers: [JobsService], exports: [JobsService] })
export class JobsModule {}
