import { rejectionMessage } from "@spar/domain";
import { ImportReport, PeopleCsvUpload, PeopleImportQuery } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError } from "../../app-error.ts";
import { readCsvRecords } from "../../people/csv-records.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

/** An HR export of 20,000 people is about 1.5 MB; the app's usual limit is 64 KB. */
const importBodyLimit = 10 * 1024 * 1024;

/** Bulk import of people from a CSV file (the body, as text/csv), for L&D admins. */
export const peopleImportRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  // Registered in this plugin's own scope: no other route accepts CSV or a body this large.
  app.addContentTypeParser(["text/csv", "text/plain"], { parseAs: "string", bodyLimit: importBodyLimit }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    "/api/people/import",
    {
      config: { access: ["ld_admin"] },
      bodyLimit: importBodyLimit,
      schema: { querystring: PeopleImportQuery, body: PeopleCsvUpload, response: { 200: ImportReport } },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const outcome = await services.peopleImport.run(readCsvRecords(request.body), { id: viewer.id }, { dryRun: request.query.dryRun });
      switch (outcome.kind) {
        case "imported":
        case "checked":
          return outcome.report;
        case "rejected":
          throw new AppError(
            422,
            "VALIDATION_FAILED",
            rejectionMessage(outcome.problems),
            outcome.problems.map((problem) => ({ path: `line ${problem.line}`, message: problem.message })),
          );
        case "conflict":
          throw new AppError(409, "CONFLICT", outcome.message);
      }
    },
  );
};
