import {
  MutationCache,
  QueryCache,
  QueryClient,
  QueryClientProvider,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import type { CurrentUser } from "@spar/protocol";
import {
  createBrowserRouter,
  Link,
  Navigate,
  NavLink,
  Outlet,
  RouterProvider,
  useLocation,
  useNavigate,
  useOutletContext,
} from "react-router";
import { ApiError, api } from "./api/client.ts";
import { LoadError } from "./components/load-error.tsx";
import { RouteFocus } from "./components/route-focus.tsx";
import { AccountLinkPage } from "./features/account/account-link-page.tsx";
import { AccountPage } from "./features/account/account-page.tsx";
import { AuditLogPage } from "./features/audit/audit-page.tsx";
import { queryKeys, useCurrentUser, useSetupStatus } from "./features/auth/auth-queries.ts";
import { SetupPage } from "./features/auth/setup-page.tsx";
import { SignInPage } from "./features/auth/sign-in-page.tsx";
import { HistoryPage } from "./features/history/history-page.tsx";
import { HomePage } from "./features/home/home-page.tsx";
import { ImportPage } from "./features/people/import-page.tsx";
import { PeoplePage } from "./features/people/people-page.tsx";
import { PersonPage } from "./features/people/person-page.tsx";
import { PracticePage, SessionPage } from "./features/practice/practice-page.tsx";
import { PersonBriefPage } from "./features/review/person-brief-page.tsx";
import { ProgrammePage } from "./features/review/programme-page.tsx";
import { ReviewSessionPage } from "./features/review/review-session-page.tsx";
import { TeamsPage } from "./features/teams/teams-page.tsx";

// The library editor carries the whole validator; only L&D admins download it.
const LibraryAdminPage = lazy(() =>
  import("./features/library-admin/library-admin-page.tsx").then((module) => ({ default: module.LibraryAdminPage })),
);

// A 401 from any call means this browser's sign-in ended (signed out elsewhere, deactivated, expired):
// forgetting the current user sends the signed-in layout to the sign-in page at once.
const signedOut = (error: Error) => {
  if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(queryKeys.me, null);
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: signedOut }),
  mutationCache: new MutationCache({ onError: signedOut }),
  defaultOptions: {
    queries: {
      // One request per failure: the page says what went wrong and offers Try again where it can
      // help (LoadError), rather than sending every failing request twice.
      retry: false,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

function SignOutButton() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api("/api/auth/sign-out", null, { method: "POST" }),
    onSuccess: () => {
      client.clear();
      navigate("/sign-in", { replace: true });
    },
  });
  return (
    <button type="button" className="button subtle" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      Sign out
    </button>
  );
}

/** The shape of a page while the sign-in is checked: the top bar and grey lines, not a blank. */
function PageSkeleton() {
  return (
    <>
      <header className="top-bar">
        <span className="brand">Spar</span>
      </header>
      <main className="page" id="main" aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading…
        </p>
        <div className="skeleton skeleton-heading" />
        <div className="skeleton skeleton-line" />
        <div className="skeleton skeleton-line short" />
      </main>
    </>
  );
}

/** Pages for signed-in people: sends everyone else to set-up or sign-in first. */
function SignedInLayout() {
  const location = useLocation();
  const setup = useSetupStatus();
  const me = useCurrentUser();
  if (setup.isPending || me.isPending) return <PageSkeleton />;
  if (setup.isError || me.isError) {
    return (
      <main className="page" id="main">
        <h1>Spar</h1>
        <LoadError error={(setup.error ?? me.error) as Error} what="Spar" onRetry={() => void Promise.all([setup.refetch(), me.refetch()])} />
      </main>
    );
  }
  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (!me.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          Spar
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Practise
          </NavLink>
          <NavLink to="/history">History</NavLink>
          {me.data.role === "ld_admin" && <NavLink to="/programme">Programme</NavLink>}
          {me.data.role === "ld_admin" && <NavLink to="/library">Library</NavLink>}
          {me.data.role === "ld_admin" && <NavLink to="/admin/people">People</NavLink>}
          {me.data.role === "ld_admin" && <NavLink to="/admin/teams">Teams</NavLink>}
          {me.data.role === "ld_admin" && <NavLink to="/admin/audit">Audit log</NavLink>}
        </nav>
        <Link to="/account" className="top-bar-user" title="Your account">
          {me.data.name}
        </Link>
        <SignOutButton />
      </header>
      <Outlet context={me.data} />
    </>
  );
}

function HomeRoute() {
  return <HomePage user={useOutletContext<CurrentUser>()} />;
}

function NotFoundPage() {
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </main>
  );
}

/** Every page: names the tab after the page and moves focus to its heading on navigation. */
function RootLayout() {
  return (
    <>
      <RouteFocus />
      <Outlet />
    </>
  );
}

const router = createBrowserRouter([
  {
    element: <RootLayout />,
    children: [
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/setup", element: <SetupPage /> },
      { path: "/welcome/:token", element: <AccountLinkPage purpose="invitation" /> },
      { path: "/reset-password/:token", element: <AccountLinkPage purpose="password_reset" /> },
      {
        path: "/",
        element: <SignedInLayout />,
        children: [
          { index: true, element: <HomeRoute /> },
          { path: "practice/:scenarioId", element: <PracticePage /> },
          { path: "sessions/:sessionId", element: <SessionPage /> },
          { path: "history", element: <HistoryPage /> },
          { path: "people/:learnerId", element: <PersonBriefPage /> },
          { path: "review/sessions/:sessionId", element: <ReviewSessionPage /> },
          { path: "programme", element: <ProgrammePage /> },
          {
            path: "library",
            element: (
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <LibraryAdminPage />
              </Suspense>
            ),
          },
          { path: "account", element: <AccountPage /> },
          { path: "admin/people", element: <PeoplePage /> },
          { path: "admin/people/import", element: <ImportPage /> },
          { path: "admin/people/:personId", element: <PersonPage /> },
          { path: "admin/teams", element: <TeamsPage /> },
          { path: "admin/audit", element: <AuditLogPage /> },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
