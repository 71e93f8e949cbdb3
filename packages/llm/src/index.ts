export { OfflinePersonaEngine } from "./offline-persona-engine.ts";
