/**
 * Who listens to a fake's world (the demo's simulator, a test): each landing and card change is told to every
 * listener. A listener's fault is reported through `onFault` and never changes what the fake answers.
 */
export class Watchers<E> {
  private readonly listeners = new Set<(e: E) => void>();

  constructor(private readonly onFault: (error: string) => void) {}

  /** Hear every event from now on; returns the way to stop. */
  add(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(e: E): void {
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (err) {
        this.onFault(err instanceof Error ? err.message : String(err));
      }
    }
  }
}
