import type { Metadata } from "next";
import { TransactionView } from "../../../views/transaction";

export const metadata: Metadata = { title: "Transaction" };

export default async function Page({ params }: { params: Promise<{ signature: string }> }) {
  const { signature } = await params;
  return <TransactionView signature={signature} />;
}
