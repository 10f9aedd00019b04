import { bulletinScenario } from './bulletin.scenario';
import { overdueScenario } from './overdue.scenario';
import type { Scenario } from './scenario';
import { walkScenario } from './walk.scenario';

/** The guided scenarios of the demo, in the order the page offers them. */
export function scenarios(): Scenario[] {
  return [walkScenario(), overdueScenario(), bulletinScenario()];
}
