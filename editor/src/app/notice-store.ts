/** Short messages at the bottom of the canvas: a refused wire, a failed upload, a finished run. */
export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

const SHOW_MS = { info: 4000, error: 9000 } as const;

export class NoticeStore {
  #notices: readonly Notice[] = [];
  #count = 0;
  readonly #listeners = new Set<() => void>();

  getSnapshot = (): readonly Notice[] => this.#notices;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  notify(text: string, tone: Notice['tone'] = 'info'): void {
    this.#count += 1;
    const id = this.#count;
    // The same text twice in a row shows once.
    this.#set([...this.#notices.filter((notice) => notice.text !== text), { id, text, tone }].slice(-4));
    setTimeout(() => this.dismiss(id), SHOW_MS[tone]);
  }

  dismiss(id: number): void {
    if (this.#notices.some((notice) => notice.id === id)) this.#set(this.#notices.filter((notice) => notice.id !== id));
  }

  #set(notices: readonly Notice[]): void {
    this.#notices = notices;
    for (const listener of this.#listeners) listener();
  }
}
