import type { Metadata } from "next";
import { BattleList } from "../../views/battles";

export const metadata: Metadata = { title: "Battles" };

export default function Page() {
  return <BattleList />;
}
