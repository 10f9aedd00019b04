import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { OutageLog } from '../database/outage';

/** A periodic job a module owns: what it does, and how its failures are logged. */
export interface JobSpec {
  /** Unique in the app, e.g. 'reminders.tick'; the SchedulerRegistry lists the job by this name. */
  name: string;
  run: () => Promise<void>;
  /** Logger context and the `where` of its database-outage lines, e.g. 'reminders'. */
  logger: string;
  /** The log event of a failure that is not a database outage, e.g. 'reminder_tick_failed'. */
  failedEvent: string;
}

/**
 * Periodic jobs through @nestjs/schedule's SchedulerRegistry (after immich's cron.repository): each module adds its own
 * job by name at bootstrap. A run still going when its next turn comes is not started again (the overlap guard, per
 * instance); work that must happen once across instances keeps its database claims. A database outage fails every run
 * the same way: logged once, then every 30 s, then once when it is back (OutageLog).
 */
@Injectable()
export class JobsService implements BeforeApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  /** This service's jobs by name; a chain's entry is also its token (removed, or added again under the name, it stops). */
  private readonly mine = new Map<string, { kind: 'interval' | 'cron' | 'chain' }>();

  constructor(private readonly registry: SchedulerRegistry) {}

  /** Runs `job` every `everyMs` (the first run after one interval, as setInterval does). */
  addInterval(job: JobSpec, everyMs: number): void {
    this.registry.addInterval(job.name, setInterval(this.guarded(job), everyMs));
    this.mine.set(job.name, { kind: 'interval' });
  }

  /** Runs `job` on a cron expression (Asia/Shanghai unless told otherwise). */
  addCron(job: JobSpec, expression: string, timeZone = 'Asia/Shanghai'): void {
    this.registry.addCronJob(job.name, CronJob.from({ cronTime: expression, onTick: this.guarded(job), start: true, timeZone }));
    this.mine.set(job.name, { kind: 'cron' });
  }

  /**
   * Runs `job` after `firstAfterMs`, then `everyMs` after each run has ended (a chain of timeouts, not a fixed rate: a
   * slow run puts the next one off instead of being overtaken). The registry lists it among its timeouts by name.
   */
  addChain(job: JobSpec, everyMs: number, firstAfterMs = everyMs): void {
    const run = this.runner(job);
    const entry = { kind: 'chain' as const };
    const arm = (ms: number) => {
      if (this.registry.doesExist('timeout', job.name)) this.registry.deleteTimeout(job.name);
      this.registry.addTimeout(
        job.name,
        setTimeout(() => {
          void run().then(() => {
            if (this.mine.get(job.name) === entry) arm(everyMs);
          });
        }, ms),
      );
    };
    this.mine.set(job.name, entry);
    arm(firstAfterMs);
  }

  remove(name: string): void {
    const kind = this.mine.get(name)?.kind;
    if (kind === 'interval' && this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    if (kind === 'cron' && this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    if (kind === 'chain' && this.registry.doesExist('timeout', name)) this.registry.deleteTimeout(name);
    this.mine.delete(name);
  }

  names(): string[] {
    return [...this.mine.keys()];
  }

  /** Stops every job and waits for runs in flight, before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of [...this.mine.keys()]) this.remove(name);
    await Promise.all(this.running.values());
  }

  private guarded(job: JobSpec): () => void {
    const run = this.runner(job);
    return () => void run();
  }

  /** One run of `job`, its failures logged; a run still going is not started again (its promise is returned). */
  private runner(job: JobSpec): () => Promise<void> {
    const log = new Logger(job.logger);
    const outage = new OutageLog(log, job.logger);
    return () => {
      const inFlight = this.running.get(job.name);
      if (inFlight) return inFlight; // a slow run is not overtaken by the next one
      const run = (async () => {
        try {
          await job.run();
          outage.succeeded();
        } catch (e) {
          if (!outage.failed(e)) log.error(JSON.stringify({ event: job.failedEvent, error: e instanceof Error ? e.message : String(e) }));
        } finally {
          this.running.delete(job.name);
        }
      })();
      this.running.set(job.name, run);
      return run;
    };
  }
}
