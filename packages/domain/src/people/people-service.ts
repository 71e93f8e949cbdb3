import type { NewPersonRequest, PeopleQuery, UpdatePersonRequest } from "@spar/protocol";
import type { Actor, PeopleStore, PersonWriteResult } from "./people-store.ts";

export interface SignInRevocation {
  /** Ends every sign-in and open practice socket of the person, on every server process. */
  revoke(userId: string): Promise<void>;
}

/**
 * The L&D admin's people work. The store enforces every rule that two requests could race on
 * (unique e-mail, the last admin) in the statement or transaction that writes; this adds what
 * follows a write: a deactivated person's sign-ins end at once, everywhere.
 */
export class PeopleService {
  constructor(private readonly deps: { store: PeopleStore; revocation: SignInRevocation }) {}

  /** Teams are written straight through the store: none of their rules need more than it. */
  get store(): PeopleStore {
    return this.deps.store;
  }

  list(query: PeopleQuery) {
    return this.deps.store.list(query);
  }

  get(id: string) {
    return this.deps.store.get(id);
  }

  create(request: NewPersonRequest, actor: Actor): Promise<PersonWriteResult> {
    return this.deps.store.create({ ...request, teamId: request.teamId ?? null }, actor);
  }

  async update(id: string, change: UpdatePersonRequest & { email?: string; externalId?: string | null }, actor: Actor): Promise<PersonWriteResult> {
    const result = await this.deps.store.update(id, change, actor);
    if (result.ok && result.changed.includes("deactivated")) await this.deps.revocation.revoke(id);
    return result;
  }
}
