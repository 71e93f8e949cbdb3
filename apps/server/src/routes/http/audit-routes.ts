import { AuditPage, AuditQuery } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Services } from "../../services.ts";

/** The audit log, for L&D admins: who did what to whose data, newest first. */
export const auditRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    "/api/audit",
    { config: { access: ["ld_admin"] }, schema: { querystring: AuditQuery, response: { 200: AuditPage } } },
    async (request) => services.audit.list(request.query),
  );
};
