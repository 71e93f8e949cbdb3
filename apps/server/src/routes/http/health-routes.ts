import { type Database, migrationLevel } from "@spar/db";
import { HealthResponse } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppConfig } from "../../env.ts";
import type { LlmCallStatus } from "../../llm-status.ts";

export interface HealthOptions {
  database: Database;
  config: AppConfig;
  version: string;
  /** What the process's own model calls learned; none when the engines were given from outside. */
  llmCalls?: LlmCallStatus;
}

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { database, config, version, llmCalls }) => {
  app.get(
    "/health",
    // Load balancers and orchestrators probe a process at its own address, whatever PUBLIC_URL says.
    { config: { access: "public", anyHost: true }, schema: { response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      const level = await database
        .withConnection(async (connection) => {
          await connection.query("SELECT 1");
          return migrationLevel(connection);
        })
        .then((migration) => ({ reachable: true, migration }))
        .catch(() => ({ reachable: false, migration: null }));
      const body: HealthResponse = {
        status: level.reachable ? "ok" : "degraded",
        version,
        database: { kind: database.kind, ...level },
        llm:
          config.llm.engine === "offline"
            ? { engine: "offline", personaModel: null, judgeModel: null }
            : {
                engine: "openai-compatible",
                personaModel: config.llm.persona.model,
                judgeModel: config.llm.judge.model,
                ...(llmCalls ? { calls: llmCalls.snapshot() } : {}),
              },
      };
      return reply.status(level.reachable ? 200 : 503).send(body);
    },
  );
};
