import type { Metadata } from "next";
import { Explorer } from "../../views/explorer";

export const metadata: Metadata = { title: "Explorer" };

export default function Page() {
  return <Explorer />;
}
