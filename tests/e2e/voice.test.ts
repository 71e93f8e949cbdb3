// Voice practice in real Chromium against the built app and a real server whose speech services
// are the fake provider's (scripted transcripts, a quiet tone for speech). The microphone is
// Chromium's fake device playing a WAV that espeak-ng says, looped: a second of silence, the
// learner's words, two seconds of silence. Checked: a spoken turn's words appear and are
// acknowledged, the persona's speech plays on a running AudioContext, speaking over it stops it
// (at once; after 300 ms of speech its turn ends there) and the turn keeps what was heard,
// the room at phone width has no serious accessibility problem, the ended conversation plays back
// its kept audio, and the detector writes nothing to the console.
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";
import { spokenWav } from "../fixtures/spoken-wav.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const transcript = "I hear you. That sounds really frustrating, and I am sorry you had to explain it three times.";

/** What the page's audio did, as the test sees it through the real Web Audio objects. */
interface AudioEvent {
  /** voice-start: the page opened an utterance (sent `voice-start` on the practice socket). */
  what: "start" | "stop" | "gain" | "voice-start";
  /** performance.now() in the page. */
  at: number;
  /** start: the piece's length in seconds; gain: the level aimed at. */
  value: number;
  /** gain: when the change begins, on the audio clock (seconds). */
  from?: number;
  /** stop: the piece was cut before it had played out. */
  cut?: boolean;
}

// Wraps the Web Audio calls the player makes, so the test can see what really played: every
// AudioContext, every piece of audio started or stopped, and every change of volume.
function watchAudio() {
  const log: AudioEvent[] = [];
  const contexts: AudioContext[] = [];
  const ends = new WeakMap<AudioBufferSourceNode, number>();
  Object.assign(window, { __audioLog: log, __audioContexts: contexts });
  const NativeContext = window.AudioContext;
  window.AudioContext = class extends NativeContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.push(this);
    }
  };
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, when = 0, ...rest: number[]) {
    const duration = this.buffer?.duration ?? 0;
    ends.set(this, Math.max(when, this.context.currentTime) + duration);
    log.push({ what: "start", at: performance.now(), value: duration });
    return start.call(this, when, ...rest);
  };
  const stop = AudioBufferSourceNode.prototype.stop;
  AudioBufferSourceNode.prototype.stop = function (this: AudioBufferSourceNode, when?: number) {
    log.push({ what: "stop", at: performance.now(), value: 0, cut: this.context.currentTime < (ends.get(this) ?? 0) });
    return stop.call(this, when);
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
    if (typeof data === "string" && data.includes('"type":"voice-start"')) log.push({ what: "voice-start", at: performance.now(), value: 0 });
    return send.call(this, data);
  };
  const setTarget = AudioParam.prototype.setTargetAtTime;
  AudioParam.prototype.setTargetAtTime = function (this: AudioParam, target: number, startTime: number, timeConstant: number) {
    log.push({ what: "gain", at: performance.now(), value: target, from: startTime });
    return setTarget.call(this, target, startTime, timeConstant);
  };
}

const audioLog = (page: Page) => page.evaluate(() => (window as unknown as { __audioLog: AudioEvent[] }).__audioLog);

