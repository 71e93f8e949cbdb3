// `pnpm bench`: every benchmark at a small size in a few minutes, printed as one table of figures
// beside their targets. BENCH_SIZE=full runs the sizes recorded in bench/README.md. Figures only:
// nothing here fails for being slow.
import { execSync } from "node:child_process";
import os from "node:os";
import type { ModelSettings } from "./load/fake-model.ts";
import { capacityRun, costRun, practiceRun, twoNodeRun } from "./load/scenarios.ts";
import { reviewViews } from "./review-views.ts";
import { sharedCostRun } from "./load/shared-cost.ts";
import { describeImport, peopleImportRun } from "./people-import/people-import.ts";
import { describeGuard, personaGuardRun } from "./guard/persona-guard.ts";
import { describeScoring, offlineScoringRun } from "./scoring/offline-scoring.ts";
import { describeUploads, libraryUploadsRun } from "./library-uploads/library-uploads.ts";
import { describeVoiceLatency, detectorQuietMs, instantSpeeds, publishedSpeeds, voiceLatencyRun } from "./voice/voice-latency.ts";
import { voiceBesideTextRun } from "./voice/voice-beside-text.ts";

const full = process.env.BENCH_SIZE === "full";
const only = process.env.BENCH_ONLY?.split(",");
const wanted = (section: string) => !only || only.includes(section);

/** What the fake model does: first token p50 0.7 s / p95 4 s, 50 tokens a second, 40-token replies. */
const longTail: ModelSettings = { firstToken: "long-tail", tokensPerSecond: 50, replyTokens: 40, stamp: true };
/** A fast model for throughput, where the server, not the model, must be the limit. */
const fast: ModelSettings = { firstToken: 20, tokensPerSecond: 400, replyTokens: 40, stamp: true };
const coalesceMs = Number(process.env.BENCH_COALESCE_MS ?? 0);

const size = full
  ? { sessions: 1_000, thinkMs: 30_000, windowMs: 30_000, steps: [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000], twoNode: 300, cost: 40 }
  : { sessions: 200, thinkMs: 4_000, windowMs: 8_000, steps: [200, 400], twoNode: 60, cost: 10 };

type Row = [figure: string, measured: string, target: string, verdict: string];
const rows: Row[] = [];
const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (met: boolean, by: string) => (met ? "met" : `missed by ${by}`);

