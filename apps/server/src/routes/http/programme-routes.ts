import type { PrismaProgramme } from "@spar/db";
import { programmeCsv, programmeView } from "@spar/domain";
import { ProgrammeView } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

/** The L&D programme view: aggregates over groups of at least five, never a person or a transcript. */
export const programmeRoutes: FastifyPluginAsyncZod<{ programme: PrismaProgramme }> = async (app, { programme }) => {
  app.get("/api/programme", { config: { access: ["ld_admin"] }, schema: { response: { 200: ProgrammeView } } }, async () =>
    programmeView(await programme.facts()),
  );

  app.get(
    "/api/programme/:table",
    { config: { access: ["ld_admin"] }, schema: { params: z.object({ table: z.enum(["teams.csv", "weak-criteria.csv", "movement.csv", "calibration.csv"]) }) } },
    async (request, reply) => {
      const table = request.params.table.replace(/\.csv$/, "") as "teams" | "weak-criteria" | "movement" | "calibration";
      const csv = programmeCsv(programmeView(await programme.facts()), table);
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="spar-${table}.csv"`).send(csv);
    },
  );
};
