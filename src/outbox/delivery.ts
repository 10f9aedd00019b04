/**
 * How a delivery failed: `retry` (throttled, busy, network — try again later, maybe after `afterMs`)
 * or `permanent` (bad request, quota gone — a dead letter an admin can look at and retry).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'retry' | 'permanent',
    message: string,
    readonly afterMs?: number,
  ) {
    super(message);
  }
}
