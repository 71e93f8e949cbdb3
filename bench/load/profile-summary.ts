import type { CpuProfile } from "./inspector.ts";

export interface ProfileLine {
  name: string;
  share: number;
}

/** Where a frame's code lives: one of our packages, a dependency, or Node itself. */
function area(url: string): string {
  if (url === "") return "(native / V8)";
  const ours = url.match(/\/(apps|packages)\/([^/]+)\//);
  if (ours && !url.includes("node_modules")) return `@spar/${ours[2]}`;
  const dependency = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (dependency) return dependency[1] as string;
  if (url.startsWith("node:")) return "node core";
  return "other";
}

function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return times;
}

/** Self time by function and by package, as shares of the busy (non-idle) time. */
export function summariseProfile(profile: CpuProfile, top = 12): { busyMs: number; functions: ProfileLine[]; areas: ProfileLine[] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfTimes(profile)) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)" || frame.functionName === "(program)") continue;
    busy += micros;
    const file = frame.url.split("/").slice(-2).join("/");
    const name = frame.url ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}` : frame.functionName;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const where = frame.functionName === "(garbage collector)" ? "(garbage collector)" : area(frame.url);
    byArea.set(where, (byArea.get(where) ?? 0) + micros);
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: busy === 0 ? 0 : micros / busy }));
  return { busyMs: busy / 1000, functions: lines(byFunction), areas: lines(byArea) };
}
