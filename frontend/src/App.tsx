// The shell: navigation, who is signed in, and the routes of every screen.
import { NavLink, Route, Routes } from "react-router-dom";
import { useLogout, useMe } from "./auth";
import { ConflictsPage } from "./routes/ConflictsPage";
import { LoginPage } from "./routes/LoginPage";
import { MapPage } from "./routes/MapPage";
import { NotFoundPage } from "./routes/NotFoundPage";
import { TermPage } from "./routes/TermPage";
import { TermsPage } from "./routes/TermsPage";
import { ThreadPage } from "./routes/ThreadPage";
import { ThreadsPage } from "./routes/ThreadsPage";

export function App() {
  return (
    <>
      <Header />
      <main id="main">
        <Routes>
          <Route path="/" element={<ThreadsPage />} />
          <Route path="/threads" element={<ThreadsPage />} />
          <Route path="/threads/:threadId" element={<ThreadPage />} />
          <Route path="/threads/:threadId/map" element={<MapPage />} />
          <Route path="/conflicts" element={<ConflictsPage />} />
          <Route path="/terms" element={<TermsPage />} />
          <Route path="/terms/:termId" element={<TermPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </>
  );
}

function Header() {
  const me = useMe();
  const logout = useLogout();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <NavLink to="/" className="brand">
        Sensemap
      </NavLink>
      <nav aria-label="Main">
        <NavLink to="/threads">Threads</NavLink>
        <NavLink to="/conflicts">Conflicts</NavLink>
        <NavLink to="/terms">Terms</NavLink>
      </nav>
      <div className="session">
        {me.data?.authenticated ? (
          <>
            <span>
              Signed in as <strong>{me.data.username}</strong>
              {me.data.is_reviewer ? " (reviewer)" : ""}
            </span>
            <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
              Log out
            </button>
          </>
        ) : (
          <NavLink to="/login">Log in</NavLink>
        )}
      </div>
    </header>
  );
}
