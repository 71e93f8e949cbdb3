import { afterEach, describe, expect, it, vi } from "vitest";
import { newMessageId } from "./message-id.ts";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("a learner message's id", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is a random UUID where the page is a secure context", () => {
    expect(newMessageId()).toMatch(uuidV4);
  });

  it("is a random UUID made another way where crypto.randomUUID is missing (plain http)", () => {
    vi.stubGlobal("crypto", { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(uuidV4);
  });
});
