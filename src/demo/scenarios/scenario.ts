import type { SimPlatform } from '../simulator.port';
import type { ScenarioDriver } from './scenario-driver';

/**
 * Issue 16 §5: a guided scenario of the demo — steps that play themselves, each with a caption saying what a visitor
 * should notice. A step acts only the way a visitor could: as a demo person in a chat (the simulator's say/click, so
 * through the fake platform's real path), as the 督查室 or a leader in the console (the services the console's API
 * calls, as that person), or on the demo clock.
 */
export interface ScenarioStep {
  /** Shown large while the step plays: what happens and what to look at (Chinese, for a 督查室 director). */
  caption: string;
  /** Does it and waits until its effect shows in the chats; may return one line saying what came of it. */
  act: (d: ScenarioDriver) => Promise<string | void>;
}

export interface Scenario {
  id: string;
  title: string;
  /** One sentence: what the scenario shows. */
  summary: string;
  /** The chats it plays in: without them (not the demo organisation) it does not start. */
  needs: { title: string; platform: SimPlatform }[];
  steps: ScenarioStep[];
}
