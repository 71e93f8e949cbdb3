import type { ErrorBody, ErrorCode } from "@spar/protocol";
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError } from "../app-error.ts";
import type { AppMetrics } from "../metrics/metrics.ts";

const codeForStatus: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "RATE_LIMITED",
};

/**
 * Every error leaves as `{ error: { code, message, requestId } }`; a 5xx never shows internals.
 * Each is counted by its code in spar_errors_total.
 */
export const errorHandler = fp(async (app: FastifyInstance, { metrics }: { metrics: AppMetrics }) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (status: number, body: ErrorBody["error"]) => {
      metrics.errors.inc({ code: body.code, transport: "http" });
      return reply.status(status).send({ error: { ...body, requestId: request.id } } satisfies ErrorBody);
    };

    if (error instanceof AppError) {
      return send(error.statusCode, { code: error.code, message: error.message, issues: error.issues });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: issue.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(body)",
        message: issue.message ?? "is not valid",
      }));
      return send(400, {
        code: "VALIDATION_FAILED",
        message: issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "),
        issues,
      });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      return send(status, { code: codeForStatus[status] ?? "BAD_REQUEST", message: error.message });
    }
    request.log.error({ err: error }, "request failed");
    return send(500, {
      code: "INTERNAL",
      message: "Something went wrong on our side. It has been logged; quote the request id if you report it.",
    });
  });

  app.setNotFoundHandler((request, reply) => {
    metrics.errors.inc({ code: "NOT_FOUND", transport: "http" });
    return reply.status(404).send({
      error: { code: "NOT_FOUND", message: `No route for ${request.method} ${request.url}.`, requestId: request.id },
    } satisfies ErrorBody);
  });
});
