import { describe, expect, it } from "vitest";
import { oneToOneOver, sessionsSince } from "./one-to-ones.ts";

describe("practice since a one-to-one", () => {
  const sessions = [
    { id: "morning, before the talk", startedAt: "2026-11-20T08:00:00.000Z" },
    { id: "afternoon, after the talk", startedAt: "2026-11-20T15:00:00.000Z" },
    { id: "next week", startedAt: "2026-11-27T09:00:00.000Z" },
  ];

  it("counts only what started after the record was saved on the day", () => {
    const talk = { heldOn: "2026-11-20", recordedAt: "2026-11-20T11:30:00.000Z" };
    expect(sessionsSince(talk, sessions).map((session) => session.id)).toEqual(["afternoon, after the talk", "next week"]);
  });

  it("counts from the end of the day it was held when it was written up later", () => {
    const talk = { heldOn: "2026-11-20", recordedAt: "2026-11-24T10:00:00.000Z" };
    expect(oneToOneOver(talk).toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(sessionsSince(talk, sessions).map((session) => session.id)).toEqual(["next week"]);
  });
});
