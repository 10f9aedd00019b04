/**
 * Issue 15: what the directory tells the features above it when something is retired. The features own what depends
 * on a unit or a person (items, sessions), so they answer: a subscriber that throws refuses the change (its message
 * says what to do first), and the whole change rolls back with it.
 */
export interface UnitRetiring {
  unitId: number;
  unitName: string;
}

export interface PersonRetiring {
  personId: number;
  personName: string;
}

export interface PersonRetired {
  personId: number;
  at: Date;
}

declare module '../events/event-dispatcher' {
  interface DomainEvents {
    /** Before a unit is retired (停用): cases refuses while it still handles open items. */
    'org.unit-retiring': UnitRetiring;
    /** Before a person is retired: cases refuses while they are the owner or leader of open items. */
    'org.person-retiring': PersonRetiring;
    /** A person was retired: auth ends their sessions and personal tokens. */
    'org.person-retired': PersonRetired;
  }
}
