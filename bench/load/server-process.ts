// A Spar server as users run it: its own process, listening on loopback, configured only by
// environment, with the Node inspector open so the benchmark can measure it from outside.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ServerInspector } from "./inspector.ts";
import { sleep } from "./stats.ts";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = createRequire(import.meta.url).resolve("tsx");

export interface ServerProcess {
  baseUrl: string;
  inspector: ServerInspector;
  child: ChildProcess;
  /** The last lines the server wrote, for error reports. */
  output: () => string;
  stop(): Promise<void>;
}

export async function startServerProcess(environment: Record<string, string>, port: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--inspect=127.0.0.1:0", "--import", tsx, path.join(repositoryRoot, "apps/server/src/server.ts")], {
    cwd: path.join(repositoryRoot, "apps/server"),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: String(port), HOST: "127.0.0.1", SPAR_DEMO: "off", LOG_LEVEL: "warn", ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`the server exited while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer within two minutes:\n${output}`);
    const answered = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    await sleep(200);
  }
  const inspectorPort = output.match(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//)?.[1];
  if (!inspectorPort) throw new Error(`the server did not open its inspector:\n${output}`);
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const target = targets[0];
  if (!target) throw new Error("the server's inspector lists no target");
  const inspector = await ServerInspector.connect(target.webSocketDebuggerUrl);

  return {
    baseUrl,
    inspector,
    child,
    output: () => output,
    async stop() {
      inspector.close();
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(15_000)]);
      if (!exited) child.kill("SIGKILL");
    },
  };
}
