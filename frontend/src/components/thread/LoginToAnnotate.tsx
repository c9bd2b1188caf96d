// What anonymous readers see instead of a write control: a way to log in and come back here.
import { Link, useLocation } from "react-router-dom";

export function LoginToAnnotate() {
  const location = useLocation();
  const next = encodeURIComponent(location.pathname + location.search);
  return (
    <Link className="login-to-annotate" to={`/login?next=${next}`}>
      Log in to annotate
    </Link>
  );
}
