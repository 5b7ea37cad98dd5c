import type { Metadata } from "next";
import { ProposalView } from "../../../../views/proposal";

export const metadata: Metadata = { title: "Proposal" };

export default async function Page({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  return <ProposalView address={address} />;
}
