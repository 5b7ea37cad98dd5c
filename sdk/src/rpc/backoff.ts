/** Exponential backoff with full jitter (AWS architecture blog): spreads the
 * retries of many clients so a recovering node is not hit in lockstep. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
