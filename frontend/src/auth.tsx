// Who is signed in, and signing in and out with a session cookie.
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./api/client";
import type { components } from "./api/schema";

export const meKey = ["me"] as const;

type Me = components["schemas"]["Me"];

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET("/api/auth/me/")) });
}

/** Everything cached was read as someone else: drop it and re-read what is on screen. The
 * queries are removed rather than cleared so the header's observer stays attached and sees
 * the new user at once. */
function switchUser(client: QueryClient, me: Me) {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  client.setQueryData(meKey, me);
  void client.invalidateQueries();
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      unwrap(api.POST("/api/auth/login/", { body })),
    onSuccess: (me) => switchUser(client, me),
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/logout/")),
    onSuccess: (me) => switchUser(client, me),
  });
}
