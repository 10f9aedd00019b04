import { bulletinScenario } from './bulletin.scenario';
import type { Scenario } from './scenario';

/** The guided scenarios of the demo, in the order the page offers them. */
export function scenarios(): Scenario[] {
  return [bulletinScenario()];
}
