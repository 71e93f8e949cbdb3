const booleanText = /^(true|false)$/i;
const activePath = /^(urn:ietf:params:scim:schemas:core:2\.0:User:)?active$/i;

const asBoolean = (value: unknown) => (typeof value === "string" && booleanText.test(value) ? value.toLowerCase() === "true" : value);

/**
 * Microsoft Entra ID sends `active` in PATCH operations as the strings "True" and "False"
 * (RFC 7643 says a boolean); scimmy rightly refuses those, so they are read as the booleans meant
 * before the operations reach it. Nothing else in the body changes.
 */
export function withBooleanActive(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("Operations" in body) || !Array.isArray(body.Operations)) return body;
  return {
    ...body,
    Operations: body.Operations.map((operation: unknown) => {
      if (typeof operation !== "object" || operation === null || !("value" in operation)) return operation;
      const path = "path" in operation ? operation.path : undefined;
      const value = operation.value;
      if (typeof path === "string" && activePath.test(path)) return { ...operation, value: asBoolean(value) };
      if (path === undefined && typeof value === "object" && value !== null && !Array.isArray(value)) {
        return { ...operation, value: Object.fromEntries(Object.entries(value).map(([key, each]) => [key, activePath.test(key) ? asBoolean(each) : each])) };
      }
      return operation;
    }),
  };
}
