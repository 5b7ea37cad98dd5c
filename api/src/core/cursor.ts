// Opaque cursors: the sort key of the last item of a page, base64url JSON.
import { badRequest } from "./errors.js";

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key in a cursor, checked to have `arity` string/number items; 400 otherwise. */
export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | null {
  if (cursor === undefined) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === "string" || (typeof k === "number" && Number.isFinite(k)))
    ) {
      return key as Array<string | number>;
    }
  } catch {
    // falls through to the error
  }
  throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
}