describe("voice practice in the browser", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  /** Everything the page wrote to its console. */
  const consoleLines: string[] = [];

  beforeAll(async () => {
    const microphone = spokenWav(path.join(tmpdir(), `spar-voice-${process.pid}.wav`), transcript, { silenceBeforeSeconds: 1, silenceAfterSeconds: 2 });
    fake = await FakeOpenAiServer.start({ audio: { transcript } });
    server = await startTestApp("pglite", {
      socket: { messagesPerSecond: 200, messageBurst: 200 },
      // Spoken turns' audio is kept, so the learner can play it back once the conversation ends.
      environment: { SPAR_STT_BASE_URL: fake.baseUrl, SPAR_TTS_BASE_URL: fake.baseUrl, SPAR_KEEP_AUDIO: "on" },
    });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser({
      args: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${microphone.path}`],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(watchAudio);
    page = await context.newPage();
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it("offers typing by default, and speaking where the session can be practised by voice", async () => {
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    const replyBy = page.getByRole("group", { name: "Reply by" });
    await replyBy.waitFor();
    expect(await replyBy.getByRole("radio", { name: "Typing" }).isChecked()).toBe(true);
    expect(await page.locator(".voice-status").count()).toBe(0);
  });

  it("hears a spoken turn, shows its words, and plays the persona's reply", { timeout: 120_000 }, async () => {
    await page.getByRole("radio", { name: "Speaking" }).check();
    // The choice is remembered for the next conversation.
    expect(await page.evaluate(() => localStorage.getItem("spar.practice.reply-mode"))).toBe("voice");
    const status = page.getByRole("status").filter({ hasText: /Listening|speaking|Writing down/ });
    await status.waitFor({ timeout: 30_000 });

    // The learner's words, as the server heard them, become their turn once acknowledged.
    const spokenTurn = page.locator(".turn-learner:not(.turn-speaking)", { hasText: "I hear you." }).first();
    await spokenTurn.waitFor({ timeout: 60_000 });

    // The persona's speech plays: pieces of audio started on a running AudioContext, and the
    // status says so.
    await page.waitForFunction(() => document.querySelector(".voice-status")?.getAttribute("data-playing") === "true", null, { timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { __audioLog: AudioEvent[] }).__audioLog.some((event) => event.what === "start" && event.value > 0));
    expect(await page.evaluate(() => (window as unknown as { __audioContexts: AudioContext[] }).__audioContexts.map((context) => context.state))).toContain("running");
    expect(await status.textContent()).toMatch(/Carmen Ortiz is speaking|Listening/);
  });

  it("stops the persona when the learner speaks over it, and keeps the turn as far as it was heard", { timeout: 120_000 }, async () => {
    // The microphone's words come round again while the persona speaks: a barge-in.
    const spokenOver = page.locator(".turn-persona", { hasText: "(you spoke over this; kept up to what you heard)" }).first();
    await spokenOver.waitFor({ timeout: 90_000 });
    // The persona stopped the moment the detector heard speech over it, and nothing of it played
    // again before the learner's utterance opened, 300 ms of speech later (later still if the
    // page's timer fires late on a busy machine): a barge-in while a piece of its speech played.
    // (One that comes while no piece is playing, between sentences, stops nothing: the
    // microphone's words come round again until one lands on the persona's speech.)
    await page.waitForFunction(
      () => {
        const log = (window as unknown as { __audioLog: AudioEvent[] }).__audioLog;
        return log.some((opened, index) => {
          if (opened.what !== "voice-start") return false;
          const before = log.slice(0, index);
          const stopped = before.filter((event) => event.what === "stop" && event.cut).at(-1);
          if (!stopped || before.some((event) => event.what === "start" && event.at > stopped.at)) return false;
          return opened.at - stopped.at >= 290;
        });
      },
      null,
      { timeout: 90_000 },
    );
    // Nothing more of that turn is played: the status says the persona is not speaking.
    await page.waitForFunction(() => document.querySelector(".voice-status")?.getAttribute("data-playing") === "false", null, { timeout: 5_000 });
  });

  it("with review on, puts the words in the text box to correct, and sends them as the learner's turn", { timeout: 120_000 }, async () => {
    await page.getByLabel("Check my words before they are sent").check();
    expect(await page.evaluate(() => localStorage.getItem("spar.practice.review-speech"))).toBe("on");
    const box = page.getByLabel("Your message");
    await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>("#composer-input")?.value.startsWith("I hear you."), null, { timeout: 90_000 });
    await page.getByText("Check your words in the box below").waitFor();
    await box.fill("I hear you, and I am sorry it happened three times.");
    await box.press("Enter");
    await page.locator(".turn-learner", { hasText: "I hear you, and I am sorry it happened three times." }).waitFor({ timeout: 30_000 });
    await page.getByLabel("Check my words before they are sent").uncheck();
  });

  it("has no serious accessibility problem at phone width, in voice mode", { timeout: 60_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const serious = (await accessibilityViolations(page)).filter((violation) => violation.impact === "critical" || violation.impact === "serious");
    expect(serious).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(tmpdir(), "spar-voice-phone.png"), fullPage: true });
    await page.locator(".voice-panel").screenshot({ path: path.join(tmpdir(), "spar-voice-panel-phone.png") });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("after a reload, resumes in voice mode without speaking the opening line again", { timeout: 60_000 }, async () => {
    const startsBefore = (await audioLog(page)).length;
    expect(startsBefore).toBeGreaterThan(0);
    await page.reload();
    await page.getByRole("radio", { name: "Speaking" }).waitFor();
    expect(await page.getByRole("radio", { name: "Speaking" }).isChecked()).toBe(true);
    // Without a click on the new page the browser may hold sound back: the room offers the click.
    const turnOn = page.getByRole("button", { name: "Turn on sound and microphone" });
    await page.waitForFunction(() => /Listening|paused/.test(document.querySelector(".voice-status")?.textContent ?? ""), null, { timeout: 30_000 });
    if (await turnOn.isVisible()) await turnOn.click();
    await page.waitForFunction(() => (window as unknown as { __audioContexts: AudioContext[] }).__audioContexts.some((context) => context.state === "running"));
  });

  it("once the conversation has ended, lets the learner play back the kept audio of its spoken turns", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End conversation" }).click();
    await page.locator(".ended").waitFor({ timeout: 30_000 });
    const learnerPlayer = page.getByLabel("Play what you said").first();
    await learnerPlayer.waitFor({ timeout: 30_000 });
    // Not downloaded until played; the address answers with the turn's audio.
    expect(await learnerPlayer.getAttribute("preload")).toBe("none");
    const source = (await learnerPlayer.getAttribute("src")) ?? "";
    const answer = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get("content-type"), bytes: (await response.arrayBuffer()).byteLength };
    }, source);
    expect(answer).toMatchObject({ status: 200, type: "audio/wav" });
    expect(answer.bytes).toBeGreaterThan(44);
    // A player beside each turn whose audio was kept, as the API says, and beside no other.
    const withPlayers = await page.locator(".turn:has(audio.turn-audio)").evaluateAll((turns) => turns.map((turn) => Number(turn.id.replace("turn-", ""))));
    const sessionId = new URL(page.url()).pathname.split("/").at(-1);
    const kept = await page.evaluate(async (id) => {
      const { session } = (await (await fetch(`/api/practice-sessions/${id}`)).json()) as { session: { turns: { seq: number; audio?: boolean }[] } };
      return session.turns.filter((turn) => turn.audio).map((turn) => turn.seq);
    }, sessionId);
    expect(withPlayers).toEqual(kept);
  });

  it("leaves the console quiet: the detector and ONNX Runtime say nothing while all goes well", () => {
    // Voice started, heard speech, was spoken over, and started again after a reload by now.
    expect(consoleLines.filter((line) => /VAD|audio context|onnxruntime|\[W:/i.test(line))).toEqual([]);
  });

  it("says so when the microphone is refused, and goes back to typing", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    // The learner says no when the browser asks.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
      localStorage.setItem("spar.practice.reply-mode", "voice");
    });
    const refused = await context.newPage();
    await refused.goto(`${baseUrl}/sign-in`);
    await refused.getByRole("button", { name: /Tomás Ortega/ }).click();
    await refused.getByRole("heading", { name: /^Hello/ }).waitFor();
    await refused.goto(`${baseUrl}/practice/frustrated-customer`);
    await refused.getByRole("button", { name: "Start the conversation" }).click();
    await refused.getByRole("alert").filter({ hasText: "Spar may not use your microphone" }).waitFor({ timeout: 30_000 });
    expect(await refused.getByRole("radio", { name: "Typing" }).isChecked()).toBe(true);
    expect(await refused.getByLabel("Your message").isEnabled()).toBe(true);
    await context.close();
  });
});

// Without a text-to-speech service the server sends no audio: the browser speaks the persona's
// replies itself, sentence by sentence as their text streams in, or, in a browser without speech
// synthesis, shows them as text while still hearing the learner. (Headless Chromium has no voices,
// so each utterance fails at once; what the room asked the synthesiser to say is what is checked.)
describe("voice practice where the browser speaks the replies", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const microphone = spokenWav(path.join(tmpdir(), `spar-voice-browser-${process.pid}.wav`), transcript, { silenceBeforeSeconds: 1, silenceAfterSeconds: 2 });
    fake = await FakeOpenAiServer.start({ audio: { transcript } });
    server = await startTestApp("pglite", {
      socket: { messagesPerSecond: 200, messageBurst: 200 },
      environment: { SPAR_STT_BASE_URL: fake.baseUrl },
    });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser({
      args: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${microphone.path}`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it("speaks the opening line and each reply's sentences with the browser's speech synthesis", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      const said: string[] = [];
      Object.assign(window, { __said: said });
      const speak = speechSynthesis.speak.bind(speechSynthesis);
      speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
        said.push(utterance.text);
        speak(utterance);
      };
      localStorage.setItem("spar.practice.reply-mode", "voice");
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    const said = () => page.evaluate(() => (window as unknown as { __said: string[] }).__said);

    const opening = (await page.locator(".turn-persona").first().textContent({ timeout: 30_000 })) ?? "";
    await page.waitForFunction(() => (window as unknown as { __said: string[] }).__said.length > 0, null, { timeout: 30_000 });
    expect(opening).toContain((await said())[0]);

    // The learner's words, then the reply, spoken a sentence at a time, in order.
    await page.locator(".turn-learner:not(.turn-speaking)", { hasText: "I hear you." }).first().waitFor({ timeout: 60_000 });
    const reply = page.locator(".turn-persona:not(.turn-streaming)").nth(1);
    await reply.waitFor({ timeout: 30_000 });
    const replyText = (await reply.locator(".turn-text").textContent()) ?? "";
    await page.waitForFunction((text) => (window as unknown as { __said: string[] }).__said.some((each) => text.startsWith(each)), replyText);
    const spokenOfReply = (await said()).filter((each) => replyText.includes(each));
    expect(spokenOfReply.length).toBeGreaterThan(0);
    expect(spokenOfReply.join(" ")).toBe(replyText.trim().slice(0, spokenOfReply.join(" ").length));
    await context.close();
  });

  it("still hears the learner where the browser cannot speak, and shows the replies as text", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      // A browser without speech synthesis (some builds and embedded views have none).
      for (const scope of [window, Window.prototype]) {
        Reflect.deleteProperty(scope, "speechSynthesis");
        Reflect.deleteProperty(scope, "SpeechSynthesisUtterance");
      }
      localStorage.setItem("spar.practice.reply-mode", "voice");
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    expect(await page.evaluate(() => "speechSynthesis" in window)).toBe(false);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();

    await page.getByText("This browser cannot read replies aloud").waitFor({ timeout: 30_000 });
    await page.locator(".turn-learner:not(.turn-speaking)", { hasText: "I hear you." }).first().waitFor({ timeout: 60_000 });
    await page.locator(".turn-persona:not(.turn-streaming)").nth(1).waitFor({ timeout: 30_000 });
    // Voice did not stop: still speaking, nothing went wrong.
    expect(await page.getByRole("radio", { name: "Speaking" }).isChecked()).toBe(true);
    expect(await page.getByRole("alert").count()).toBe(0);
    await context.close();
  });
});

