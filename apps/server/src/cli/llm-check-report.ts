import type { LlmCapabilityFallback } from "@spar/llm";
import type { RoleProbe } from "../llm-probe.ts";

const seconds = (value: number) => `${value.toFixed(2)} s`;

/** What a fallback costs, in words an operator can weigh. */
function fallbackMeaning(fallback: LlmCapabilityFallback): string {
  switch (fallback.capability) {
    case "stream-usage":
      return "Persona turns are stored without token counts, and the token metrics stay at zero for it.";
    case "structured-output":
      return fallback.now === "json_object"
        ? "The judge asks in JSON mode with the schema in its instructions; answers are still checked, and sent back once if wrong."
        : "The judge asks for JSON in its instructions only; answers are still checked, and sent back once if wrong.";
    case "message-layout":
      return "The prompt is sent as one system message and alternating turns, as the model's chat template wants.";
    case "seed":
      return "Judge answers cannot be reproduced by seed.";
    case "temperature":
      return "The provider's default temperature is used.";
    case "token-parameter": {
      const role = fallback.purpose === "persona" ? "PERSONA" : "JUDGE";
      return fallback.now === "none"
        ? "No length cap is sent."
        : `Setting SPAR_${role}_TOKEN_PARAMETER=${fallback.now} would spare the refused first try.`;
    }
  }
}

/** What to set or look at when a role's call failed. */
export function failureHint(probe: RoleProbe): string {
  const role = probe.role === "persona" ? "PERSONA" : "JUDGE";
  const { kind, baseUrl } = probe.profile;
  const status = probe.failure?.status ?? null;
  if (status === 401 || status === 403) {
    return `Check SPAR_${role}_API_KEY (or OPENAI_API_KEY).${kind === "azure" ? " Azure wants the resource's key, which Spar sends as the api-key header." : ""}`;
  }
  if (status === 404) {
    return kind === "azure"
      ? `Check SPAR_${role}_MODEL (the deployment name), SPAR_${role}_BASE_URL (https://<resource>.openai.azure.com) and the api-version.`
      : `Check SPAR_${role}_MODEL and SPAR_${role}_BASE_URL (most servers want it to end in /v1).`;
  }
  if (status === 429) return "The provider is throttling this key (rate limit or quota): check the account, or try again later.";
  if (status === 400 || status === 422) return `The endpoint refused the request in a way Spar cannot work around: see docs/llm-providers.md for ${kind} servers.`;
  if (status !== null && status >= 500) return "The model server failed: its own log says why.";
  if (probe.failure?.message.startsWith("could not connect")) return `Is SPAR_${role}_BASE_URL (${baseUrl ?? "api.openai.com"}) right, and the server running?`;
  if (probe.failure?.message === "the request timed out" || probe.problem?.includes("too long")) {
    return "The model took too long: a smaller model, or a less busy server, will answer sooner.";
  }
  if (probe.role === "judge") return `The model answered, but not as a usable scorecard: a stronger judge model is needed (SPAR_JUDGE_MODEL).`;
  return "See docs/llm-providers.md.";
}

function roleReport(probe: RoleProbe): string[] {
  const where = probe.profile.baseUrl ?? "https://api.openai.com/v1";
  const lines = [`${probe.role}: ${probe.profile.model} (${probe.profile.kind}, ${where})`];
  if (probe.ok) {
    const firstToken = probe.firstTokenSeconds === null ? "" : `; first token after ${seconds(probe.firstTokenSeconds)}`;
    lines.push(`  ok: ${probe.answer} in ${seconds(probe.seconds)}${firstToken}`);
  } else {
    const said = probe.failure ? `${probe.failure.status === null ? "" : `HTTP ${probe.failure.status}: `}${probe.failure.message}` : (probe.problem ?? "failed");
    lines.push(`  FAILED: ${said}`);
    lines.push(`  what to do: ${failureHint(probe)}`);
  }
  for (const fallback of probe.fellBack) {
    lines.push(`  fell back: ${fallback.capability} -> ${fallback.now}, because the endpoint said "${fallback.providerMessage.replace(/\s+/g, " ").trim()}"`);
    lines.push(`    ${fallbackMeaning(fallback)} Spar does this by itself after the first refusal.`);
  }
  return lines;
}

/** The report `spar llm check` prints. */
export function llmCheckReport(probes: readonly RoleProbe[]): string {
  const failed = probes.filter((probe) => !probe.ok).map((probe) => probe.role);
  const verdict =
    failed.length === 0
      ? "Both roles work."
      : `The ${failed.join(" and the ")} ${failed.length === 1 ? "does" : "do"} not work: fix what is named above and run \`spar llm check\` again.`;
  return [...probes.flatMap((probe) => [...roleReport(probe), ""]), verdict].join("\n");
}
