import { Injectable } from '@nestjs/common';

/** Principle 6: one clock. Everything that needs "now" receives it from here; tests and the demo move it. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * Issue 16: the clock of security lifetimes — console sessions and the one-time sign-in codes, the signed item links,
 * the platform sign-in's OAuth state, callback signature windows and replay records, the platforms' access tokens and
 * response codes. They measure real time, whatever the service clock does: the demo clock runs fast and jumps a day
 * at a time, and a visitor must not be signed out by it (nor a platform's callback refused as stale). It is the
 * system clock in the demo (and in production, where the two are the same); a test gives it its own clock to see
 * things expire (ConfigModule: by default the clock the service was given, unless that is the demo clock).
 */
export abstract class SecurityClock {
  abstract now(): Date;
}

/** A clock tests set by hand. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Real time shifted by an offset: time passes as usual, and a test or the demo can jump ahead. */
export class OffsetClock extends Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * The demo clock (issue 6 §6): real time, jumped ahead and/or sped up, so a newcomer watches a day of 13710
 * reminders in a minute. Only `npm run demo` (DUBAN_DEMO_CLOCK=true) uses it; an admin moves it over the API.
 */
export class DemoClock extends Clock {
  private base = Date.now();
  private simulatedAtBase = Date.now();
  private speed = 1;

  now(): Date {
    return new Date(this.simulatedAtBase + (Date.now() - this.base) * this.speed);
  }

  /** Jump ahead (never back: reminders and timelines must not see time run backwards). */
  advance(ms: number): void {
    this.rebase();
    this.simulatedAtBase += Math.max(0, ms);
  }

  setSpeed(speed: number): void {
    this.rebase();
    this.speed = Math.min(10_000, Math.max(1, speed));
  }

  state(): { now: Date; speed: number } {
    return { now: this.now(), speed: this.speed };
  }

  private rebase(): void {
    this.simulatedAtBase = this.now().getTime();
    this.base = Date.now();
  }
}
