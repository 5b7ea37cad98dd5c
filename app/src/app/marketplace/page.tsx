import type { Metadata } from "next";
import { Marketplace } from "../../views/marketplace";

export const metadata: Metadata = { title: "Marketplace" };

export default function Page() {
  return <Marketplace />;
}
