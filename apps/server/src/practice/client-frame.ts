import { ClientMessage } from "@spar/protocol";

export type ClientFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: "MESSAGE_TOO_LARGE" | "BAD_MESSAGE"; message: string };

/** Reads one practice-socket frame: within the size limit, JSON, and one of the client messages. */
export function readClientFrame(raw: string, maxBytes: number): ClientFrame {
  if (Buffer.byteLength(raw) > maxBytes) return { ok: false, code: "MESSAGE_TOO_LARGE", message: `Messages are limited to ${maxBytes} bytes.` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: "BAD_MESSAGE", message: "Messages must be JSON objects; see docs/protocol.md." };
  }
  const parsed = ClientMessage.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "message"}: ${issue.message}`).join("; ");
    return { ok: false, code: "BAD_MESSAGE", message: detail };
  }
  return { ok: true, message: parsed.data };
}
