// A card in a grid: rarity colours the frame, the company and sector below the name.
import Link from "next/link";
import type { Rarity } from "../lib/types";

const FRAME: Record<Rarity, string> = {
  common: "from-slate-500/40 to-slate-700/30",
  rare: "from-sky-500/50 to-indigo-600/30",
  epic: "from-violet-500/60 to-fuchsia-600/30",
  legendary: "from-amber-400/70 to-orange-600/30",
};

export function RarityBadge({ rarity }: { rarity: Rarity }) {
  const tone = {
    common: "text-slate-300 ring-slate-400/30",
    rare: "text-sky-300 ring-sky-400/40",
    epic: "text-violet-300 ring-violet-400/40",
    legendary: "text-amber-300 ring-amber-400/40",
  }[rarity];
  return (
    <span
      className={`rounded-full px-2 py-0.5 text-[11px] font-semibold uppercase tracking-wide ring-1 ring-inset ${tone}`}
    >
      {rarity}
    </span>
  );
}

export function CardArt({ name, rarity, imageUrl }: { name: string; rarity: Rarity; imageUrl: string | null }) {
  return (
    <div className={`relative aspect-[4/3] overflow-hidden rounded-xl bg-gradient-to-br ${FRAME[rarity]}`}>
      {imageUrl ? (
        // biome-ignore lint/performance/noImgElement: card images live on any host; next/image would need each one configured
        <img src={imageUrl} alt="" className="h-full w-full object-cover" loading="lazy" />
      ) : (
        <div className="grid h-full place-items-center text-4xl font-black text-white/70">
          {name
            .split(/\s+/)
            .map((w) => w[0])
            .join("")
            .slice(0, 3)
            .toUpperCase()}
        </div>
      )}
    </div>
  );
}

export function CardTile({
  card,
  footer,
}: {
  card: {
    id: string;
    name: string;
    rarity: Rarity;
    sector: string;
    imageUrl?: string | null;
    company?: { name: string; ticker: string };
  };
  footer?: React.ReactNode;
}) {
  return (
    <article
      className="group rounded-2xl border border-white/10 bg-slate-900/70 p-3 transition hover:border-indigo-400/50"
      data-testid="card-tile"
      data-card-id={card.id}
    >
      <Link href={`/cards/${card.id}`} className="block focus-visible:outline-2 focus-visible:outline-indigo-300">
        <CardArt name={card.name} rarity={card.rarity} imageUrl={card.imageUrl ?? null} />
        <div className="mt-3 flex items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="truncate font-semibold text-white" data-testid="card-name">
              {card.name}
            </h3>
            <p className="truncate text-xs text-slate-400">
              {card.company ? `${card.company.name} · ${card.company.ticker}` : card.sector}
            </p>
          </div>
          <RarityBadge rarity={card.rarity} />
        </div>
      </Link>
      {footer && <div className="mt-3 border-t border-white/10 pt-3">{footer}</div>}
    </article>
  );
}
