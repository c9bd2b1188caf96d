// Who is signed in, and signing in and out with a session cookie.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./api/client";

export const meKey = ["me"] as const;

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET("/api/auth/me/")) });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      unwrap(api.POST("/api/auth/login/", { body })),
    // Everything cached was read as someone else: start over.
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(meKey, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/logout/")),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(meKey, me);
    },
  });
}
