import type { Metadata } from "next";
import { ComplianceQueue } from "../../views/compliance";

export const metadata: Metadata = { title: "Compliance" };

export default function Page() {
  return <ComplianceQueue />;
}
