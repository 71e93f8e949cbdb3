import type { PrismaProgramme } from "@spar/db";
import { type ProgrammeTable, programmeRows, programmeView } from "@spar/domain";
import { ProgrammeTableParams, ProgrammeView } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { writeCsv } from "../../csv/csv-writer.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";

/** The L&D programme view: aggregates over groups of at least five, never a person or a transcript. */
export const programmeRoutes: FastifyPluginAsyncZod<{ programme: PrismaProgramme; library: LibraryHolder }> = async (app, { programme, library }) => {
  const facts = () =>
    programme.facts(
      [...library.library.scenarios.values()].filter((entry) => entry.value.assessment).map((entry) => ({ id: entry.value.id, title: entry.value.title })),
    );
  app.get("/api/programme", { config: { access: ["ld_admin"] }, schema: { response: { 200: ProgrammeView } } }, async () =>
    programmeView(await facts()),
  );

  app.get(
    "/api/programme/:table",
    { config: { access: ["ld_admin"] }, schema: { params: ProgrammeTableParams } },
    async (request, reply) => {
      const table = request.params.table.replace(/\.csv$/, "") as ProgrammeTable;
      const csv = writeCsv(programmeRows(programmeView(await facts()), table));
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="spar-${table}.csv"`).send(csv);
    },
  );
};
