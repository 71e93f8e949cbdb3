export { type ChatRequest, type FakeOpenAiOptions, FakeOpenAiServer, type FakeStep, fakeTokens, type TokenEmission } from "./fake-openai-server.ts";
