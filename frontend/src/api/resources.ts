// Query and mutation hooks for every resource the screens use. Reads poll, so other people's
// annotations and the background jobs' results appear without a reload; every write
// refreshes whatever is on screen.
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type Thread = S["Thread"];
export type ThreadDetail = S["ThreadDetail"];
export type Comment = S["Comment"];
export type Claim = S["Claim"];
export type ClaimLink = S["ClaimLink"];
export type Reading = S["Reading"];
export type Term = S["Term"];
export type Definition = S["Definition"];
export type DefinitionRevision = S["DefinitionRevision"];
export type Decomposition = S["Decomposition"];
export type Mention = S["Mention"];
export type DefinitionCandidate = S["DefinitionCandidate"];
export type Conflict = S["Conflict"];
export type ImportResult = S["ImportResult"];
export type ReviewRequest = S["ReviewRequest"];

/** How often screens re-read what background jobs and other people change. */
export const POLL_MS = 5_000;
const PAGE = 200;

type Page<T> = { count: number; next?: string | null; results: T[] };

/** Every page of a list (the API caps pages at 200 items). */
export async function allPages<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const body = await fetchPage(page);
    items.push(...body.results);
    if (!body.next) return items;
  }
}

// Threads and comments

export function useThreads(q: string) {
  return useQuery({
    queryKey: ["threads", q],
    queryFn: () =>
      unwrap(api.GET("/api/threads/", { params: { query: { q: q || undefined, page_size: 100 } } })),
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useThread(id: number) {
  return useQuery({
    queryKey: ["thread", id],
    queryFn: () => unwrap(api.GET("/api/threads/{id}/", { params: { path: { id } } })),
    refetchInterval: POLL_MS,
  });
}

export function useImportThread() {
  return useMutation({
    mutationFn: (body: FormData | S["ImportRequestRequest"]) =>
      unwrap(
        api.POST("/api/threads/import/", {
          body: body as S["ImportRequestRequest"],
          // A FormData body goes as multipart; openapi-fetch must not JSON-encode it.
          bodySerializer: body instanceof FormData ? (b) => b as unknown as FormData : undefined,
        }),
      ),
    onSettled: useInvalidateAll(),
  });
}

// Claims, links and readings of one thread

export function useThreadClaims(thread: number) {
  return useQuery({
    queryKey: ["claims", thread],
    queryFn: () =>
      allPages((page) =>
        unwrap(api.GET("/api/claims/", { params: { query: { thread, page, page_size: PAGE } } })),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useThreadLinks(thread: number) {
  return useQuery({
    queryKey: ["claim-links", thread],
    queryFn: () =>
      allPages((page) =>
        unwrap(
          api.GET("/api/claim-links/", { params: { query: { thread, page, page_size: PAGE } } }),
        ),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useThreadReadings(thread: number) {
  return useQuery({
    queryKey: ["readings", thread],
    queryFn: () =>
      allPages((page) =>
        unwrap(api.GET("/api/readings/", { params: { query: { thread, page, page_size: PAGE } } })),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useThreadMentions(thread: number) {
  return useQuery({
    queryKey: ["mentions", thread],
    queryFn: () =>
      allPages((page) =>
        unwrap(api.GET("/api/mentions/", { params: { query: { thread, page, page_size: PAGE } } })),
      ),
    refetchInterval: POLL_MS,
  });
}

export function useThreadCandidates(thread: number) {
  return useQuery({
    queryKey: ["definition-candidates", thread],
    queryFn: () =>
      allPages((page) =>
        unwrap(
          api.GET("/api/definition-candidates/", {
            params: { query: { thread, status: "suggested", page, page_size: PAGE } },
          }),
        ),
      ),
    refetchInterval: POLL_MS,
  });
}

function useInvalidateAll() {
  const client = useQueryClient();
  return () => client.invalidateQueries();
}

export function useCreateClaim() {
  return useMutation({
    mutationFn: (body: S["ClaimWriteRequest"]) => unwrap(api.POST("/api/claims/", { body })),
    onSettled: useInvalidateAll(),
  });
}

export function useDeleteClaim() {
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/claims/{id}/", { params: { path: { id } } })),
    onSettled: useInvalidateAll(),
  });
}

export function useCreateLink() {
  return useMutation({
    mutationFn: (body: S["ClaimLinkRequest"]) => unwrap(api.POST("/api/claim-links/", { body })),
    onSettled: useInvalidateAll(),
  });
}

export function useDeleteLink() {
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE("/api/claim-links/{id}/", { params: { path: { id } } })),
    onSettled: useInvalidateAll(),
  });
}

export function useCreateReading() {
  return useMutation({
    mutationFn: (body: S["ReadingWriteRequest"]) => unwrap(api.POST("/api/readings/", { body })),
    onSettled: useInvalidateAll(),
  });
}

export function useDeleteReading() {
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE("/api/readings/{id}/", { params: { path: { id } } })),
    onSettled: useInvalidateAll(),
  });
}

export function useVote() {
  return useMutation({
    mutationFn: ({ reading, value }: { reading: number; value: 1 | -1 | 0 }) =>
      unwrap(
        api.POST("/api/readings/{id}/vote/", { params: { path: { id: reading } }, body: { value } }),
      ),
    onSettled: useInvalidateAll(),
  });
}

// Suggestions

export function useDecideMention() {
  return useMutation({
    mutationFn: ({ id, accept, definition }: { id: number; accept: boolean; definition?: number }) =>
      accept
        ? unwrap(
            api.POST("/api/mentions/{id}/accept/", {
              params: { path: { id } },
              body: definition ? { definition } : {},
            }),
          )
        : unwrap(api.POST("/api/mentions/{id}/reject/", { params: { path: { id } } })),
    onSettled: useInvalidateAll(),
  });
}

export function useDecideCandidate() {
  return useMutation({
    mutationFn: ({ id, accept }: { id: number; accept: boolean }) =>
      accept
        ? unwrap(api.POST("/api/definition-candidates/{id}/accept/", { params: { path: { id } }, body: {} }))
        : unwrap(api.POST("/api/definition-candidates/{id}/reject/", { params: { path: { id } } })),
    onSettled: useInvalidateAll(),
  });
}

// Glossary

export function useTerms(q: string) {
  return useQuery({
    queryKey: ["terms", q],
    queryFn: () =>
      unwrap(api.GET("/api/terms/", { params: { query: { q: q || undefined, page_size: 50 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useTerm(id: number) {
  return useQuery({
    queryKey: ["term", id],
    queryFn: () => unwrap(api.GET("/api/terms/{id}/", { params: { path: { id } } })),
  });
}

export function useDefinitions(term: number | undefined) {
  return useQuery({
    queryKey: ["definitions", term],
    queryFn: () =>
      allPages((page) =>
        unwrap(api.GET("/api/definitions/", { params: { query: { term, page, page_size: PAGE } } })),
      ),
    enabled: term !== undefined,
  });
}

export function useDecompositions(filter: { term?: number } = {}) {
  return useQuery({
    queryKey: ["decompositions", filter],
    queryFn: () =>
      allPages((page) =>
        unwrap(
          api.GET("/api/decompositions/", {
            params: { query: { ...filter, page, page_size: PAGE } },
          }),
        ),
      ),
  });
}

export function useCreateTerm() {
  return useMutation({
    mutationFn: (body: S["TermWriteRequest"]) => unwrap(api.POST("/api/terms/", { body })),
    onSettled: useInvalidateAll(),
  });
}

export function useCreateDefinition() {
  return useMutation({
    mutationFn: (body: S["DefinitionWriteRequest"]) =>
      unwrap(api.POST("/api/definitions/", { body })),
    onSettled: useInvalidateAll(),
  });
}

/** An edit names the `version` it was made from; a 409 (`stale_version`) means someone else's
 * edit landed first, and its `detail` holds the definition as it is now. */
export function useUpdateDefinition() {
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: S["DefinitionUpdateRequest"] }) =>
      unwrap(api.PATCH("/api/definitions/{id}/", { params: { path: { id } }, body })),
    onSettled: useInvalidateAll(),
  });
}

/** A definition's earlier versions, newest first (read once `enabled`). */
export function useDefinitionHistory(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ["definition-history", id],
    queryFn: () =>
      allPages((page) =>
        unwrap(
          api.GET("/api/definitions/{id}/history/", {
            params: { path: { id }, query: { page, page_size: PAGE } },
          }),
        ),
      ),
    enabled,
  });
}

// Conflicts

export type ConflictFilter = { status?: string[]; kind?: string[]; term?: number; thread?: number };

export function useConflicts(filter: ConflictFilter) {
  return useQuery({
    queryKey: ["conflicts", filter],
    queryFn: () =>
      unwrap(
        api.GET("/api/conflicts/", {
          params: { query: { ...filter, page_size: 100 } as never },
        }),
      ),
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useReviewConflict() {
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: ReviewRequest }) =>
      unwrap(api.POST("/api/conflicts/{id}/review/", { params: { path: { id } }, body })),
    onSettled: useInvalidateAll(),
  });
}

// Added for the threads, conflicts, terms and map screens.

export type ImportJob = S["ImportJob"];
export type ConflictReview = S["ConflictReview"];

/** A background import; polled every second until it is done or has failed. */
export function useImportJob(id: number | undefined) {
  return useQuery({
    queryKey: ["import-job", id],
    queryFn: () =>
      unwrap(api.GET("/api/import-jobs/{id}/", { params: { path: { id: id as number } } })),
    enabled: id !== undefined,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "done" || status === "failed" ? false : 1_000;
    },
  });
}

export function useDefinition(id: number) {
  return useQuery({
    queryKey: ["definition", id],
    queryFn: () => unwrap(api.GET("/api/definitions/{id}/", { params: { path: { id } } })),
  });
}

/** One page of the claims read with a term (anywhere), for the term page. */
export function useTermClaims(term: number, pageSize = 50) {
  return useQuery({
    queryKey: ["claims", "term", term, pageSize],
    queryFn: () =>
      unwrap(api.GET("/api/claims/", { params: { query: { term, page_size: pageSize } } })),
    refetchInterval: POLL_MS,
  });
}

// Thread view

/** Looks terms up now, sharing useTerms' cache: for a form sent before its suggestions caught up. */
export function useTermLookup() {
  const client = useQueryClient();
  return (q: string) =>
    client.fetchQuery({
      queryKey: ["terms", q],
      queryFn: () =>
        unwrap(api.GET("/api/terms/", { params: { query: { q: q || undefined, page_size: 50 } } })),
    });
}
