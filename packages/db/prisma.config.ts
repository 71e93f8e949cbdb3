import { defineConfig } from "prisma/config";

// Prisma's CLI looks for its native schema engine before `generate`, and that binary cannot be
// downloaded on machines that reach only the npm registry. Generation does not use it, so any
// existing file satisfies the check; migrations run through our own runner instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
});
