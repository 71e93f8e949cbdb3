import { describe, expect, it } from "vitest";
import { identifiersIn, scrubIdentifiers } from "../../src/people/identifier-scrub.ts";

describe("scrubbing an erased person's names and addresses out of recorded details", () => {
  it("replaces whole names and addresses wherever they sit, case-insensitively, and says whether anything changed", () => {
    const details = {
      email: "Sam.Whitaker@demo.example",
      name: { from: "Sam Whitaker", to: "Samuel Whitaker" },
      managers: ["Priya Natarajan", "sam whitaker"],
      note: "Invited sam.whitaker@demo.example, then Sam Whitaker joined.",
      count: 3,
    };
    const { value, changed } = scrubIdentifiers(details, ["Sam Whitaker", "sam.whitaker@demo.example", "Samuel Whitaker"]);
    expect(changed).toBe(true);
    expect(value).toEqual({
      email: "(erased)",
      name: { from: "(erased)", to: "(erased)" },
      managers: ["Priya Natarajan", "(erased)"],
      note: "Invited (erased), then (erased) joined.",
      count: 3,
    });
  });

  it("leaves longer words and other addresses that merely contain the identifier alone", () => {
    const details = { names: ["Alice", "Al", "Hal"], emails: ["al@example.com", "sal@example.com", "al@example.com.au"] };
    const { value, changed } = scrubIdentifiers(details, ["Al", "al@example.com"]);
    expect(value).toEqual({ names: ["Alice", "(erased)", "Hal"], emails: ["(erased)", "sal@example.com", "al@example.com.au"] });
    expect(changed).toBe(true);
    expect(scrubIdentifiers({ names: ["Alice"] }, ["Al"]).changed).toBe(false);
    expect(scrubIdentifiers({ names: ["Alice"] }, ["", "  "]).changed).toBe(false);
  });

  it("finds the names and addresses a person had in the details of entries about them", () => {
    expect(identifiersIn({ email: "a@example.com", role: "learner" })).toEqual(["a@example.com"]);
    expect(identifiersIn({ name: { from: "Old Name", to: "New Name" }, email: { from: "old@example.com", to: "new@example.com" } })).toEqual([
      "Old Name",
      "New Name",
      "old@example.com",
      "new@example.com",
    ]);
    expect(identifiersIn(["not", "an", "object"])).toEqual([]);
    expect(identifiersIn(null)).toEqual([]);
  });
});
