import type { FastifyRequest } from "fastify";
import type { WebSocket } from "ws";

/** Connections that went away under the socket: the peer's network, not a fault of the server. */
const lostConnectionCodes = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

/**
 * What an open websocket's errors say about whose fault they are. ws names every frame a client got
 * wrong (invalid UTF-8, over the size limit, a bad opcode) with a `WS_ERR_` code and closes the
 * socket itself with the matching close code (1007, 1009, 1002), so the client learns why; such
 * errors are logged at warn without a stack, which would only point into ws. Anything else may be
 * the server's own fault and keeps its stack at error level.
 */
export function socketErrorHandler(error: Error, socket: WebSocket, request: FastifyRequest): void {
  const code = codeOf(error);
  if (code?.startsWith("WS_ERR_")) {
    request.log.warn({ code, reason: error.message }, "closed a websocket that broke the protocol");
    return;
  }
  if (code !== null && lostConnectionCodes.has(code)) {
    request.log.info({ code }, "a websocket's connection was lost");
  } else {
    request.log.error({ err: error }, "websocket failed");
  }
  socket.terminate();
}
