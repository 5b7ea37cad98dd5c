import type { Metadata } from "next";
import { BattleView } from "../../../views/battles";

export const metadata: Metadata = { title: "Battle" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BattleView id={id} />;
}
