import { describe, expect, it } from "vitest";
import { documentProblem, documentText, text, textProblem } from "../src/text.ts";

describe("the text rule", () => {
  it("accepts what people type: tabs, line ends, accents, emoji, right-to-left marks, code-looking text", () => {
    for (const value of ["", "Line one\r\nline\ttwo\rthree", "Émile's café 👩🏽‍💻", "\u202eevil.exe", "'; DROP TABLE users; --", "<b>x</b>", "\u200b\ufeff"]) {
      expect(textProblem(value), JSON.stringify(value)).toBeNull();
    }
  });

  it("refuses NUL, other control characters and halves of surrogate pairs, naming the first and where it is", () => {
    expect(textProblem("ab\u0000c")).toBe("contains a NUL character (U+0000) at character 3; remove it");
    expect(textProblem("x\u001b[31m")).toBe("contains a control character (U+001B) at character 2; remove it");
    expect(textProblem("\u0085")).toBe("contains a control character (U+0085) at character 1; remove it");
    expect(textProblem("\u007f")).toBe("contains a control character (U+007F) at character 1; remove it");
    expect(textProblem("cut 😀\ud83d")).toBe("contains half of a character (U+D83D, an unpaired surrogate) at character 7; remove it");
    expect(textProblem("\udc00")).toMatch(/U\+DC00/);
  });

  it("says the line and column of a refused character in a whole file", () => {
    expect(documentProblem("a,b\r\nc,\u0000d\n")).toEqual({ line: 2, column: 3, problem: "contains a NUL character (U+0000); remove it" });
    expect(documentProblem("one\rtwo\u0001")).toMatchObject({ line: 2, column: 4 });
    expect(documentProblem("fine\n")).toBeNull();
  });

  it("is carried by the schema builders, beside each field's own checks", () => {
    const field = text().trim().min(1).max(10);
    expect(field.parse("  fine  ")).toBe("fine");
    expect(field.safeParse("no\u0000").error?.issues.map((issue) => issue.message)).toEqual(["contains a NUL character (U+0000) at character 3; remove it"]);
    expect(documentText().safeParse("x\n\u0007").error?.issues[0]?.message).toBe("line 2, column 1: contains a control character (U+0007); remove it");
  });
});
