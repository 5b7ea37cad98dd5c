import type { Metadata } from "next";
import { CardView } from "../../../views/card";

export const metadata: Metadata = { title: "Card" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CardView id={id} />;
}
