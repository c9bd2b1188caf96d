import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// openapi-fetch keeps the fetch and Request it finds when the client is created, at import:
// stub them first. Node's Request, unlike a browser's, cannot resolve the client's relative
// URLs against the page, so this one does.
const { fetchMock } = vi.hoisted(() => {
  const fetchMock = vi.fn<(request: Request) => Promise<Response>>();
  class PageRequest extends Request {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === "string" ? new URL(input, window.location.href) : input, init);
    }
  }
  vi.stubGlobal("Request", PageRequest);
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock };
});

import { ApiError, api, readCookie, unwrap } from "./client";

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** The request the client handed to fetch on its last call. */
function lastRequest(): Request {
  const call = fetchMock.mock.calls.at(-1);
  if (!call) throw new Error("fetch was not called");
  return call[0];
}

function clearCookies() {
  for (const part of document.cookie.split(";")) {
    const name = part.split("=")[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async () => json({}));
  clearCookies();
});

afterEach(clearCookies);

describe("readCookie", () => {
  it("finds a cookie among others, whatever the spacing", () => {
    expect(readCookie("csrftoken", "sessionid=s1; csrftoken=abc123;theme=dark")).toBe("abc123");
    expect(readCookie("theme", "sessionid=s1; csrftoken=abc123;theme=dark")).toBe("dark");
  });

  it("decodes the value and keeps any = inside it", () => {
    expect(readCookie("next", "next=%2Fthreads%2F7%3Fq%3Douter%20alignment")).toBe(
      "/threads/7?q=outer alignment",
    );
    expect(readCookie("token", "token=a=b==")).toBe("a=b==");
  });

  it("matches the whole name, not a prefix or suffix of another", () => {
    expect(readCookie("csrftoken", "xcsrftoken=nope; csrftokens=nope")).toBeNull();
    expect(readCookie("csrf", "csrftoken=nope")).toBeNull();
  });

  it("answers null when the cookie is absent or the jar is empty", () => {
    expect(readCookie("csrftoken", "sessionid=s1")).toBeNull();
    expect(readCookie("csrftoken", "")).toBeNull();
  });

  it("reads document.cookie by default", () => {
    document.cookie = "csrftoken=from-the-document";
    expect(readCookie("csrftoken")).toBe("from-the-document");
  });
});

describe("the CSRF header", () => {
  // PUT has no route in the schema; the header rule must hold for it all the same.
  const untyped = api as unknown as Record<string, (path: string, init?: object) => Promise<unknown>>;

  it.each([
    ["POST", () => api.POST("/api/auth/logout/")],
    ["PUT", () => untyped.PUT!("/api/terms/1/", { body: { name: "outer alignment" } })],
    ["PATCH", () => api.PATCH("/api/terms/{id}/", { params: { path: { id: 1 } }, body: {} })],
    ["DELETE", () => api.DELETE("/api/claims/{id}/", { params: { path: { id: 1 } } })],
  ])("goes with %s, carrying the csrftoken cookie", async (method, call) => {
    document.cookie = "csrftoken=tok%2Ben";
    await call();
    const request = lastRequest();
    expect(request.method).toBe(method);
    expect(request.headers.get("X-CSRFToken")).toBe("tok+en");
  });

  it("is not sent with a GET, even with the cookie set", async () => {
    document.cookie = "csrftoken=tok";
    await api.GET("/api/auth/me/");
    const request = lastRequest();
    expect(request.method).toBe("GET");
    expect(request.headers.has("X-CSRFToken")).toBe(false);
  });

  it("is left out of a write when there is no cookie (Django then answers 403)", async () => {
    await api.POST("/api/auth/logout/");
    expect(lastRequest().headers.has("X-CSRFToken")).toBe(false);
  });

  it("sends the session cookie with same-origin requests only", async () => {
    await api.GET("/api/auth/me/");
    expect(lastRequest().credentials).toBe("same-origin");
  });
});

describe("unwrap", () => {
  it("gives the body of a successful response", async () => {
    const me = { authenticated: true, username: "alice", is_reviewer: false, is_admin: false };
    fetchMock.mockResolvedValueOnce(json(me));
    await expect(unwrap(api.GET("/api/auth/me/"))).resolves.toEqual(me);
  });

  it("turns the API's error body into an ApiError with its status, code, message and detail", async () => {
    const detail = { end: ["Ensure this value is less than or equal to 412."] };
    fetchMock.mockResolvedValueOnce(
      json(
        {
          error: {
            code: "invalid_offsets",
            message: "end (900) is past the end of the comment, which has 412 characters.",
            detail,
          },
        },
        400,
      ),
    );
    const error = await unwrap(api.GET("/api/auth/me/")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_offsets",
      message: "end (900) is past the end of the comment, which has 412 characters.",
      detail,
    });
  });

  it("keeps a null detail null, and the status of a permission error", async () => {
    fetchMock.mockResolvedValueOnce(
      json(
        {
          error: {
            code: "not_authenticated",
            message: "Authentication credentials were not provided.",
            detail: null,
          },
        },
        401,
      ),
    );
    await expect(unwrap(api.POST("/api/auth/logout/"))).rejects.toMatchObject({
      status: 401,
      code: "not_authenticated",
      message: "Authentication credentials were not provided.",
      detail: null,
    });
  });

  it("still throws, with the status in the message, when the error body is not the API's", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response("<html>Bad gateway</html>", {
        status: 502,
        headers: { "Content-Type": "text/html" },
      }),
    );
    await expect(unwrap(api.GET("/api/auth/me/"))).rejects.toMatchObject({
      status: 502,
      code: "error",
      message: "The server answered 502.",
      detail: null,
    });
  });

  it("reads the error from a response handed to it directly", async () => {
    const response = new Response(null, { status: 404 });
    const call = Promise.resolve({
      error: { error: { code: "not_found", message: "No such thread.", detail: null } },
      response,
    });
    await expect(unwrap(call)).rejects.toEqual(new ApiError(404, "not_found", "No such thread."));
  });
});
