import { describe, expect, it } from "vitest";
import { enclosingPath, keyAt, lineTokens, listItem } from "./yaml-key-path.ts";

const scenario = [
  "# a comment",
  "id: missed-deadline",
  "brief:",
  "  role: >",
  "    You lead: the team.",
  "  situation: |",
  "",
  "persona:",
  "  hidden:",
  "    - id: launch-risk",
  "      fact: He knew.",
  "    - ",
];

describe("where a position sits in a YAML document", () => {
  it("reads the keys and list dashes a line opens", () => {
    expect(lineTokens("    - id: launch-risk")).toEqual([
      { column: 4, step: listItem },
      { column: 6, step: "id" },
    ]);
    expect(lineTokens("  # not a key: here")).toEqual([]);
  });

  it("finds the keys that enclose a node, through list items and past block text", () => {
    expect(enclosingPath(scenario, 1, 0)).toEqual([]);
    expect(enclosingPath(scenario, 5, 2)).toEqual(["brief"]);
    expect(enclosingPath(scenario, 10, 6)).toEqual(["persona", "hidden", listItem]);
    // A half-typed item ("- " and nothing yet) already sits in the list.
    expect(enclosingPath(scenario, 11, 6)).toEqual(["persona", "hidden", listItem]);
  });

  it("names the key under a column, and nothing in a value", () => {
    expect(keyAt("  situation: |", 4)).toEqual({ key: "situation", from: 2, to: 11 });
    expect(keyAt("  situation: |", 13)).toBeNull();
  });
});
