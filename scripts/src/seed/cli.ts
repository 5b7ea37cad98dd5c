// npm run seed:bench -- --database URL --transactions 1000000 --cards 10000
// Fills a migrated, empty database for the API benchmark (refuses one with data).
import { parseArgs } from "node:util";
import { seed } from "./seed.js";

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    transactions: { type: "string", default: "1000000" },
    cards: { type: "string", default: "10000" },
    companies: { type: "string", default: "30" },
    days: { type: "string", default: "42" },
  },
});
const databaseUrl = values.database ?? process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("--database URL (or DATABASE_URL) is required");
const result = await seed({
  databaseUrl,
  transactions: Number(values.transactions),
  cards: Number(values.cards),
  companies: Number(values.companies),
  days: Number(values.days),
  log: (line) => console.log(line),
});
console.log(
  `seeded ${result.transactions} transactions (${result.instructions} instructions, ${result.events} events), ` +
    `${result.cards} cards of ${result.companies} companies in ${result.seconds.toFixed(1)} s; ` +
    `block times ${result.sample.from} … ${result.sample.to}`,
);
