import { z } from "zod";

/** Stable error codes: clients branch on these, never on message text. */
export const ErrorCode = z.enum([
  "BAD_REQUEST",
  "VALIDATION_FAILED",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "ALREADY_SET_UP",
  "LINK_INVALID",
  "PASSWORD_SIGN_IN_OFF",
  "RATE_LIMITED",
  "FOREIGN_ORIGIN",
  "HOST_NOT_ALLOWED",
  "PAYLOAD_TOO_LARGE",
  "OVERLOADED",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({
  path: z.string().describe("Dotted path of the offending field, e.g. `email` or `members.2.role`."),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    issues: z.array(FieldIssue).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
