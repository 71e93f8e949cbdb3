// Library files built to stall or crash the validator: each is refused quickly, with a message
// an author can act on, at the line where the problem is.
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { formatIssue } from "../../src/library/yaml-source.ts";

const check = async (text: string) => {
  const started = performance.now();
  const { issues } = await loadLibrary([{ path: "x/x.scenario.yaml", text }]);
  return { messages: issues.map(formatIssue), ms: performance.now() - started };
};

describe("limits on a library file", () => {
  it("refuses 25,000 keys (about 200 KiB) at the value past the limit, in well under a second", async () => {
    const text = Array.from({ length: 25_000 }, (_, index) => `k${index.toString(36)}: v`).join("\n");
    const { messages, ms } = await check(text);
    expect(messages).toEqual(["x/x.scenario.yaml:5000:7  (file)  more than 10,000 values (keys, list items and scalars); a library file needs far fewer: split it or shorten it"]);
    // The yaml package's own duplicate-key check took 25 s on this file; a pass over it takes milliseconds.
    expect(ms).toBeLessThan(2_000);
  });

  it("finds every repeated key in one pass, each with the line of its first appearance", async () => {
    const keys = Array.from({ length: 4_000 }, (_, index) => `key${index % 2_000}: v`).join("\n");
    const { messages, ms } = await check(keys);
    expect(messages).toHaveLength(2_000);
    expect(messages[0]).toBe("x/x.scenario.yaml:2001:1  (file)  this field appears twice (first on line 1)");
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses 2,000 levels of nesting, block or flow, by the depth limit rather than a stack overflow", async () => {
    for (const text of [`${"- ".repeat(2_000)}x`, `a: ${"[".repeat(2_000)}${"]".repeat(2_000)}`, `a: ${"{b: ".repeat(2_000)}1${"}".repeat(2_000)}`]) {
      const { messages } = await check(text);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^x\/x\.scenario\.yaml:1:\d+ {2}\(file\) {2}nesting is deeper than 24 levels$/);
    }
  });

  it("refuses aliases past the limit at the first one too many", async () => {
    const { messages } = await check(`a: &a x\nb: [${Array(60).fill("*a").join(", ")}]`);
    expect(messages).toEqual(["x/x.scenario.yaml:2:205  (file)  more than 50 aliases (*name): refused as a possible resource exhaustion attack"]);
  });

  it("refuses a NUL or another control character at its line and column", async () => {
    expect((await check("id: x\r\ntitle: A\u0000B\n")).messages).toEqual(["x/x.scenario.yaml:2:9  (file)  contains a NUL character (U+0000); remove it"]);
    expect((await check("id: x\ntitle: \u001b[31mred\n")).messages[0]).toContain("2:8  (file)  contains a control character (U+001B)");
  });

  it("reads a file that starts with a byte-order mark as any other", async () => {
    expect((await check("\ufeffid: x\n")).messages).not.toContainEqual(expect.stringContaining("(file)"));
  });
});
