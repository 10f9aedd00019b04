/**
 * Issue 16 §5: the guided scenarios as the page sees them (GET /api/demo/scenarios, …/status, …/events). Imports
 * nothing, so the console (web/src/pages/simulator/types.ts) shares these types with the service.
 */

export type ScenarioState = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

/** A scenario on offer: what it shows and the captions of its steps. */
export interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  steps: string[];
}

export interface ScenarioProgress {
  state: ScenarioState;
  scenarioId?: string;
  title?: string;
  /** The step playing (1-based) — or, once over, the last step reached; 0 before any. */
  step: number;
  total: number;
  /** The caption of the step playing. */
  caption?: string;
  /** The steps played to the end, in order, each with what came of it. */
  done: { caption: string; result?: string }[];
  /** Once it is over: what happened and what the visitor may do now. */
  message?: string;
}
