// A simulated week of marketplace sales, at any scale: for each sale a real card NFT is
// minted and sold on chain in one transaction (mint, seller's approval of the platform
// delegate, buyer pays seller and the treasury vault's fee, delegate moves the card),
// and the company, card, listing and sale rows are written as the API's settle writes
// them. Used by the payout tests and benchmark, where driving hundreds of sales through
// the HTTP flow would only measure the flow.
import { randomBytes, randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@ece/db";
import { cards, confirmSignature, marketplace } from "@ece/sdk";
import { newKeypair, signTransaction } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync, MINT_SIZE } from "@solana/spl-token";
import { type Connection, type Keypair, type PublicKey, Transaction } from "@solana/web3.js";

export interface SimulatedCompany {
  name: string;
  /** null: the company registered no payout wallet. */
  payoutWallet: PublicKey | null;
  /** Prices of its cards sold this week (base units of the currency). */
  sales: bigint[];
  ownerWallet?: PublicKey;
}

export interface SimulateOptions {
  prisma: PrismaClient;
  connection: Connection;
  /** The API's platform key: card mint authority and settlement delegate. */
  platformKey: Keypair;
  currencyMint: PublicKey;
  currencyDecimals: number;
  vault: PublicKey;
  feeBps: number;
  seller: Keypair;
  buyer: Keypair;
  companies: SimulatedCompany[];
  /** Sales in flight at once. */
  concurrency?: number;
}

export interface SimulatedSale {
  company: string;
  companyId: string;
  price: bigint;
  fee: bigint;
  signature: string;
}

export async function simulateWeek(o: SimulateOptions): Promise<SimulatedSale[]> {
  const rent = await o.connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  const jobs: Array<{ companyId: string; company: string; price: bigint }> = [];
  for (const c of o.companies) {
    const owner = c.ownerWallet
      ? await o.prisma.user.upsert({
          where: { wallet: c.ownerWallet.toBase58() },
          create: { wallet: c.ownerWallet.toBase58() },
          update: {},
        })
      : null;
    const row = await o.prisma.company.upsert({
      where: { name: c.name },
      create: {
        name: c.name,
        ticker: `S${randomBytes(5).toString("hex")}`,
        sector: "Simulated",
        payoutWallet: c.payoutWallet?.toBase58() ?? null,
        ownerId: owner?.id ?? null,
      },
      update: { payoutWallet: c.payoutWallet?.toBase58() ?? null },
    });
    for (const price of c.sales) jobs.push({ companyId: row.id, company: c.name, price });
  }
  const out: Sold[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const job = jobs[next++];
      if (!job) return;
      out.push(await sell(o, rent, job));
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, jobs.length) }, worker));
  // The rows of every sale in one database transaction once all have landed: a transaction per
  // sale made the database, not the chain, the limit (and timed out waiting for a connection).
  await o.prisma.$transaction([
    o.prisma.card.createMany({ data: out.map((x) => x.rows.card) }),
    o.prisma.listing.createMany({ data: out.map((x) => x.rows.listing) }),
    o.prisma.sale.createMany({ data: out.map((x) => x.rows.sale) }),
  ]);
  return out.map((x) => x.sale);
}

interface Sold {
  sale: SimulatedSale;
  rows: {
    card: Prisma.CardUncheckedCreateInput;
    listing: Prisma.ListingUncheckedCreateInput;
    sale: Prisma.SaleUncheckedCreateInput;
  };
}

async function sell(
  o: SimulateOptions,
  rent: number,
  job: { companyId: string; company: string; price: bigint },
): Promise<Sold> {
  // Native ed25519 (keys and signatures): web3.js's pure-JS signing of four signatures made the simulator CPU-bound.
  const mint = newKeypair();
  const delegate = o.platformKey.publicKey;
  const sellerCard = getAssociatedTokenAddressSync(mint.publicKey, o.seller.publicKey, true);
  const fee = marketplace.feeOf(job.price, o.feeBps);
  const { blockhash, lastValidBlockHeight } = await o.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: o.buyer.publicKey, blockhash, lastValidBlockHeight }).add(
    ...cards.mintCardIxs({ authority: delegate, mint: mint.publicKey, owner: o.seller.publicKey, rentLamports: rent }),
    marketplace.approveListingIx({
      seller: o.seller.publicKey,
      tokenAccount: sellerCard,
      cardMint: mint.publicKey,
      delegate,
    }),
    ...marketplace.buyIxs({
      buyer: o.buyer.publicKey,
      seller: o.seller.publicKey,
      sellerCardAccount: sellerCard,
      cardMint: mint.publicKey,
      delegate,
      currencyMint: o.currencyMint,
      currencyDecimals: o.currencyDecimals,
      vault: o.vault,
      price: job.price,
      fee,
    }),
  );
  const signature = await o.connection.sendRawTransaction(
    signTransaction(tx, [o.buyer, o.platformKey, mint, o.seller]),
  );
  const r = await confirmSignature(o.connection, signature, lastValidBlockHeight, "confirmed", 50);
  if (!r.ok) throw new Error(`simulated sale ${signature} failed: ${JSON.stringify(r.err)}`);
  const cardId = randomUUID();
  const listingId = randomUUID();
  return {
    sale: { company: job.company, companyId: job.companyId, price: job.price, fee, signature },
    rows: {
      card: {
        id: cardId,
        mint: mint.publicKey.toBase58(),
        companyId: job.companyId,
        name: `${job.company} card`,
        sector: "Simulated",
        rarity: "common",
        owner: o.buyer.publicKey.toBase58(),
        ownerSlot: BigInt(r.slot),
        mintSignature: signature,
      },
      listing: {
        id: listingId,
        cardId,
        seller: o.seller.publicKey.toBase58(),
        currency: o.currencyMint.toBase58(),
        price: job.price.toString(),
        status: "sold",
        approveSignature: signature,
      },
      sale: {
        listingId,
        cardId,
        seller: o.seller.publicKey.toBase58(),
        buyer: o.buyer.publicKey.toBase58(),
        currency: o.currencyMint.toBase58(),
        price: job.price.toString(),
        fee: fee.toString(),
        signature,
        slot: BigInt(r.slot),
      },
    },
  };
}
