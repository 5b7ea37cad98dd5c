import type { Metadata } from "next";
import { CardsGallery } from "../../views/cards";

export const metadata: Metadata = { title: "Cards" };

export default function Page() {
  return <CardsGallery />;
}
