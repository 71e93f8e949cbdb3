import { describe, expect, it } from "vitest";
import { HeldOutput } from "./held-output.ts";

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe("HeldOutput", () => {
  it("gives what was said while the turn was being written, in order, once it is stored, then passes calls straight through", async () => {
    const stored = deferred<boolean>();
    const said: string[] = [];
    const held = new HeldOutput(stored.promise, () => said.push("refused"));
    held.run(() => said.push("start"));
    held.run(() => said.push("Fine,"));
    expect(said).toEqual([]);
    stored.resolve(true);
    expect(await held.stored).toBe(true);
    expect(said).toEqual(["start", "Fine,"]);
    held.run(() => said.push(" go on."));
    expect(said).toEqual(["start", "Fine,", " go on."]);
  });

  it("drops everything and stops the reply when the turn is not stored", async () => {
    const stored = deferred<boolean>();
    const said: string[] = [];
    const held = new HeldOutput(stored.promise, () => said.push("refused"));
    held.run(() => said.push("start"));
    stored.resolve(false);
    expect(await held.stored).toBe(false);
    held.run(() => said.push("late"));
    expect(said).toEqual(["refused"]);
  });

  it("treats a failed write as a turn not stored", async () => {
    const stored = deferred<boolean>();
    const said: string[] = [];
    const held = new HeldOutput(stored.promise, () => said.push("refused"));
    held.run(() => said.push("start"));
    stored.reject(new Error("connection lost"));
    expect(await held.stored).toBe(false);
    expect(said).toEqual(["refused"]);
  });
});
