// Measures a server process from outside through the Node inspector protocol, so the product
// carries no benchmark code: garbage collection on demand, memory, CPU time, event-loop delay
// and CPU profiles of a chosen window.
import WebSocket from "ws";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface LoopAndCpu {
  /** Event-loop delay over the window, milliseconds (perf_hooks.monitorEventLoopDelay). */
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** User plus system CPU time over the window. */
  cpuMicros: number;
  wallMs: number;
}

export interface Memory {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
}

// Runs inside the server: an event-loop delay histogram and a CPU baseline, reset per window.
const probe = `globalThis.__sparProbe ??= (() => {
  const { monitorEventLoopDelay } = process.getBuiltinModule("node:perf_hooks");
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return {
    window() {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      const result = { loopP50Ms: histogram.percentile(50) / 1e6, loopP99Ms: histogram.percentile(99) / 1e6, loopMaxMs: histogram.max / 1e6, cpuMicros: used.user + used.system, wallMs: now - wall };
      histogram.reset();
      cpu = process.cpuUsage();
      wall = now;
      return result;
    },
  };
})(); true`;

export class ServerInspector {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!pending || message.id === undefined) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
    });
  }

  static async connect(debuggerUrl: string): Promise<ServerInspector> {
    const socket = new WebSocket(debuggerUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const inspector = new ServerInspector(socket);
    await inspector.evaluate(probe);
    return inspector;
  }

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const answer = await this.call<{ result: { value: T }; exceptionDetails?: { text: string } }>("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (answer.exceptionDetails) throw new Error(`inspector evaluation failed: ${answer.exceptionDetails.text}`);
    return answer.result.value;
  }

  /** Event-loop delay and CPU time since the previous call. */
  window(): Promise<LoopAndCpu> {
    return this.evaluate<LoopAndCpu>("globalThis.__sparProbe.window()");
  }

  /** Memory after two full garbage collections. */
  async memoryAfterGc(): Promise<Memory> {
    await this.call("HeapProfiler.enable");
    await this.call("HeapProfiler.collectGarbage");
    await this.call("HeapProfiler.collectGarbage");
    const usage = await this.evaluate<{ rss: number; heapUsed: number; external: number }>("process.memoryUsage()");
    return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
  }

  async startProfile(): Promise<void> {
    await this.call("Profiler.enable");
    await this.call("Profiler.setSamplingInterval", { interval: 500 });
    await this.call("Profiler.start");
  }

  async stopProfile(): Promise<CpuProfile> {
    const { profile } = await this.call<{ profile: CpuProfile }>("Profiler.stop");
    return profile;
  }

  close(): void {
    this.socket.close();
  }
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}
