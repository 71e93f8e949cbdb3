import { CurrentUser, DemoAccounts, SetupStatus, SignInOptions } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../api/client.ts";

const MeResponse = z.object({ user: CurrentUser });
const SessionResponse = z.object({ user: CurrentUser.nullable() });

export const queryKeys = {
  setup: ["setup"] as const,
  me: ["me"] as const,
  demoAccounts: ["demo-accounts"] as const,
  signInOptions: ["sign-in-options"] as const,
};

/** null when nobody is signed in. */
export function useCurrentUser() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async () => {
      // Answered 200 whether or not anyone is signed in, so a signed-out visit logs no error.
      return (await api("/api/auth/session", SessionResponse)).user;
    },
  });
}

export function useSetupStatus() {
  return useQuery({ queryKey: queryKeys.setup, queryFn: () => api("/api/setup", SetupStatus) });
}

/** null when no demo data is loaded. */
export function useDemoAccounts() {
  return useQuery({
    queryKey: queryKeys.demoAccounts,
    queryFn: async () => {
      const demo = await api("/api/auth/demo-accounts", DemoAccounts);
      return demo.password === null ? null : { password: demo.password, accounts: demo.accounts };
    },
  });
}

/** Password sign-in and/or the organisation's single sign-on. */
export function useSignInOptions() {
  return useQuery({
    queryKey: queryKeys.signInOptions,
    queryFn: () => api("/api/auth/options", SignInOptions),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const signInResponse = MeResponse;
