// In Chromium, the treasury's people: a week of sales becomes a payout proposal (the
// `payouts:run` CLI; the API's payout job is off so that signers, not the job, execute);
// a guardian pauses from the emergency page and buy and approve are disabled with the
// reason until the multisig unpauses; two signers approve in their own browsers and one
// executes; an auditor (a role the admin grants, effective from the next sign-in) finds
// the PayoutPaid transactions in the explorer and exports them as CSV matching the chain.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeEvents, ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, pause, treasury } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PublicKey } from "@solana/web3.js";
import type { Page } from "playwright-core";
import { parseWeek } from "../../api/src/domains/payouts/week.js";
import { CSV_HEADER } from "../../api/src/domains/transactions/csv.js";
import { confirmed, signBuilt } from "../src/api-client.js";
import { until } from "../src/localnet-client.js";
import { actAs, type PayoutStack, payoutStackOf, runCli, sellWeek, tokenBalance, usdcOf } from "../src/payouts.js";
import { mintCards, signIn, startWebStack, type WebStack } from "./stack.js";

const PAYEES = 3;

describe("web: treasury, emergency and the auditor explorer", function () {
  this.timeout(300_000);
  let web: WebStack;
  let stack: PayoutStack;
  let conn: Connection;
  const payees: Keypair[] = Array.from({ length: PAYEES }, () => newKeypair());
  let proposal: PublicKey;
  let listingId: string;
  let vaultBefore: bigint;
  let signer1: Page;
  let bobPage: Page;

  const pausedOnChain = async () => {
    const [address] = pause.pauseStatePda();
    const info = await conn.getAccountInfo(address, "confirmed");
    assert.ok(info);
    return pause.decodePauseState(info, info.owner).paused;
  };
  const chainProposal = async () => {
    const info = await conn.getAccountInfo(proposal, "confirmed");
    assert.ok(info);
    return treasury.decodeProposal(info);
  };

  before(async () => {
    // Execution is the signers' to click: the job would race them to it.
    web = await startWebStack("web_treasury", { PAYOUT_WORKER: "0" });
    stack = await payoutStackOf(web.api, web.admin);
    conn = web.api.localnet.connection("confirmed");
    await sellWeek(
      stack,
      payees.map((w, i) => ({
        name: `Payee Co ${i}`,
        payoutWallet: w.publicKey,
        sales: [BigInt(40 + 10 * i) * 1_000_000n],
      })),
    );
    vaultBefore = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
    const run = await runCli(stack);
    assert.equal(run.out.status, "proposed", `${JSON.stringify(run.out)} ${run.stderr}`);
    assert.equal(run.out.waiting, "approvals");
    proposal = treasury.payoutPda(stack.deps.platform.multisig, stack.usdc, parseWeek(stack.week).onChain)[0];
    assert.equal((await chainProposal()).status, "Active");
    // The next turn, once the batch is mirrored, links its payees to it (the job would, every tick).
    await until(
      "the batch mirrored",
      async () => (await stack.deps.prisma.treasuryProposal.count({ where: { address: proposal.toBase58() } })) > 0,
      30_000,
    );
    assert.equal((await runCli(stack)).out.waiting, "approvals");

    // A card on the market, for the buy button.
    const alice = web.api.localnet.wallet("alice");
    const [card] = await mintCards(web, stack.adminToken, alice, { name: "Keel", ticker: "KEEL", sector: "Shipping" }, [
      "Keel One",
    ]);
    const aliceToken = (await web.api.client.signIn(alice)).token;
    const listed = await web.api.client.post(
      "/api/v1/marketplace/listings",
      { cardId: card.id, currency: "USDC", price: "5000000" },
      { token: aliceToken },
    );
    assert.equal(listed.status, 201, listed.text);
    const approval = await conn.sendRawTransaction(signBuilt(listed.body.transaction.transaction, [alice]));
    await confirmed(conn, approval);
    listingId = listed.body.listing.id;
    const c = await web.api.client.post(
      `/api/v1/marketplace/listings/${listingId}/confirm`,
      { signature: approval },
      { token: aliceToken },
    );
    assert.equal(c.status, 200, c.text);
  });
  afterEach(async function () {
    if (this.currentTest?.state === "failed") await web?.captureFailure(this.currentTest.title);
  });
  after(async () => web?.stop());

  it("a guardian pauses: buy and approve are disabled with the reason; signers unpause from the app and they come back", async () => {
    signer1 = await web.open(web.api.localnet.wallet("signer-1"), `/treasury/proposals/${proposal.toBase58()}`);
    await signIn(signer1);
    const approve = signer1.locator("[data-testid=approve]");
    await signer1.locator("[data-testid=approve]:enabled").waitFor();
    bobPage = await web.open(web.api.localnet.wallet("bob"), "/marketplace");
    await signIn(bobPage);
    const buy = `[data-testid=buy][data-listing-id="${listingId}"]`;
    await bobPage.locator(`${buy}:enabled`).waitFor();

    const guardian = await web.open(web.api.localnet.wallet("guardian-1"), "/emergency");
    await signIn(guardian);
    await guardian.locator("[data-testid=pause-state][data-paused=false]").waitFor();
    await guardian.getByTestId("pause-reason").fill("7");
    await guardian.getByTestId("pause").click();
    await guardian.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    assert.equal(await pausedOnChain(), true);
    await guardian.locator("[data-testid=pause-state][data-paused=true]").waitFor();
    await web.screenshot(guardian, "emergency");

    // The open pages learn it from the live Paused event: disabled, with the reason beside the button.
    await signer1.locator("[data-testid=approve]:disabled").waitFor();
    assert.match((await signer1.getByTestId("approve-disabled-reason").textContent()) ?? "", /paused.*reason code 7/);
    assert.match((await approve.getAttribute("title")) ?? "", /reason code 7/);
    await signer1.getByTestId("pause-banner").waitFor();
    await bobPage.locator(`${buy}:disabled`).waitFor();
    assert.match((await bobPage.getByTestId("buy-disabled-reason").textContent()) ?? "", /paused.*reason code 7/);

    // Signers unpause from the app: signer-2 opens the Pause proposal the API builds, approves it
    // and (after signer-3's approval through the API) executes it.
    const signer2 = await web.open(web.api.localnet.wallet("signer-2"), "/emergency");
    await signIn(signer2);
    await signer2.getByTestId("propose-unpause").click();
    await signer2.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    await signer2.getByTestId("unpause-proposal-link").click();
    await signer2.locator("[data-testid=approve]:enabled").click();
    await signer2.locator("[data-testid=proposal-status]", { hasText: /Active|Approved/ }).waitFor();
    await signer2.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    const unpause = (await signer2.getByTestId("proposal-detail").getAttribute("data-proposal")) as string;
    const approval = await signer2.getByTestId("tx-signature").getAttribute("data-signature");
    await actAs(stack, web.api.localnet.wallet("signer-3"), unpause, "approve");
    await signer2.locator("[data-testid=proposal-status]", { hasText: "Approved" }).waitFor();
    await signer2.locator("[data-testid=execute]:enabled").click();
    await signer2
      .locator(
        `[data-testid=tx-status][data-state=confirmed] [data-testid=tx-signature]:not([data-signature="${approval}"])`,
      )
      .waitFor();
    assert.equal(await pausedOnChain(), false);
    await signer1.locator("[data-testid=approve]:enabled").waitFor();
    await signer1.getByTestId("pause-banner").waitFor({ state: "detached" });
    assert.equal(await signer1.getByTestId("approve-disabled-reason").count(), 0);
    await bobPage.locator(`${buy}:enabled`).waitFor();
    assert.equal(await bobPage.getByTestId("buy-disabled-reason").count(), 0);
  });

  it("two signers approve in their own browsers, one executes: every payee holds its payout on chain", async () => {
    const path = `/treasury/proposals/${proposal.toBase58()}`;
    const signer2 = await web.open(web.api.localnet.wallet("signer-2"), path);
    await signIn(signer2);
    await signer2.locator("[data-testid=approval-progress][data-approvals='0'][data-required='2']").waitFor();
    // What they approve: the payees and amounts the batch holds on chain.
    const batch = (await chainProposal()).action;
    assert.equal(batch.kind, "payoutBatch");
    if (batch.kind !== "payoutBatch") return;
    await signer2
      .locator("[data-testid=payout-row][data-status=proposed]")
      .nth(PAYEES - 1)
      .waitFor();
    const listed = await signer2
      .locator("[data-testid=payout-row]")
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute("data-recipient"),
          r.querySelector("[data-amount]")?.getAttribute("data-amount"),
        ]),
      );
    assert.deepEqual(
      listed
        .map(([wallet, amount]) => [
          getAssociatedTokenAddressSync(stack.usdc, new PublicKey(wallet ?? "")).toBase58(),
          amount,
        ])
        .sort(),
      batch.entries.map((e) => [e.recipient.toBase58(), e.amount.toString()]).sort(),
    );

    await signer1.getByTestId("approve").click();
    await signer1.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    const approval = await signer1.getByTestId("tx-signature").getAttribute("data-signature");
    // signer-2's page hears of the approval live.
    await signer2.locator("[data-testid=approval-progress][data-approvals='1']").waitFor();
    await signer2.getByTestId("approve").click();
    await signer2.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    const approved = await chainProposal();
    assert.equal(approved.status, "Approved");
    assert.equal(approved.approvals, 2);

    // signer-1's page, without a reload, now offers Execute.
    await signer1.locator("[data-testid=proposal-status]", { hasText: "Approved" }).waitFor();
    await signer1.getByTestId("execute").click();
    // The page's one status now follows the execution (its approval's confirmation was there before).
    await signer1
      .locator(
        `[data-testid=tx-status][data-state=confirmed] [data-testid=tx-signature]:not([data-signature="${approval}"])`,
      )
      .waitFor();
    assert.equal((await chainProposal()).status, "Executed");
    await signer1.locator("[data-testid=proposal-status]", { hasText: "Executed" }).waitFor();

    const payouts = await stack.deps.prisma.payout.findMany({ where: { week: stack.week } });
    assert.equal(payouts.length, PAYEES);
    let total = 0n;
    for (const p of payouts) {
      const amount = BigInt(p.amount.toFixed());
      const payee = payees.find((w) => w.publicKey.toBase58() === p.recipient);
      assert.ok(payee);
      assert.equal(await usdcOf(stack, payee.publicKey), amount, `payee ${p.recipient}`);
      total += amount;
    }
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vaultBefore - total);
    // The mirrored PayoutPaid settle the payees on the proposal's page.
    await signer1
      .locator("[data-testid=payout-row][data-status=paid]")
      .nth(PAYEES - 1)
      .waitFor();
    await web.screenshot(signer1, "proposal");

    // The cycle settles the run from the mirror; its page lists every payee paid, amounts as on chain.
    const settled = await runCli(stack, { wait: 30 });
    assert.equal(settled.out.status, "paid", JSON.stringify(settled.out));
    await signer1.goto(`${web.appUrl}/treasury/payouts/${stack.week}`);
    await signer1.locator("[data-testid=payout-run-status]", { hasText: "paid" }).waitFor();
    const rows = signer1.locator("[data-testid=payout-row]");
    assert.equal(await rows.count(), PAYEES);
    for (const payee of payees) {
      const row = signer1.locator(`[data-testid=payout-row][data-recipient="${payee.publicKey.toBase58()}"]`);
      assert.equal(await row.getAttribute("data-status"), "paid");
      assert.equal(
        await row.locator("[data-amount]").getAttribute("data-amount"),
        String(await usdcOf(stack, payee.publicKey)),
      );
    }
    await web.screenshot(signer1, "payout-run");
    await signer1.getByTestId("nav-treasury").click();
    await signer1
      .locator(`[data-testid=proposal-row][data-proposal="${proposal.toBase58()}"][data-status=Executed]`)
      .waitFor();
    await web.screenshot(signer1, "treasury");
  });

  it("an auditor finds the PayoutPaid transactions in the explorer and exports them as CSV matching the chain", async () => {
    // The chain's own answer: the transactions on the proposal that emitted PayoutPaid.
    const paid = new Map<
      string,
      { slot: number; fee: number; payer: string; blockTime: number | null; events: number }
    >();
    for (const s of await conn.getSignaturesForAddress(proposal, undefined, "confirmed")) {
      const tx = await conn.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      assert.ok(tx?.meta);
      const events = decodeEvents(ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, tx.meta.logMessages ?? []).filter(
        (e) => e.name === "PayoutPaid",
      ).length;
      if (events === 0) continue;
      paid.set(s.signature, {
        slot: tx.slot,
        fee: tx.meta.fee,
        payer: tx.transaction.message.staticAccountKeys[0]?.toBase58() ?? "",
        blockTime: tx.blockTime ?? null,
        events,
      });
    }
    assert.ok(paid.size > 0);
    assert.equal(
      [...paid.values()].reduce((n, p) => n + p.events, 0),
      PAYEES,
    );

    const carol = web.api.localnet.wallet("carol");
    const page = await web.open(carol);
    await signIn(page);
    assert.equal(await page.getByTestId("nav-explorer").count(), 0, "not an auditor yet");
    const granted = await web.api.client.put(
      `/api/v1/users/${carol.publicKey.toBase58()}/roles`,
      { roles: ["auditor"] },
      { token: stack.adminToken },
    );
    assert.equal(granted.status, 200, granted.text);
    // Roles come with a session: sign in again.
    await page.getByTestId("sign-out").click();
    await signIn(page);
    assert.match((await page.getByTestId("session-roles").textContent()) ?? "", /auditor/);

    await page.getByTestId("nav-explorer").click();
    // The daily chart's last bar is today's USDC moved by transfers, as the mirror adds it up.
    const today = await web.api.client.get("/api/v1/transactions/daily?days=1", {
      token: (await web.api.client.signIn(carol)).token,
    });
    const usdcMoved = BigInt(today.body.items[0].volume[web.api.manifest.usdcMint] ?? "0");
    assert.ok(usdcMoved > 0n, "sales and payouts moved USDC today");
    const lastBar = page.locator("[data-testid=chart-volume-bar]").last();
    await lastBar.waitFor();
    assert.equal(Number(await lastBar.getAttribute("data-value")), Number(usdcMoved) / 1e6);
    await page.getByTestId("filter-event").fill("PayoutPaid");
    await page.getByTestId("filter-apply").click();
    await page.locator("[data-testid=export-csv][data-path*='event=PayoutPaid']").waitFor();
    await page
      .locator("[data-testid=tx-row]")
      .nth(paid.size - 1)
      .waitFor();
    const shown = await page
      .locator("[data-testid=tx-row]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-signature")));
    assert.deepEqual(new Set(shown), new Set(paid.keys()));
    await web.screenshot(page, "explorer");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    const [header, ...lines] = csv.split("\r\n").filter((l) => l !== "");
    assert.equal(header, CSV_HEADER.join(","));
    assert.equal(lines.length, paid.size);
    for (const line of lines) {
      const row = Object.fromEntries(CSV_HEADER.map((h, i) => [h, line.split(",")[i]]));
      const chain = paid.get(row.signature ?? "");
      assert.ok(chain, `${row.signature} paid a payout on chain`);
      assert.equal(row.slot, String(chain.slot));
      assert.equal(row.fee, String(chain.fee));
      assert.equal(row.signer, chain.payer);
      assert.equal(row.success, "true");
      assert.equal(row.program, ECE_TREASURY_PROGRAM_ID.toBase58());
      assert.equal(row.instruction, "execute");
      assert.equal(row.block_time, chain.blockTime === null ? "" : new Date(chain.blockTime * 1000).toISOString());
    }

    // One of them in detail: its decoded PayoutPaid events, one per payee it paid.
    const [signature, chain] = [...paid.entries()][0] ?? [];
    assert.ok(signature && chain);
    await page.locator(`[data-testid=tx-row][data-signature="${signature}"] a`).click();
    await page.locator(`[data-testid=transaction-detail][data-signature="${signature}"]`).waitFor();
    assert.equal(await page.locator("[data-testid=event-row][data-name=PayoutPaid]").count(), chain.events);
    await web.screenshot(page, "transaction");

    // The review queue, as the API holds it.
    const queue = await web.api.client.get("/api/v1/compliance/review-queue?limit=50", { token: stack.adminToken });
    await page.getByTestId("nav-compliance").click();
    if (queue.body.items.length === 0) await page.getByTestId("review-queue-empty").waitFor();
    else
      await page
        .getByTestId("review-row")
        .nth(queue.body.items.length - 1)
        .waitFor();
    assert.equal(await page.getByTestId("review-row").count(), queue.body.items.length);
    await web.screenshot(page, "compliance");
  });

  it("an admin decides a flagged check in the review queue, with a written reason", async () => {
    // A wallet whose KYC was rejected, scored by the engine: review (kyc.rejected 50 + new wallet 15).
    const flagged = newKeypair().publicKey.toBase58();
    await stack.deps.prisma.user.create({ data: { wallet: flagged, kycStatus: "rejected" } });
    const scored = await web.api.client.get(`/api/v1/compliance/score/wallet/${flagged}`, { token: stack.adminToken });
    assert.equal(scored.status, 200, scored.text);
    assert.equal(scored.body.decision, "review");

    const page = await web.open(web.admin, "/compliance");
    await signIn(page);
    const row = page.getByTestId("review-row").filter({ has: page.locator(`[data-check-id="${scored.body.id}"]`) });
    await row.waitFor();
    await row.getByTestId("review-reason").fill("short");
    assert.equal(await row.getByTestId("review-approve").isDisabled(), true, "a reason of 10+ characters first");
    await row.getByTestId("review-reason").fill("Called the company; KYC re-submitted and verified by phone");
    await row.getByTestId("review-approve").click();
    await row.waitFor({ state: "detached" });
    const decided = await web.api.client.get(`/api/v1/compliance/checks/${scored.body.id}`, {
      token: stack.adminToken,
    });
    assert.equal(decided.body.decision, "approve");
    assert.equal(decided.body.reviewer, web.admin.publicKey.toBase58());
    assert.match(decided.body.reviewReason, /verified by phone/);
  });
});
