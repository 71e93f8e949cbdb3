import SCIMMY from "scimmy";
import type { ListPage } from "./scim-paging.ts";
import { maxResults, scimError } from "./scim-paging.ts";
import type { ScimGroups } from "./scim-groups.ts";
import type { ScimUsers } from "./scim-users.ts";

export const scimBasePath = "/scim/v2";

/** Passed by the route to scimmy with each request and handed back to the handlers below. */
export interface ScimRequestContext {
  users: ScimUsers;
  groups: ScimGroups;
  page: ListPage;
  /** Logs a failure that is Spar's fault before it leaves as a plain 500. */
  logFailure: (error: unknown) => void;
}

let declared = false;

/**
 * scimmy keeps its resource types, handlers and service provider configuration in one process-wide
 * registry, while a process may run several Spar apps (tests build one per database). So the
 * handlers are declared once and reach the app through the request's context, never through a
 * closure over the first app built.
 */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Config.set({
    patch: true,
    filter: { supported: true, maxResults },
    bulk: false,
    sort: false,
    etag: false,
    changePassword: false,
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "The SCIM_TOKEN set on the Spar server, sent as 'Authorization: Bearer <token>'.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
      },
    ],
  });
  // Entra ID and Okta send the enterprise extension along; declaring it lets such bodies through.
  SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    basepath: scimBasePath,
    egress: (resource: SCIMMY.Resources.User, context: ScimRequestContext) => guard(context, () => context.users.read(resource, context.page)),
    ingress: (resource: SCIMMY.Resources.User, instance: SCIMMY.Schemas.User, context: ScimRequestContext) =>
      guard(context, () => context.users.write(resource, instance)),
    degress: (resource: SCIMMY.Resources.User, context: ScimRequestContext) => guard(context, () => context.users.dispose(resource)),
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    basepath: scimBasePath,
    egress: (resource: SCIMMY.Resources.Group, context: ScimRequestContext) => guard(context, () => context.groups.read(resource, context.page)),
    ingress: (resource: SCIMMY.Resources.Group, instance: SCIMMY.Schemas.Group, context: ScimRequestContext) =>
      guard(context, () => context.groups.write(resource, instance)),
    degress: (resource: SCIMMY.Resources.Group, context: ScimRequestContext) => guard(context, () => context.groups.dispose(resource)),
  });
  SCIMMY.Resources.Schema.basepath(scimBasePath);
  SCIMMY.Resources.ResourceType.basepath(scimBasePath);
  SCIMMY.Resources.ServiceProviderConfig.basepath(scimBasePath);
}

/**
 * scimmy answers any handler error that is not a SCIM error with 404 "not found" (and a
 * TypeError with 400): a database outage must not tell a directory that a person is gone, so
 * anything unexpected becomes a logged 500 here.
 */
async function guard<T>(context: ScimRequestContext, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SCIMMY.Types.Error) throw error;
    context.logFailure(error);
    throw scimError(500, null, "Something went wrong on Spar's side; it has been logged.");
  }
}
