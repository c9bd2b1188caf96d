// A definition edit refused because someone else's edit landed first (409, `stale_version`):
// the server sends the definition as it is now, so the editor can see it and choose.
import { ApiError } from "../../api/client";

export type DefinitionVersion = { version: number; text: string; label: string };

/** The definition as it is now, when `error` is a stale-version refusal; otherwise null. */
export function staleVersion(error: unknown): DefinitionVersion | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== "stale_version") {
    return null;
  }
  const detail = error.detail as Partial<DefinitionVersion> | null;
  if (
    typeof detail?.version !== "number" ||
    typeof detail.text !== "string" ||
    typeof detail.label !== "string"
  ) {
    return null;
  }
  return { version: detail.version, text: detail.text, label: detail.label };
}
