export interface Schedule {
  /** Stops the timer and waits for a run under way, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs `task` now and then every `intervalMs` in this process, never two at once. Every server
 * process runs its own schedules: the tasks are written to be safe however many run at once
 * (each change is conditional in its statement), so no process has to be elected.
 */
export function runEvery(intervalMs: number, task: () => Promise<void>): Schedule {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = task().finally(() => {
      running = null;
    });
  };
  run();
  const timer = setInterval(run, intervalMs);
  // A schedule never keeps a process alive on its own.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
