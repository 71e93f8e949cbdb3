import { defineConfig } from "vitest/config";

// One run covers every package: unit tests beside each package's code, cross-package tests in
// tests/. The machine has two cores, so files run in two workers.
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/{src,test}/**/*.test.ts", "apps/*/{src,test}/**/*.test.{ts,tsx}"],
        },
      },
      {
        extends: true,
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"] },
      },
      {
        extends: true,
        // What an attacker would try: every route as every role, headers, hostile input, uploads.
        // Browser pages there fail their test on any Content-Security-Policy violation, as in e2e.
        test: { name: "security", include: ["tests/security/**/*.test.ts"], setupFiles: ["tests/fixtures/policy-violations-setup.ts"] },
      },
      {
        extends: true,
        // Real Chromium against the built web app: scripts/test-prerequisites.sh builds both. A
        // test during which any page breaks the Content-Security-Policy fails.
        test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], setupFiles: ["tests/fixtures/policy-violations-setup.ts"] },
      },
    ],
  },
});
