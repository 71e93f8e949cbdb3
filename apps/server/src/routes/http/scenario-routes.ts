import type { PrismaCalibrationRuns } from "@spar/db";
import { libraryJsonSchemas, listScenarios, scenarioDetail } from "@spar/domain";
import { LibraryStatus, ScenarioDetail, ScenarioParams, ScenarioSummary, SchemaKindParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../app-error.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";

const CalibrationSummary = z.object({
  runs: z.array(
    z.object({
      scenarioId: z.string(),
      passed: z.boolean(),
      exactAgreement: z.number(),
      withinOneAgreement: z.number(),
      strongBeatsWeak: z.boolean(),
      scorer: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export const scenarioRoutes: FastifyPluginAsyncZod<{ library: LibraryHolder; calibration: PrismaCalibrationRuns }> = async (
  app,
  { library, calibration },
) => {
  app.get(
    "/api/library/calibration",
    { config: { access: ["ld_admin"] }, schema: { response: { 200: CalibrationSummary } } },
    async () => ({ runs: (await calibration.latest()).map((run) => ({ ...run, createdAt: run.createdAt.toISOString() })) }),
  );

  app.get(
    "/api/scenarios",
    { config: { access: "signed-in" }, schema: { response: { 200: z.object({ scenarios: z.array(ScenarioSummary) }) } } },
    async () => ({ scenarios: listScenarios(library.library) }),
  );

  app.get(
    "/api/scenarios/:scenarioId",
    {
      config: { access: "signed-in" },
      schema: { params: ScenarioParams, response: { 200: z.object({ scenario: ScenarioDetail }) } },
    },
    async (request) => {
      const scenario = scenarioDetail(library.library, request.params.scenarioId);
      if (!scenario) throw notFound(`Scenario "${request.params.scenarioId}"`);
      return { scenario };
    },
  );

  app.get(
    "/api/library/status",
    { config: { access: ["ld_admin"] }, schema: { response: { 200: LibraryStatus } } },
    async () => library.status(),
  );

  // The JSON Schemas editors use to validate library files as authors type.
  const schemas = libraryJsonSchemas();
  app.get(
    "/schemas/:kind",
    { config: { access: "public" }, schema: { params: SchemaKindParams } },
    async (request, reply) => {
      const kind = request.params.kind.replace(/\.schema\.json$/, "");
      if (kind !== "scenario" && kind !== "rubric" && kind !== "example") throw notFound(`Schema "${request.params.kind}"`);
      return reply.type("application/schema+json").send(schemas[kind]);
    },
  );
};
