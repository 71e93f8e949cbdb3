/**
 * A fetch that puts a flat error body (`{"object": "error", "message": …}`, as vLLM has long
 * answered) under `error`, where the openai SDK reads OpenAI's. Without it the SDK reports "400
 * status code (no body)", and neither the operator nor the capability fallback would see what the
 * server said.
 */
export function nestingErrorBodies(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status < 400 || !response.headers.get("content-type")?.includes("json")) return response;
    const text = await response.text();
    const nested = nestedErrorBody(text);
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(nested ?? text, { status: response.status, statusText: response.statusText, headers });
  };
}

/** The body with its error under `error`; null when it is already there, or not a JSON error at all. */
export function nestedErrorBody(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || "error" in body || !("message" in body)) return null;
  return JSON.stringify({ error: body });
}
