import type { Metadata } from "next";
import { Emergency } from "../../views/emergency";

export const metadata: Metadata = { title: "Emergency controls" };

export default function Page() {
  return <Emergency />;
}
