import { CurrentUser, DemoAccounts, SetupStatus, SignInOptions } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";

const MeResponse = z.object({ user: CurrentUser });

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
      try {
        return (await api("/api/auth/me", MeResponse)).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
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
      try {
        return await api("/api/auth/demo-accounts", DemoAccounts);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
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
