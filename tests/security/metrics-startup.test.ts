// /metrics shows traffic, models and error rates to whoever asks when METRICS_TOKEN is unset. In
// production (NODE_ENV=production, or an https PUBLIC_URL) the server refuses to start that way,
// with one line saying what to set, unless SPAR_METRICS_PUBLIC=on says the network keeps it
// private. Commands (which serve nothing) are not refused.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkServingConfig, loadConfig } from "@spar/server/env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Finished, finished, freePort, spawnServerScript } from "../fixtures/processes.ts";

describe("starting with /metrics open to anyone", { timeout: 120_000 }, () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "spar-metrics-startup-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /** Starts server.ts; settles when it exits, or fails the test if it gets as far as serving. */
  async function start(environment: Record<string, string>): Promise<Finished> {
    const child = spawnServerScript("server.ts", [], { SPAR_DATA_DIR: dataDir, SPAR_DEMO: "off", PORT: String(await freePort()), ...environment });
    const exited = finished(child);
    const served = new Promise<"served">((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Spar is ready")) resolve("served");
      });
    });
    const outcome = await Promise.race([exited, served]);
    if (outcome === "served") {
      child.kill("SIGTERM");
      await exited;
      throw new Error("the server started and served /metrics without a token");
    }
    return outcome;
  }

  function expectOneLineRefusal(outcome: Finished): void {
    expect(outcome.code).toBe(1);
    const lines = outcome.stderr.trim().split("\n");
    expect(lines).toEqual(["Spar could not start.", expect.stringMatching(/METRICS_TOKEN.*SPAR_METRICS=off.*SPAR_METRICS_PUBLIC=on/)]);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  }

  it("is refused with NODE_ENV=production", async () => {
    expectOneLineRefusal(await start({ NODE_ENV: "production" }));
  });

  it("is refused with an https PUBLIC_URL", async () => {
    expectOneLineRefusal(await start({ PUBLIC_URL: "https://spar.example.com" }));
  });
});

describe("which settings a serving process accepts", () => {
  const production = { NODE_ENV: "production", PUBLIC_URL: "https://spar.example.com" };
  const serving = (environment: Record<string, string>) => () => checkServingConfig(loadConfig(environment));

  it("refuses production with metrics on and no token", () => {
    expect(serving({ NODE_ENV: "production" })).toThrow(/METRICS_TOKEN/);
    expect(serving({ PUBLIC_URL: "https://spar.example.com" })).toThrow(/METRICS_TOKEN/);
    // A command reads the same settings and serves nothing: it is not refused.
    expect(() => loadConfig(production)).not.toThrow();
  });

  it("accepts production with a token, with metrics off, or with SPAR_METRICS_PUBLIC=on", () => {
    expect(serving({ ...production, METRICS_TOKEN: "a-token-of-sixteen-or-more" })).not.toThrow();
    expect(serving({ ...production, SPAR_METRICS: "off" })).not.toThrow();
    expect(serving({ ...production, SPAR_METRICS_PUBLIC: "on" })).not.toThrow();
  });

  it("accepts open metrics outside production: plain http and no NODE_ENV=production", () => {
    expect(serving({})).not.toThrow();
    expect(serving({ PUBLIC_URL: "http://spar.internal:3000", NODE_ENV: "development" })).not.toThrow();
  });
});
