// The typed API client: paths and bodies come from the OpenAPI schema (src/api/schema.d.ts,
// generated from openapi.json by `npm run api-types`), so a renamed field fails the build.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

export type ApiErrorBody = { error: { code: string; message: string; detail: unknown } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: unknown = null,
  ) {
    super(message);
  }
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// Django checks the CSRF token of every session write; it sits in the csrftoken cookie.
const csrf: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method)) {
      const token = readCookie("csrftoken");
      if (token) request.headers.set("X-CSRFToken", token);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** The body of a successful response, or an ApiError carrying the server's message. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<ApiErrorBody>;
  throw new ApiError(
    response.status,
    body.error?.code ?? "error",
    body.error?.message ?? `The server answered ${response.status}.`,
    body.error?.detail ?? null,
  );
}
