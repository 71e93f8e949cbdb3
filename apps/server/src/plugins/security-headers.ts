import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/**
 * The Content-Security-Policy the built web app runs under: its own scripts, styles, images and
 * fonts only, nothing inline (the build emits none, and React sets styles through the DOM, which
 * the policy allows), and fetches and the practice websocket to this origin only ('self' covers
 * ws: and wss: on the same host). No site may frame Spar, so its forms cannot be clickjacked.
 * 'wasm-unsafe-eval' lets WebAssembly compile (the voice-activity detector's ONNX Runtime, served
 * from this origin); it allows no JavaScript eval.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[]> {
  return {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    // Forms post to Spar only; single sign-on leaves by a link, not a form, so the provider's
    // address need not be listed.
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    // Over plain http (a laptop, a trial on the LAN) an upgrade would break every request.
    ...(https ? { "upgrade-insecure-requests": [] } : {}),
  };
}

/**
 * Security headers on every answer, HTML, assets, API and errors alike (registered first, so even
 * a request refused by a later hook carries them).
 */
export const securityHeaders = fp(async (app: FastifyInstance, options: { https: boolean }) => {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options.https) },
    // Both the old header and frame-ancestors: browsers that predate CSP 2 still honour this one.
    frameguard: { action: "deny" },
    // Only over https: HSTS on a plain-http install would lock browsers out of it for a year.
    hsts: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Spar's paths (session ids, invitation links) never reach other sites. Not no-referrer:
    // under it a form posted from Spar's own page carries `Origin: null`, which the origin check
    // refuses (fetch still sends the origin, but a plain form should not break).
    referrerPolicy: { policy: "same-origin" },
  });
});
