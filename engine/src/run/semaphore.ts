/** At most `slots` holders at once; waiters are served first come, first served. */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly slots: number) {
    this.#free = slots;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Cancelled work still waits its turn, then returns at once: callers check their signal after acquiring. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
