import { describe, expect, it } from "vitest";
import { learnerWorkAccess, mayCommentOnTranscript, mayOverrideLevels, mayReadOverrides, mayRescoreProgramme, rescoreRight } from "../src/access/access-policy.ts";

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

describe("who may adjudicate a learner's scores", () => {
  it("lets their manager and L&D override levels, never the learner or another manager", () => {
    expect(mayOverrideLevels({ id: "mia", role: "manager" }, "ana", ["mia"])).toBe(true);
    expect(mayOverrideLevels({ id: "lee", role: "ld_admin" }, "ana", ["mia"])).toBe(true);
    expect(mayOverrideLevels({ id: "ana", role: "learner" }, "ana", ["mia"])).toBe(false);
    expect(mayOverrideLevels({ id: "ana", role: "ld_admin" }, "ana", [])).toBe(false);
    expect(mayOverrideLevels({ id: "raj", role: "manager" }, "ana", ["mia"])).toBe(false);
  });

  it("lets only their manager comment on a transcript", () => {
    expect(mayCommentOnTranscript({ id: "mia", role: "manager" }, "ana", ["mia"])).toBe(true);
    expect(mayCommentOnTranscript({ id: "lee", role: "ld_admin" }, "ana", ["mia"])).toBe(false);
    expect(mayCommentOnTranscript({ id: "ana", role: "learner" }, "ana", ["mia"])).toBe(false);
  });

  it("lets the learner, their manager and L&D read the override history", () => {
    expect(mayReadOverrides({ id: "ana", role: "learner" }, "ana", ["mia"])).toBe(true);
    expect(mayReadOverrides({ id: "mia", role: "manager" }, "ana", ["mia"])).toBe(true);
    expect(mayReadOverrides({ id: "lee", role: "ld_admin" }, "ana", ["mia"])).toBe(true);
    expect(mayReadOverrides({ id: "ben", role: "learner" }, "ana", ["mia"])).toBe(false);
  });
});

describe("who may rescore", () => {
  it("lets a person's manager rescore any session, the person only a failed one, and nobody else", () => {
    expect(rescoreRight({ id: "mia", role: "manager" }, "ana", ["mia"])).toBe("any");
    expect(rescoreRight({ id: "ana", role: "learner" }, "ana", ["mia"])).toBe("failed-only");
    expect(rescoreRight({ id: "raj", role: "manager" }, "ana", ["mia"])).toBe("none");
    expect(rescoreRight({ id: "ben", role: "learner" }, "ana", ["mia"])).toBe("none");
  });

  it("keeps L&D admins off one person's session, and gives them the programme's rescore instead", () => {
    expect(rescoreRight({ id: "lee", role: "ld_admin" }, "ana", ["mia"])).toBe("none");
    expect(rescoreRight({ id: "lee", role: "ld_admin" }, "lee", [])).toBe("failed-only");
    expect(mayRescoreProgramme({ id: "lee", role: "ld_admin" })).toBe(true);
    expect(mayRescoreProgramme({ id: "mia", role: "manager" })).toBe(false);
    expect(mayRescoreProgramme({ id: "ana", role: "learner" })).toBe(false);
  });
});
