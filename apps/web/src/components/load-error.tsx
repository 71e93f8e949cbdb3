import { ApiError } from "../api/client.ts";

/**
 * What a person reads when something could not be loaded: in words, with what to do next, and a
 * Try again button where trying again can help (the server or the network failed). A refusal or
 * a wrong address will not change on a second try, so it offers a way on instead.
 */
export function loadErrorText(error: Error, what: string): { message: string; retry: boolean } {
  if (!(error instanceof ApiError)) return { message: `${capitalised(what)} could not be shown. Reload the page to try again.`, retry: true };
  if (error.code === "NETWORK") return { message: `${capitalised(what)} could not be loaded: Spar could not be reached. Check your connection, then try again.`, retry: true };
  if (error.status === 401) return { message: "Your sign-in has ended. Sign in again to continue.", retry: false };
  if (error.status === 403) return { message: `You do not have access to ${what}.`, retry: false };
  // A mistyped or truncated address fails the id check (400) or names nothing (404): the same to a reader.
  if (error.status === 404 || error.status === 400) return { message: `There is no ${what} at this address. Check the link you followed.`, retry: false };
  if (error.status === 429) return { message: `${capitalised(what)} could not be loaded just now: too many requests. Wait a moment, then try again.`, retry: true };
  return { message: `${capitalised(what)} could not be loaded: something went wrong on our side. Try again in a moment.`, retry: true };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function LoadError({ error, what, onRetry }: { error: Error; what: string; onRetry?: () => void }) {
  const { message, retry } = loadErrorText(error, what);
  return (
    <div className="notice error load-error" role="alert">
      <p>{message}</p>
      {retry && onRetry && (
        <button type="button" className="button subtle" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
