import { describe, expect, it } from "vitest";
import { PauseWatcher } from "./pause-watcher.ts";

describe("watching for the learner's pauses", () => {
  it("tells once when speech goes quiet and once when it comes back, and nothing outside speech", () => {
    const told: string[] = [];
    const watcher = new PauseWatcher({ speech: 0.5, quiet: 0.35 }, { onPause: () => told.push("pause"), onResume: () => told.push("resume") });
    watcher.frame(0.1);
    watcher.started();
    for (const probability of [0.9, 0.8, 0.4, 0.2, 0.1, 0.3, 0.45, 0.7, 0.9, 0.1]) watcher.frame(probability);
    watcher.stopped();
    watcher.frame(0.9);
    watcher.frame(0.1);
    expect(told).toEqual(["pause", "resume", "pause"]);
  });
});
