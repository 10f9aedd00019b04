import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenService } from '../../auth/token.service';
import { BulletinService } from '../../bulletins/bulletin.service';
import { ItemCommandsService } from '../../cases/item-commands.service';
import { RegistrationService } from '../../cases/registration.service';
import { QuietHold } from '../../reminders/quiet-hold';
import { Clock } from '../../shared/clock';
import { conflict, DomainError, notFound } from '../../shared/errors';
import { SIMULATOR, SimRefusal, type SimulatorPort } from '../simulator.port';
import type { Scenario } from './scenario';
import { ScenarioStopped, ScenarioTrouble } from './scenario-errors';
import { ScenarioDriver } from './scenario-driver';
import type { ScenarioProgress } from './scenario-progress';
import { scenarios } from './scenarios';

/** How the scenarios are paced: a pause before each step so a visitor reads its caption, and how long to wait for a chat. */
export interface ScenarioPace {
  pauseMs: number;
  patienceMs: number;
  /** Between the two looks that find nothing left due before a clock jump: longer than one reminder tick. */
  settleLookMs: number;
}
export const SCENARIO_PACE = Symbol('SCENARIO_PACE');
export const DEFAULT_PACE: ScenarioPace = { pauseMs: 3_500, patienceMs: 90_000, settleLookMs: 1_200 }; // the demo ticks every second

/**
 * Issue 16 §5: plays one guided scenario at a time, step after step with a pause between, publishing its progress;
 * 停止 ends it where it is — whatever it did stays, and the visitor carries on by hand.
 */
@Injectable()
export class ScenarioRunner implements OnModuleDestroy {
  private readonly log = new Logger('demo-scenarios');
  private progress: ScenarioProgress = { state: 'idle', step: 0, total: 0, done: [] };
  private abort: AbortController | null = null;
  private readonly listeners = new Set<(p: ScenarioProgress) => void>();

  constructor(
    @Inject(SIMULATOR) private readonly sim: SimulatorPort,
    @Inject(SCENARIO_PACE) private readonly pace: ScenarioPace,
    private readonly clock: Clock,
    private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly registration: RegistrationService,
    private readonly commands: ItemCommandsService,
    private readonly bulletins: BulletinService,
    private readonly quiet: QuietHold,
  ) {}

  list(): Scenario[] {
    return scenarios();
  }

  status(): ScenarioProgress {
    return { ...this.progress, done: this.progress.done.slice() };
  }

  subscribe(listener: (p: ScenarioProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(id: string): ScenarioProgress {
    // A fresh copy each time: a scenario keeps what its steps made (an item's number) for its later steps.
    const scenario = scenarios().find((s) => s.id === id);
    if (!scenario) throw notFound('DEMO.NO_SCENARIO', '没有这个演示场景。请刷新页面，从「演示场景」的列表中选择。');
    if (this.progress.state === 'running') throw conflict('DEMO.SCENARIO_RUNNING', `「${this.progress.title}」正在播放。请先点「停止」，再开始另一个场景。`);
    const chats = this.sim.chats();
    const missing = scenario.needs.filter((n) => !chats.some((c) => c.title === n.title && c.platform === n.platform));
    if (missing.length)
      throw conflict(
        'DEMO.SCENARIO_CHATS_MISSING',
        `演示中没有「${missing.map((m) => m.title).join('」「')}」，无法播放「${scenario.title}」。请用 npm run demo 启动演示（它自带演示组织和这些聊天）。`,
      );
    const abort = new AbortController();
    this.abort = abort;
    this.set({ state: 'running', scenarioId: scenario.id, title: scenario.title, step: 0, total: scenario.steps.length, done: [] });
    void this.play(scenario, abort.signal);
    return this.status();
  }

  /** The visitor takes over: the step in play ends where it is; what was done stays. */
  stop(): ScenarioProgress {
    if (this.progress.state === 'running') {
      this.abort?.abort();
      this.set({
        ...this.progress,
        state: 'stopped',
        caption: undefined,
        message: `已停止「${this.progress.title}」（第${this.progress.step}步起未再继续）。已经发生的都保留在聊天里，您可以在「我是」中选一位演示人员，接着自己操作。`,
      });
    }
    return this.status();
  }

  onModuleDestroy(): void {
    this.abort?.abort();
    this.listeners.clear();
  }

  private async play(scenario: Scenario, signal: AbortSignal): Promise<void> {
    const driver = new ScenarioDriver(
      {
        sim: this.sim,
        clock: this.clock,
        db: this.db,
        tokens: this.tokens,
        registration: this.registration,
        commands: this.commands,
        bulletins: this.bulletins,
        quiet: this.quiet,
      },
      signal,
      this.pace.patienceMs,
      Math.min(this.pace.pauseMs, 1_500),
      this.pace.settleLookMs,
    );
    try {
      for (const [i, step] of scenario.steps.entries()) {
        this.set({ ...this.progress, step: i + 1, caption: step.caption });
        // The visitor reads what is about to happen before it happens.
        await driver.pause(this.pace.pauseMs);
        driver.markStep();
        const result = (await step.act(driver)) ?? undefined;
        if (signal.aborted) return;
        this.set({ ...this.progress, done: [...this.progress.done, { caption: step.caption, ...(result ? { result } : {}) }] });
      }
      await driver.pause(Math.min(this.pace.pauseMs, 1_000));
      this.set({
        ...this.progress,
        state: 'done',
        caption: undefined,
        message: `「${scenario.title}」已演示完毕。聊天里的一切都保留着，您可以在「我是」中选一位演示人员接着操作，或开始另一个场景。`,
      });
    } catch (e) {
      if (e instanceof ScenarioStopped || signal.aborted) return;
      const known = e instanceof ScenarioTrouble || e instanceof DomainError || e instanceof SimRefusal;
      const said = known ? e.message : '场景中的一步没有完成。';
      if (!known) this.log.warn(JSON.stringify({ event: 'scenario_failed', scenario: scenario.id, error: String(e) }));
      this.set({
        ...this.progress,
        state: 'failed',
        caption: undefined,
        message: `「${scenario.title}」第${this.progress.step}步未能完成：${said} 已经发生的都保留在聊天里，您可以接着自己操作，或重新开始这个场景。`,
      });
    } finally {
      if (this.abort?.signal === signal) this.abort = null;
    }
  }

  private set(p: ScenarioProgress): void {
    this.progress = p;
    const copy = this.status();
    for (const l of this.listeners) {
      try {
        l(copy);
      } catch {
        /* a closed stream must not stop the others */
      }
    }
  }
}
