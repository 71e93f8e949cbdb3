import { z } from "zod";

export const HealthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  database: z.object({
    kind: z.enum(["pglite", "postgresql"]),
    reachable: z.boolean(),
    migration: z.string().nullable().describe("The newest applied migration."),
  }),
  llm: z.object({
    engine: z.enum(["offline", "openai-compatible"]),
    personaModel: z.string().nullable(),
    judgeModel: z.string().nullable(),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
