import type { SignedIn } from "@spar/domain";
import type { FastifyReply } from "fastify";
import { sessionCookie } from "../../plugins/access-control.ts";

export function setSessionCookie(reply: FastifyReply, signedIn: Pick<SignedIn, "token" | "expiresAt">, secure: boolean): void {
  reply.setCookie(sessionCookie, signedIn.token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    expires: signedIn.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookie, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
