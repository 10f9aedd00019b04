/** Issue 16 §5: how a scenario's step ends early. */

/** The visitor pressed 停止: the step in play ends where it is. */
export class ScenarioStopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'ScenarioStopped';
  }
}

/** Something the scenario cannot do (a chat or a card that did not come): said to the visitor. */
export class ScenarioTrouble extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioTrouble';
  }
}
