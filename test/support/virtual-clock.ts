// A clock whose time moves only when a test says so: timers run in order, and promise chains settle between them.
import type { Clock } from '../../main/scheduler/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class VirtualClock implements Clock {
  private t = 1_700_000_000_000;
  private seq = 0;
  private timers: Timer[] = [];
  /** Timers whose callbacks are silently dropped (a lost wake-up), for watchdog tests. */
  dropping = false;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Lets every promise chain that can move without time passing do so. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  /** Advances time timer by timer until `done()` or until `maxMs` of virtual time passed; returns whether done. */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const end = this.t + maxMs;
    for (;;) {
      await this.settle();
      if (done()) return true;
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) return done();
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      if (!this.dropping) next.fn();
    }
  }

  /** Moves time forward without running anything (the watchdog's view of a stuck queue). */
  jump(ms: number): void {
    this.t += ms;
  }
}
