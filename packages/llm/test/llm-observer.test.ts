import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { callFailure } from "../src/llm-observer.ts";

describe("what a failed model call tells the operator", () => {
  it("keeps the provider's own message, the status and the request id", () => {
    const error = OpenAI.APIError.generate(
      400,
      { error: { message: "Unrecognized request argument supplied: seed", type: "invalid_request_error" } },
      undefined,
      new Headers({ "x-request-id": "req_123" }),
    );
    expect(callFailure("judge-model", "judge", error)).toEqual({
      model: "judge-model",
      purpose: "judge",
      status: 400,
      message: "Unrecognized request argument supplied: seed",
      requestId: "req_123",
    });
  });

  it("says when the provider could not be reached or took too long", () => {
    const refused = new OpenAI.APIConnectionError({ cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    expect(callFailure("m", "persona", refused)).toMatchObject({ status: null, message: "could not connect: connect ECONNREFUSED 127.0.0.1:9", requestId: null });
    expect(callFailure("m", "persona", new OpenAI.APIConnectionTimeoutError())).toMatchObject({ status: null, message: "the request timed out" });
  });
});
