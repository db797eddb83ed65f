import { systemClock, type Clock } from '../../protocol/index.js';

/** Limits of {@link LoginRateLimiter}. */
export interface LoginRateLimitOptions {
  /** Failed logins allowed per username and address in a window. Default 5. */
  perUserAndAddress?: number;
  /** Failed logins allowed per address in a window, whatever the usernames (spraying). Default 30. */
  perAddress?: number;
  /** Window length. Default 60 s. */
  windowMs?: number;
  clock?: Clock;
}

/** Whether a login may be tried now; when not, how long to wait (for `Retry-After`). */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

/**
 * Counts failed logins in a sliding window, per (username, address) and per address. A blocked
 * attempt is refused before its password is looked at, so a right guess is no use while blocked.
 * A success clears its (username, address) count. In memory: a restart forgets, which costs an
 * attacker one restart per window, acceptable for a single-process controller.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perUserAndAddress: number;
  private readonly perAddress: number;
  private readonly windowMs: number;
  private readonly clock: Clock;

  constructor(options: LoginRateLimitOptions = {}) {
    this.perUserAndAddress = options.perUserAndAddress ?? 5;
    this.perAddress = options.perAddress ?? 30;
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  /** May `username` try to log in from `address` now? */
  check(username: string, address: string): RateDecision {
    const now = this.clock.now();
    const waits = [this.waitS(`u:${username.toLowerCase()}|${address}`, this.perUserAndAddress, now), this.waitS(`a:${address}`, this.perAddress, now)];
    const retryAfterS = Math.max(...waits);
    return retryAfterS > 0 ? { ok: false, retryAfterS } : { ok: true };
  }

  /** Records a failed login. */
  fail(username: string, address: string): void {
    const now = this.clock.now();
    for (const key of [`u:${username.toLowerCase()}|${address}`, `a:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
    // Bound memory under a flood of distinct usernames/addresses: drop keys with nothing recent.
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) if (this.recent(key, now).length === 0) this.failures.delete(key);
  }

  /** Records a successful login: that user's count from that address starts again. */
  succeed(username: string, address: string): void {
    this.failures.delete(`u:${username.toLowerCase()}|${address}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private waitS(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    // Blocked until the oldest failure that keeps the count at the limit leaves the window.
    const until = times[times.length - limit]! + this.windowMs;
    return Math.max(1, Math.ceil((until - now) / 1000));
  }
}
