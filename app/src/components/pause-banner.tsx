"use client";
import Link from "next/link";
import { usePause } from "../lib/pause";

export function PauseBanner() {
  const { paused, reason } = usePause();
  if (!paused) return null;
  return (
    <div
      role="status"
      className="border-b border-amber-400/30 bg-amber-500/15 px-4 py-2 text-center text-sm text-amber-100"
      data-testid="pause-banner"
    >
      <strong className="font-semibold">Paused.</strong> {reason}{" "}
      <Link href="/emergency" className="underline underline-offset-2">
        Details
      </Link>
    </div>
  );
}
