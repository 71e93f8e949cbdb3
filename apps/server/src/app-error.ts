import type { ErrorCode, FieldIssue } from "@spar/protocol";

/** An error a route means to send: a stable code, an HTTP status and a message for people. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, "NOT_FOUND", `${what} was not found.`);
export const forbidden = (message = "You do not have access to this.") => new AppError(403, "FORBIDDEN", message);
export const unauthenticated = () => new AppError(401, "UNAUTHENTICATED", "Sign in to continue.");
