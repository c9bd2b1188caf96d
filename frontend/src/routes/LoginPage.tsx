import { type FormEvent, useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { useLogin } from "../auth";

export function LoginPage() {
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const next = new URLSearchParams(location.search).get("next") ?? "/";

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate({ username, password }, { onSuccess: () => navigate(next) });
  }

  return (
    <section className="narrow">
      <h1>Log in</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {login.error ? (
          <p role="alert" className="error">
            {login.error.message}
          </p>
        ) : null}
        <button type="submit" disabled={login.isPending}>
          Log in
        </button>
      </form>
    </section>
  );
}