function print(): void {
  console.log(`\n| figure | measured | target | verdict |\n| --- | --- | --- | --- |`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

async function main() {
  const commit = (() => {
    try {
      return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  console.log(`Spar benchmarks (${full ? "full" : "small"} size), commit ${commit}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${new Date().toISOString()}`);
  const started = performance.now();

  if (wanted("practice")) {
    for (const database of ["pglite", "postgresql"] as const) {
      console.log(`\n${size.sessions} learners practising on ${database}, think time ${size.thinkMs / 1000} s, model first token p50 0.7 s / p95 4 s…`);
      const run = await practiceRun({ database, sessions: size.sessions, thinkMs: size.thinkMs, windowMs: size.windowMs, coalesceMs, model: longTail });
      const w = run.window;
      const label = `${database}, ${size.sessions} sessions`;
      rows.push([`first token added by the server p50 / p95 / p99 (${label})`, `${ms(w.firstTokenAdded.p50)} / ${ms(w.firstTokenAdded.p95)} / ${ms(w.firstTokenAdded.p99)}`, "p95 ≤ 5 ms at 1,000", verdict(w.firstTokenAdded.p95 <= 5, ms(w.firstTokenAdded.p95 - 5))]);
      rows.push([`extra gap between tokens p99 (${label})`, ms(w.extraGapP99), "–", "–"]);
      const ratio = w.deliveredTokensPerSecond / w.emittedTokensPerSecond;
      rows.push([`delivered ÷ emitted tokens/s (${label})`, `${w.deliveredTokensPerSecond.toFixed(0)} ÷ ${w.emittedTokensPerSecond.toFixed(0)} = ${ratio.toFixed(3)}`, "≥ 0.99", verdict(ratio >= 0.99, (0.99 - ratio).toFixed(3))]);
      rows.push([`server event-loop delay p99 (${label})`, ms(w.serverLoopP99), "–", "–"]);
      rows.push([`server CPU per delivered frame (${label})`, `${w.cpuMicrosPerFrame.toFixed(0)} µs (${(w.serverCpuShare * 100).toFixed(0)} % of a core, ${w.tokensPerFrame.toFixed(2)} tokens/frame)`, "–", "–"]);
      rows.push([`turn commit p50 / p95 (${database})`, `${ms(w.commit.p50)} / ${ms(w.commit.p95)}`, "–", "–"]);
      rows.push([`memory per idle session, RSS / heap (${database})`, `${run.idleSessionKiB.rss.toFixed(1)} / ${run.idleSessionKiB.heap.toFixed(1)} KiB`, "≤ 16 KiB", verdict(run.idleSessionKiB.rss <= 16, `${(run.idleSessionKiB.rss - 16).toFixed(1)} KiB`)]);
      rows.push([`memory per practising session, RSS / heap (${database})`, `${run.activeSessionKiB.rss.toFixed(1)} / ${run.activeSessionKiB.heap.toFixed(1)} KiB`, "–", "–"]);
      rows.push([`load generator event-loop delay p99 (${database})`, ms(w.generatorLoopP99), "–", "(its own share of the latency)"]);
      if (Object.keys(w.errors).length > 0) rows.push([`errors (${database})`, JSON.stringify(w.errors), "none", "see errors"]);
    }
  }

  if (wanted("profile")) {
    // A run of its own: the profiler's sampling would add to the latencies measured above.
    console.log(`\nProfiling the server: ${size.sessions} learners on PostgreSQL, think time ${size.thinkMs / 4000} s…`);
    const run = await practiceRun({ database: "postgresql", sessions: size.sessions, thinkMs: size.thinkMs / 4, windowMs: size.windowMs, coalesceMs, model: longTail, profile: true });
    if (run.profile) {
      const perReply = run.profile.busyMs / Math.max(1, run.window.replies);
      console.log(`Server CPU profile: ${run.profile.busyMs.toFixed(0)} ms busy over ${run.window.replies} replies (${perReply.toFixed(2)} ms each). Self time by package:`);
      for (const line of run.profile.areas) console.log(`  ${(line.share * 100).toFixed(1).padStart(5)} %  ${line.name}`);
      console.log("By function:");
      for (const line of run.profile.functions) console.log(`  ${(line.share * 100).toFixed(1).padStart(5)} %  ${line.name}`);
      rows.push(["server CPU per reply while profiled (PostgreSQL)", `${perReply.toFixed(2)} ms`, "–", "–"]);
    }
  }

  if (wanted("coalescing")) {
    console.log(`\nOne frame per token against frames coalesced over 40 ms, PostgreSQL, model at 50 and 400 tokens/s…`);
    for (const [model, window] of [[longTail, 0], [longTail, 40], [fast, 0], [fast, 40]] as const) {
      const run = await practiceRun({ database: "postgresql", sessions: size.sessions, thinkMs: size.thinkMs / 4, windowMs: size.windowMs, coalesceMs: window, model });
      const w = run.window;
      const cpuPerReply = (w.cpuMicrosPerFrame * w.frames) / Math.max(1, w.replies) / 1000;
      rows.push([
        `coalescing ${window === 0 ? "off (frame per token)" : `${window} ms`}, model at ${model.tokensPerSecond} tokens/s: CPU per reply, tokens/frame, first token added p95, extra gap p99`,
        `${cpuPerReply.toFixed(2)} ms, ${w.tokensPerFrame.toFixed(2)}, ${ms(w.firstTokenAdded.p95)}, ${ms(w.extraGapP99)}`,
        "the better one by default",
        "–",
      ]);
    }
  }

  if (wanted("capacity")) {
    console.log(`\nCapacity on one node (PostgreSQL), think time ${size.thinkMs / 1000} s, steps ${size.steps.join(", ")}…`);
    const steps = await capacityRun({ database: "postgresql", steps: size.steps, limitMs: 20, thinkMs: size.thinkMs, windowMs: size.windowMs, warmupMs: size.thinkMs, coalesceMs, model: longTail });
    for (const step of steps) {
      const w = step.window;
      rows.push([`capacity step ${step.sessions} sessions: first token added p95, replies/s, server CPU, server / generator loop p99`, `${ms(w.firstTokenAdded.p95)}, ${w.repliesPerSecond.toFixed(0)}/s, ${(w.serverCpuShare * 100).toFixed(0)} %, ${ms(w.serverLoopP99)} / ${ms(w.generatorLoopP99)}`, "p95 ≤ 20 ms", verdict(w.firstTokenAdded.p95 <= 20, ms(w.firstTokenAdded.p95 - 20))]);
    }
    const held = steps.filter((step) => step.window.firstTokenAdded.p95 <= 20).at(-1)?.sessions ?? 0;
    rows.push(["sessions per node at p95 ≤ 20 ms added", String(held), full ? "≥ 10,000" : "(full size only)", full ? verdict(held >= 10_000, `${10_000 - held} sessions`) : "–"]);
  }

  if (wanted("two-nodes")) {
    console.log(`\nTwo server processes on one PostgreSQL, ${size.twoNode} learners, fast model…`);
    const two = await twoNodeRun({ sessions: size.twoNode, windowMs: size.windowMs, coalesceMs, model: fast });
    rows.push(["two nodes ÷ one node, replies/s (closed loop)", `${two.twoNodeRepliesPerSecond.toFixed(0)} ÷ ${two.oneNodeRepliesPerSecond.toFixed(0)} = ${(two.twoNodeRepliesPerSecond / two.oneNodeRepliesPerSecond).toFixed(2)}`, "report (2 cores)", "–"]);
    const once = two.scorecardsPerSession.get(1) ?? 0;
    const other = [...two.scorecardsPerSession].filter(([count]) => count !== 1).reduce((sum, [, sessions]) => sum + sessions, 0);
    rows.push(["ended sessions scored exactly once (two workers)", `${once} of ${two.endedSessions}`, "all", verdict(other === 0 && once === two.endedSessions, `${other} sessions`)]);
    rows.push(["resumes on the other node mid-reply: lost or doubled turns", `${two.resumes} resumes, ${two.acknowledgedTurns} turns, ${two.transcriptProblems.length} problems`, "0", verdict(two.transcriptProblems.length === 0, `${two.transcriptProblems.length}`)]);
    for (const problem of two.transcriptProblems.slice(0, 5)) console.log(`  problem: ${problem}`);
  }

  if (wanted("shared-cost")) {
    const [learners, turns, thinkMs] = full ? [100, 10, 2_000] : [20, 4, 500];
    console.log(`\nShared cost: two processes on one PostgreSQL and one Redis, ${learners} learners × ${turns} exchanges (${thinkMs / 1000} s think time), a socket following each session on the same or the other process…`);
    const shared = await sharedCostRun({ learners, turns, thinkMs });
    rows.push(["PostgreSQL per exchange: transactions / rows written / rows read", `${shared.postgres.transactionsPerExchange.toFixed(1)} / ${shared.postgres.rowsWrittenPerExchange.toFixed(1)} / ${shared.postgres.rowsReadPerExchange.toFixed(0)}`, "–", "–"]);
    const byName = Object.entries(shared.redis.commandsByName)
      .sort((a, b) => b[1] - a[1])
      .map(([name, perExchange]) => `${name} ${perExchange.toFixed(1)}`)
      .join(", ");
    rows.push(["Redis per exchange: commands (by name) / bytes in+out", `${shared.redis.commandsPerExchange.toFixed(1)} (${byName}) / ${(shared.redis.bytesPerExchange / 1024).toFixed(1)} KiB`, "–", "–"]);
    const { sameProcess, otherProcess } = shared.firstTokenAdded;
    rows.push([
      "first token added, socket on the other process ÷ the same process (p50, p95)",
      `${ms(otherProcess.p50)} ÷ ${ms(sameProcess.p50)}, ${ms(otherProcess.p95)} ÷ ${ms(sameProcess.p95)} (${shared.firstTokenAdded.samples} replies)`,
      "report",
      "–",
    ]);
  }

  if (wanted("cost")) {
    console.log(`\nCost: ${size.cost} sessions of 6 learner turns, scored by the judge…`);
    const run = await costRun({ sessions: size.cost, turns: 6, coalesceMs });
    const c = run.cost;
    rows.push(["persona tokens per session, input / output", `${c.personaInputPerSession.toFixed(0)} / ${c.personaOutputPerSession.toFixed(0)}`, "–", "–"]);
    rows.push(["judge tokens per scorecard, input / output", `${c.judgeInputPerScorecard.toFixed(0)} / ${c.judgeOutputPerScorecard.toFixed(0)}`, "–", "–"]);
    rows.push(["judge input ÷ transcript tokens", c.judgeInputOverTranscript.toFixed(2), "–", "–"]);
    const identical = run.distinctPrefixes.every((count) => count === 1);
    rows.push([
      "persona static prefix byte-identical across the turns and sessions of each scenario",
      `${identical ? "yes" : "no"}: ${run.personaRequests} requests over ${run.distinctPrefixes.length} scenarios, prefixes of ${run.prefixBytes.join(", ")} bytes`,
      "yes",
      verdict(identical, "differing prefixes"),
    ]);
    // The fake model counts a token per four characters, as the prefix bytes are counted here.
    const cacheable = run.prefixTokens / (c.personaInputPerSession * c.sessions);
    rows.push(["share of persona input tokens in the cacheable prefix", `${(cacheable * 100).toFixed(0)} %`, "–", "–"]);
  }

  if (wanted("review")) {
    const [learners, sessions, requests] = full ? [1_000, 200, 200] : [100, 50, 50];
    console.log(`\nManager views on PostgreSQL with ${learners} learners × ${sessions} sessions…`);
    const review = await reviewViews(learners, sessions, requests);
    rows.push([`team overview p50 / p95 (${learners} × ${sessions})`, `${ms(review.overview.p50)} / ${ms(review.overview.p95)}`, "p95 ≤ 50 ms", verdict(review.overview.p95 <= 50, ms(review.overview.p95 - 50))]);
    rows.push([`one-to-one brief p50 / p95 (${learners} × ${sessions})`, `${ms(review.brief.p50)} / ${ms(review.brief.p95)}`, "p95 ≤ 50 ms", verdict(review.brief.p95 <= 50, ms(review.brief.p95 - 50))]);
  }

  if (wanted("people-import")) {
    // The target is stated at 20,000 rows, and the run takes seconds: the same size in both modes.
    const people = 20_000;
    for (const kind of ["pglite", "postgresql"] as const) {
      console.log(`\nImporting a CSV of ${people.toLocaleString("en")} people on ${kind}, then the same file again…`);
      const run = await peopleImportRun(kind, people);
      console.log(describeImport(run));
      const target = kind === "pglite" ? "≤ 60 s" : "–";
      const met = kind === "pglite" ? verdict(run.firstSeconds <= 60 && run.secondSeconds <= 60, `${(Math.max(run.firstSeconds, run.secondSeconds) - 60).toFixed(1)} s`) : "–";
      rows.push([`people CSV import, ${people.toLocaleString("en")} rows, first / same file again (${kind})`, `${run.firstSeconds.toFixed(1)} / ${run.secondSeconds.toFixed(1)} s`, target, met]);
      rows.push([`people CSV import, ${people.toLocaleString("en")} rows, every learner renamed and moved (${kind})`, `${run.changedSeconds.toFixed(1)} s`, "–", "–"]);
    }
  }

  if (wanted("offline-scoring")) {
    console.log("\nReading learner turns with the English model and scoring transcripts offline…");
    const run = await offlineScoringRun(full ? 20 : 5);
    console.log(describeScoring(run));
    const ratio = run.classify.p50 / Math.max(run.baseline.p50, 1e-6);
    rows.push(["classify a learner turn from cold, p50 / p95", `${run.classify.p50.toFixed(2)} / ${run.classify.p95.toFixed(2)} ms`, "p95 ≤ 5 ms", verdict(run.classify.p95 <= 5, `${(run.classify.p95 - 5).toFixed(2)} ms`)]);
    rows.push(["… against phrase lookup alone, p50", `${ratio.toFixed(0)}× (${run.baseline.p50.toFixed(3)} ms)`, "–", "–"]);
    rows.push(["score a transcript offline, p50 / p95", `${run.score.p50.toFixed(1)} / ${run.score.p95.toFixed(1)} ms`, "–", "–"]);
  }

  if (wanted("persona-guard")) {
    console.log("\nStreaming the example conversations' persona replies, and prompt echoes, through the output guard…");
    const run = await personaGuardRun(full ? 20 : 5);
    console.log(describeGuard(run));
    const us = (value: number) => `${value.toFixed(1)} µs`;
    rows.push(["persona guard per delta (one token), p50 / p95 / p99", `${us(run.perDelta.p50)} / ${us(run.perDelta.p95)} / ${us(run.perDelta.p99)}`, "p95 ≤ 5 ms server-added (first token)", verdict(run.perDelta.p95 <= 5_000, us(run.perDelta.p95 - 5_000))]);
    rows.push(["… while a prompt echo is cut, p50 / p95", `${us(run.echoPerDelta.p50)} / ${us(run.echoPerDelta.p95)}`, "–", "–"]);
    rows.push(["persona guard built per reply, p50 / p95", `${ms(run.build.p50)} / ${ms(run.build.p95)}`, "–", "–"]);
    rows.push(["replies whose first token the guard held back", `${(run.firstHeld.share * 100).toFixed(1)} %`, "0 %", verdict(run.firstHeld.share === 0, `${(run.firstHeld.share * 100).toFixed(1)} %`)]);
    rows.push(["tokens held back for a later token, share / longest wait", `${(run.held.share * 100).toFixed(1)} % / ${run.held.maxTokens} tokens`, "–", "–"]);
  }

  if (wanted("library-uploads")) {
    console.log("\nValidating hostile library uploads, and asking /health while they are uploaded (PGlite)…");
    const run = await libraryUploadsRun();
    console.log(describeUploads(run));
    for (const [name, each] of Object.entries(run.validateMs)) rows.push([`validate an upload of ${name} (${(each.bytes / 1024).toFixed(0)} KiB), median`, ms(each.median), "–", "–"]);
    rows.push([`validate the shipped library (${run.libraryMs.files} files), median`, ms(run.libraryMs.median), "–", "–"]);
    const { idle, ...during } = run.healthWaitMs;
    rows.push(["longest /health wait with no upload, best of 3", ms(Math.min(...idle)), "–", "(the machine's own noise)"]);
    for (const [name, waits] of Object.entries(during)) {
      const best = Math.min(...waits);
      rows.push([`longest /health wait during an upload of ${name}, best of 3`, ms(best), "≤ 100 ms", verdict(best <= 100, ms(best - 100))]);
    }
    for (const [name, busy] of Object.entries(run.busyMs)) {
      const most = Math.max(...busy);
      rows.push([`server thread busy while answering an upload of ${name}, most of 3`, ms(most), "≤ 100 ms", verdict(most <= 100, ms(most - 100))]);
    }
  }

  if (wanted("voice")) {
    const turns = full ? 100 : 40;
    console.log("\nOne learner speaking to the persona (embedded PGlite), providers answering at once…");
    const instant = await voiceLatencyRun({ turns, speeds: instantSpeeds, pause: false });
    console.log(describeVoiceLatency("Providers answering at once", instant));
    console.log("\nProviders at published speeds (STT 300 ms, LLM first token 400 ms at 50 tokens/s, TTS first byte 150 ms), the client saying when the learner paused…");
    const published = await voiceLatencyRun({ turns, speeds: publishedSpeeds, pause: true });
    console.log(describeVoiceLatency(`Published speeds, transcribed from the pause (the detector's ${detectorQuietMs} ms of quiet before voice-end)`, published));
    console.log("\nThe same without voice-pause: the whole transcription after the detector's decision…");
    const unpaused = await voiceLatencyRun({ turns, speeds: publishedSpeeds, pause: false });
    console.log(describeVoiceLatency("Published speeds, transcribed after voice-end", unpaused));
    console.log("\nThe same two on PostgreSQL, the database an organisation runs…");
    const instantPostgres = await voiceLatencyRun({ turns, speeds: instantSpeeds, pause: false, database: "postgresql" });
    console.log(describeVoiceLatency("Providers answering at once, PostgreSQL", instantPostgres));
    const publishedPostgres = await voiceLatencyRun({ turns, speeds: publishedSpeeds, pause: true, database: "postgresql" });
    console.log(describeVoiceLatency("Published speeds with voice-pause, PostgreSQL", publishedPostgres));
    for (const [label, run] of [
      ["instant providers, PGlite", instant],
      ["published speeds, PGlite", published],
      ["instant providers, PostgreSQL", instantPostgres],
      ["published speeds, PostgreSQL", publishedPostgres],
    ] as const) {
      const added = run.stages.serverAdded;
      rows.push([`voice: server-added, end of speech → first audio, p50 / p95 (${label})`, `${ms(added.p50)} / ${ms(added.p95)}`, "p95 ≤ 50 ms", verdict(added.p95 <= 50, ms(added.p95 - 50))]);
    }
    rows.push(["voice: detector's decision → first audio at the learner, p50 (published speeds, voice-pause)", ms(published.stages.endToEnd.p50), "p50 ≤ 800 ms", verdict(published.stages.endToEnd.p50 <= 800, ms(published.stages.endToEnd.p50 - 800))]);
    rows.push(["voice: the same without voice-pause, p50", ms(unpaused.stages.endToEnd.p50), "–", "–"]);

    const textSessions = 200;
    console.log(`\n${textSessions} learners practising by text on PostgreSQL, one window alone and one while a learner speaks turn after turn…`);
    const beside = await voiceBesideTextRun({ database: "postgresql", sessions: textSessions, thinkMs: size.thinkMs, windowMs: Math.max(15_000, size.windowMs) });
    console.log(`Text first token added p50 / p95 / p99: alone ${ms(beside.textOnly.p50)} / ${ms(beside.textOnly.p95)} / ${ms(beside.textOnly.p99)} over ${beside.textOnly.replies} replies; beside the speaking learner ${ms(beside.withVoice.p50)} / ${ms(beside.withVoice.p95)} / ${ms(beside.withVoice.p99)} over ${beside.withVoice.replies} replies.`);
    console.log(`The speaking learner: ${beside.voiceTurns} turns in the window, ${beside.sentKiB.toFixed(0)} KiB of speech sent, ${beside.audioKiB.toFixed(0)} KiB of the persona's speech received.`);
    const ratio = beside.withVoice.p95 / beside.textOnly.p95;
    rows.push([
      `text first token added p95, ${textSessions} text sessions alone → with one speaking`,
      `${ms(beside.textOnly.p95)} → ${ms(beside.withVoice.p95)} (× ${ratio.toFixed(2)})`,
      "within the text budget (p95 ≤ 5 ms at 1,000)",
      verdict(beside.withVoice.p95 <= 5, ms(beside.withVoice.p95 - 5)),
    ]);
  }

  print();
  console.log(`\nTook ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    print();
    console.error(error);
    process.exit(1);
  },
);
