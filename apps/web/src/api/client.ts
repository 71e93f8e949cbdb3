import { ErrorBody, type ErrorCode, type FieldIssue } from "@spar/protocol";
import type { z } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "NETWORK",
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * Calls the Spar API and checks the answer against its protocol schema, so a mismatch between
 * server and client shows up as an error here rather than as undefined somewhere in a page.
 */
export async function api<Schema extends z.ZodType>(
  path: string,
  schema: Schema | null,
  init: { method?: string; body?: unknown } = {},
): Promise<z.infer<Schema>> {
  return send(path, schema, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** Like `api()`, for a body that is not JSON (a CSV file's text); the answer is still JSON. */
export function apiText<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  init: { method?: string; body: string; contentType: string },
): Promise<z.infer<Schema>> {
  return send(path, schema, {
    method: init.method ?? "POST",
    headers: { "content-type": init.contentType },
    body: init.body,
  });
}

async function send<Schema extends z.ZodType>(
  path: string,
  schema: Schema | null,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
): Promise<z.infer<Schema>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "NETWORK", "Spar could not be reached. Check your connection and try again.");
  }
  if (!response.ok) {
    const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
    if (parsed.success) {
      const { code, message, issues } = parsed.data.error;
      throw new ApiError(response.status, code, message, issues);
    }
    throw new ApiError(response.status, "INTERNAL", `The server answered ${response.status}.`);
  }
  if (schema === null || response.status === 204) return undefined as z.infer<Schema>;
  return schema.parse(await response.json());
}