describe("voice practice on the Realtime engine", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;
  // Long enough to still be speaking when the microphone's words come round again.
  const reply =
    "I have heard that before, twice, from two different people who both told me it was fixed. The invoice came again on the first of the month, for the wrong amount, and nobody called. So tell me, what is actually different this time, and who will still be answering my calls next month?";

  beforeAll(async () => {
    const microphone = spokenWav(path.join(tmpdir(), `spar-voice-realtime-${process.pid}.wav`), transcript, { silenceBeforeSeconds: 1, silenceAfterSeconds: 2 });
    fake = await FakeOpenAiServer.start({ audio: { transcript }, reply: () => reply, realtime: { apiKey: "sk-realtime-e2e", transcriptionMs: 50, firstAudioMs: 50 } });
    server = await startTestApp("pglite", {
      socket: { messagesPerSecond: 200, messageBurst: 200 },
      environment: { SPAR_VOICE_ENGINE: "realtime", SPAR_REALTIME_BASE_URL: fake.baseUrl, SPAR_REALTIME_API_KEY: "sk-realtime-e2e" },
    });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser({
      args: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${microphone.path}`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it("hears the learner and plays the model's own speech, and a barge-in keeps the reply up to what was heard", { timeout: 150_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(watchAudio);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.getByRole("radio", { name: "Speaking" }).check();

    // The learner's words, as the Realtime session transcribed them, become their turn.
    await page.locator(".turn-learner:not(.turn-speaking)", { hasText: "I hear you." }).first().waitFor({ timeout: 60_000 });
    // The model's reply plays on a running AudioContext while its words appear.
    await page.waitForFunction(() => document.querySelector(".voice-status")?.getAttribute("data-playing") === "true", null, { timeout: 30_000 });
    await page.locator(".turn-persona", { hasText: "I have heard that before" }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __audioContexts: AudioContext[] }).__audioContexts.map((each) => each.state))).toContain("running");

    // The microphone's words come round again while the persona speaks: it is stopped, and the
    // turn is kept only as far as it was heard. (The opening line may be spoken over too.)
    const spokenOver = page.locator(".turn-persona", { hasText: "(you spoke over this; kept up to what you heard)" }).filter({ has: page.locator(".turn-text", { hasText: /^I have/ }) }).first();
    await spokenOver.waitFor({ timeout: 90_000 });
    const kept = (await spokenOver.locator("p").first().textContent())?.trim() ?? "";
    expect(kept.length).toBeGreaterThan(0);
    expect(reply.startsWith(kept.replace(/…$/, "").trim())).toBe(true);
    expect(kept.length).toBeLessThan(reply.length);
    // The reply was written by the Realtime model, in full before the learner spoke over it; what was heard of it is what stays.
    expect(fake.realtimeResponses.some((response) => response.text.trim() === reply)).toBe(true);
    expect((await audioLog(page)).some((event) => event.what === "stop" && event.cut)).toBe(true);
    await page.screenshot({ path: path.join(tmpdir(), "spar-voice-realtime.png") });
    // The key never reached the page.
    expect(await page.content()).not.toContain("sk-realtime-e2e");
    await context.close();
  });
});
