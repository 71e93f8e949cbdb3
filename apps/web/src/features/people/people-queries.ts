import { PeoplePage, Person, type PeopleQuery, TeamDetail } from "@spar/protocol";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../api/client.ts";

export const peopleKeys = {
  all: ["people"] as const,
  list: (filters: PeopleFilters) => ["people", "list", filters] as const,
  person: (id: string) => ["people", "person", id] as const,
  teams: ["admin-teams"] as const,
};

export type PeopleFilters = Pick<PeopleQuery, "search" | "role" | "status" | "teamId">;

export function peopleUrl(filters: PeopleFilters & { cursor?: string | undefined; limit?: number }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `/api/people?${text}` : "/api/people";
}

/** People matching the filters, a page at a time ("Load more" fetches the next). */
export function usePeoplePages(filters: PeopleFilters) {
  return useInfiniteQuery({
    queryKey: peopleKeys.list(filters),
    queryFn: ({ pageParam }) => api(peopleUrl({ ...filters, cursor: pageParam ?? undefined, limit: 50 }), PeoplePage),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePerson(id: string) {
  return useQuery({
    queryKey: peopleKeys.person(id),
    queryFn: async () => (await api(`/api/people/${id}`, z.object({ person: Person }))).person,
  });
}

export function useAdminTeams() {
  return useQuery({
    queryKey: peopleKeys.teams,
    queryFn: async () => (await api("/api/admin/teams", z.object({ teams: z.array(TeamDetail) }))).teams,
  });
}

/** People with the manager role, for choosing a team's managers. */
export function useManagers() {
  return useQuery({
    queryKey: ["people", "managers"],
    queryFn: async () => (await api(peopleUrl({ role: "manager", limit: 200 }), PeoplePage)).people,
  });
}

export const statusLabels = { invited: "Invited", active: "Active", deactivated: "Deactivated" } as const;
