/**
 * A token bucket: `ratePerSecond` sustained, bursts up to `capacity`. Per connection, not per
 * IP: a whole venue shares one NAT address.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes `amount` tokens if available. */
  take(amount: number, now = performance.now()): boolean {
    this.refill(now);
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /**
   * Takes `amount` tokens for something already done (time spent, say), even into debt;
   * returns false once the bucket is in debt.
   */
  spend(amount: number, now = performance.now()): boolean {
    this.refill(now);
    this.tokens -= amount;
    return this.tokens >= 0;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}
