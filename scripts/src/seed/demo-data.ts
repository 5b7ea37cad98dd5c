// The demo's companies (fictional), one card each, and what the demo does with them:
// which cards are sold this week (the payout run's revenue), which stay listed, and
// the battle. Indexes below are into DEMO_COMPANIES; owners rotate alice, bob, carol.

export interface DemoCompany {
  name: string;
  ticker: string;
  sector: string;
  card: string;
  rarity: "common" | "rare" | "epic" | "legendary";
  metrics: Record<string, number | string>;
}

const c = (
  name: string,
  ticker: string,
  sector: string,
  card: string,
  rarity: DemoCompany["rarity"],
  founded: number,
  employees: number,
  growth: number,
): DemoCompany => ({
  name,
  ticker,
  sector,
  card,
  rarity,
  metrics: { founded, employees, revenueGrowthPct: growth, hq: "fictional" },
});

export const DEMO_COMPANIES: DemoCompany[] = [
  c("Helios Grid", "HLGD", "Energy", "Helios Grid: Solar Spine", "legendary", 2009, 5400, 31),
  c("Northwind Freight", "NWFR", "Logistics", "Northwind: Polar Route", "epic", 1998, 12800, 7),
  c("Quanta Forge", "QFRG", "Technology", "Quanta Forge: Qubit Foundry", "legendary", 2015, 2100, 64),
  c("Blue Harbor Bank", "BHBK", "Finance", "Blue Harbor: Deep Vault", "rare", 1952, 30500, 4),
  c("Verdant Labs", "VRDL", "Health", "Verdant Labs: Gene Garden", "epic", 2011, 3900, 22),
  c("Ironclad Robotics", "IRCR", "Industrials", "Ironclad: Assembly Titan", "rare", 2004, 8700, 15),
  c("Lumen Media", "LMNM", "Media", "Lumen: Prime Time", "common", 1987, 6100, 3),
  c("Cobalt Mining Co", "CBMC", "Materials", "Cobalt: Blue Seam", "rare", 1931, 14200, 9),
  c("Aurora Air", "AURA", "Transport", "Aurora Air: Night Flight", "epic", 1994, 22000, 11),
  c("Pixel Orchard", "PXOR", "Technology", "Pixel Orchard: Harvest Engine", "common", 2018, 640, 48),
  c("Tidewater Foods", "TDWF", "Consumer", "Tidewater: Catch of the Day", "common", 1969, 18800, 2),
  c("Stratos Aerospace", "STRA", "Industrials", "Stratos: Orbit One", "legendary", 2012, 4300, 57),
  c("Meridian Health", "MRDH", "Health", "Meridian: Care Network", "rare", 1979, 41000, 6),
  c("Nimbus Cloud", "NMBC", "Technology", "Nimbus: Stormfront", "epic", 2010, 9600, 29),
  c("Granite Insurance", "GRNI", "Finance", "Granite: Bedrock Policy", "common", 1921, 12500, 3),
  c("Solace Pharma", "SLPH", "Health", "Solace: Quiet Cure", "rare", 2001, 7300, 13),
  c("Redwood Timber", "RDWT", "Materials", "Redwood: Old Growth", "common", 1905, 5200, 1),
  c("Echo Telecom", "ECHT", "Telecom", "Echo: Signal Tower", "rare", 1983, 27000, 5),
  c("Vector Motors", "VCTM", "Automotive", "Vector: Torque Prime", "epic", 2008, 15400, 26),
  c("Saffron Retail", "SFRR", "Consumer", "Saffron: Golden Aisle", "common", 1990, 33000, 4),
  c("Atlas Shipping", "ATLS", "Logistics", "Atlas: World on Deck", "rare", 1961, 9100, 6),
  c("Kite Payments", "KITE", "Finance", "Kite: Tailwind", "epic", 2016, 1800, 71),
  c("Obsidian Security", "OBSD", "Technology", "Obsidian: Black Glass", "rare", 2013, 2600, 38),
  c("Fjord Water", "FJRD", "Utilities", "Fjord: Glacier Flow", "common", 1948, 3100, 2),
  c("Ember Games", "EMBR", "Media", "Ember: Last Level", "epic", 2014, 1200, 44),
  c("Terra Agritech", "TRAG", "Consumer", "Terra: Vertical Farm", "rare", 2017, 900, 52),
  c("Halcyon Hotels", "HLCY", "Hospitality", "Halcyon: Sea View", "common", 1972, 21000, 5),
  c("Parallax Chips", "PRLX", "Technology", "Parallax: Wafer Zero", "legendary", 2006, 11300, 35),
  c("Cinder Steel", "CNDR", "Materials", "Cinder: Blast Furnace", "common", 1912, 16700, 1),
  c("Orion Biotech", "ORBT", "Health", "Orion: Star Cell", "epic", 2019, 450, 83),
];

/** Card owners: company i's card goes to DEMO_USERS[i % 3]. */
export const DEMO_USERS = ["alice", "bob", "carol"] as const;

/** Sold this week by their owner to the next user (USDC): the payout run's revenue. */
export const DEMO_SALES: Array<{ company: number; price: number }> = [
  { company: 0, price: 480 },
  { company: 4, price: 220 },
  { company: 8, price: 150 },
  { company: 13, price: 90 },
];

/** Left listed on the marketplace (USDC). */
export const DEMO_LISTINGS: Array<{ company: number; price: number }> = [
  { company: 2, price: 650 },
  { company: 3, price: 75 },
  { company: 5, price: 120 },
  { company: 11, price: 900 },
  { company: 16, price: 25 },
  { company: 18, price: 210 },
  { company: 21, price: 340 },
  { company: 25, price: 60 },
];

/** The live battle: two cards whose owners join their side; alice and bob vote. */
export const DEMO_BATTLE = { title: "Merger week: Quanta Forge vs Parallax Chips", a: 2, b: 27, days: 7 };
