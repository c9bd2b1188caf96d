// A friendly 404 for an unknown address, or for a thread or term that does not exist.
import { Link } from "react-router-dom";

export function NotFoundPage({ what = "page" }: { what?: string }) {
  return (
    <section className="screen not-found">
      <h1>{what === "page" ? "Page not found" : `No such ${what}`}</h1>
      <p>
        There is nothing here: the {what} may have been deleted or moved, or the address may be
        mistyped.
      </p>
      <p>
        <Link to="/">Go to the threads</Link>
      </p>
    </section>
  );
}
