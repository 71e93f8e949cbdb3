/**
 * A reply's output held back until the learner turn it answers is stored: a reply may begin
 * while that turn is still being written (so the write is not waited for before the persona's
 * first token), but nobody sees a word of it, and it is not committed, unless the turn is
 * stored. What was said meanwhile is given in order once it is; if it is not, it is dropped and
 * `onRefused` stops the reply.
 */
export class HeldOutput {
  // Calls waiting for the turn to be stored; null once they pass straight through.
  #waiting: (() => void)[] | null = [];
  #refused = false;
  readonly stored: Promise<boolean>;

  constructor(stored: Promise<boolean>, onRefused: () => void) {
    this.stored = stored.then(
      (yes) => yes,
      () => false,
    );
    void this.stored.then((yes) => {
      const waiting = this.#waiting ?? [];
      this.#waiting = yes ? null : [];
      if (!yes) {
        this.#refused = true;
        onRefused();
        return;
      }
      for (const call of waiting) call();
    });
  }

  /** Runs `call` now if the turn is stored, later if it is being written, never if it was refused. */
  run(call: () => void): void {
    if (this.#refused) return;
    if (this.#waiting) this.#waiting.push(call);
    else call();
  }
}
