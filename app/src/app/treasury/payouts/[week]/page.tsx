import type { Metadata } from "next";
import { PayoutRunView } from "../../../../views/payout-run";

export const metadata: Metadata = { title: "Payout run" };

export default async function Page({ params }: { params: Promise<{ week: string }> }) {
  const { week } = await params;
  return <PayoutRunView week={decodeURIComponent(week)} />;
}
