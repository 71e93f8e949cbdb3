import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { quietVoiceActivity } from "./vite-plugins/quiet-voice-activity.ts";
import { voiceActivityAssets } from "./vite-plugins/voice-activity-assets.ts";

// In development the Vite server proxies API, websocket and health calls to the Fastify server,
// so the browser sees one origin as it does in production.
const api = process.env.SPAR_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react(), quietVoiceActivity(), voiceActivityAssets()],
  server: {
    port: 5173,
    proxy: {
      "/api": { target: api, ws: true },
      "/health": api,
    },
  },
  build: { outDir: "dist", sourcemap: true },
});
