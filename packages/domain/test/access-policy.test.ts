import { describe, expect, it } from "vitest";
import { learnerWorkAccess } from "../src/access/access-policy.ts";

describe("who may see a learner's practice work", () => {
  it("lets learners see their own work and nobody else's", () => {
    expect(learnerWorkAccess({ id: "ana", role: "learner" }, "ana", ["mia"])).toBe("own");
    expect(learnerWorkAccess({ id: "ben", role: "learner" }, "ana", ["mia"])).toBe("denied");
  });

  it("lets a manager see the work of their own reports only", () => {
    expect(learnerWorkAccess({ id: "mia", role: "manager" }, "ana", ["mia"])).toBe("as-manager");
    expect(learnerWorkAccess({ id: "raj", role: "manager" }, "ana", ["mia"])).toBe("denied");
  });

  it("keeps individual transcripts from L&D admins", () => {
    expect(learnerWorkAccess({ id: "lee", role: "ld_admin" }, "ana", ["mia"])).toBe("denied");
  });

  it("does not let a learner listed as a manager id through", () => {
    expect(learnerWorkAccess({ id: "mia", role: "learner" }, "ana", ["mia"])).toBe("denied");
  });
});
