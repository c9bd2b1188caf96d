import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// openapi-fetch keeps the fetch and Request it finds when the client is created, at import:
// stub them first (as in api/client.test.ts), resolving the client's relative URLs.
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

import { ApiError } from "../../api/client";
import type { Definition } from "../../api/resources";
import { EditDefinition } from "./EditDefinition";
import { staleVersion } from "./staleEdit";

const MINE = "The reward is right on the training distribution.";
const THEIRS = "The reward is right in the limit of infinite data.";

const definition: Definition = {
  id: 7,
  term: 1,
  term_name: "outer alignment",
  text: MINE,
  label: "training",
  proposed_by: "",
  source_claim: null,
  equivalent_to: [],
  version: 3,
  created_by: "alice",
  created_at: "",
  updated_at: "",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

const stale = {
  error: {
    code: "stale_version",
    message: "Someone else changed this definition since you read it: it is at version 4.",
    detail: { version: 4, text: THEIRS, label: "limit" },
  },
};

/** The JSON bodies of the PATCH requests sent so far. */
async function patches(): Promise<unknown[]> {
  const sent = fetchMock.mock.calls.map(([request]) => request).filter((r) => r.method === "PATCH");
  return Promise.all(sent.map((request) => request.clone().json()));
}

function renderForm(onDone = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <EditDefinition definition={definition} onDone={onDone} />
    </QueryClientProvider>,
  );
  return onDone;
}

beforeEach(() => {
  fetchMock.mockReset();
});

afterEach(cleanup);

describe("EditDefinition", () => {
  it("sends the version it was opened at, and on a 409 shows the current text instead of saving", async () => {
    fetchMock.mockImplementation(async () => json(stale, 409));
    const onDone = renderForm();

    fireEvent.change(screen.getByLabelText("Definition"), { target: { value: "My new wording." } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Someone else changed this definition");
    expect(alert.textContent).toContain("reload it");
    expect(alert.textContent).toContain(THEIRS);
    expect(await patches()).toEqual([{ text: "My new wording.", label: "training", version: 3 }]);
    expect(onDone).not.toHaveBeenCalled();
    // Nothing is saved over their edit until the editor chooses.
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save" }).disabled).toBe(true);
  });

  it("reloads their version and then saves from it", async () => {
    fetchMock.mockImplementationOnce(async () => json(stale, 409));
    const onDone = renderForm();
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    fireEvent.click(await screen.findByRole("button", { name: "Reload their version" }));

    expect(screen.getByLabelText<HTMLTextAreaElement>("Definition").value).toBe(THEIRS);
    expect(screen.getByLabelText<HTMLInputElement>("Label").value).toBe("limit");
    expect(screen.queryByRole("alert")).toBeNull();

    fetchMock.mockImplementationOnce(async () => json({ ...definition, text: THEIRS, version: 5 }));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect((await patches())[1]).toEqual({ text: THEIRS, label: "limit", version: 4 });
  });

  it("can keep the draft, saving it over their version knowingly", async () => {
    fetchMock.mockImplementationOnce(async () => json(stale, 409));
    renderForm();
    fireEvent.change(screen.getByLabelText("Definition"), { target: { value: "Mine after all." } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    fireEvent.click(await screen.findByRole("button", { name: "Keep my text" }));

    expect(screen.getByLabelText<HTMLTextAreaElement>("Definition").value).toBe("Mine after all.");
    fetchMock.mockImplementationOnce(async () => json({ ...definition, version: 5 }));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(async () => expect(await patches()).toHaveLength(2));
    expect((await patches())[1]).toEqual({ text: "Mine after all.", label: "training", version: 4 });
  });

  it("shows any other refusal as the server's message", async () => {
    fetchMock.mockImplementation(async () =>
      json({ error: { code: "permission_denied", message: "Only its owner may edit it.", detail: null } }, 403),
    );
    renderForm();
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Only its owner may edit it.");
  });
});

describe("staleVersion", () => {
  it("reads the current definition from a stale-version 409 only", () => {
    const detail = { version: 4, text: THEIRS, label: "" };
    expect(staleVersion(new ApiError(409, "stale_version", "stale", detail))).toEqual(detail);
    expect(staleVersion(new ApiError(409, "conflict", "other", detail))).toBeNull();
    expect(staleVersion(new ApiError(400, "stale_version", "odd", detail))).toBeNull();
    expect(staleVersion(new ApiError(409, "stale_version", "no detail", null))).toBeNull();
    expect(staleVersion(new Error("network"))).toBeNull();
  });
});
