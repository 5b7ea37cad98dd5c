// WebSocket subscriptions: account, program (with filters), signature, logs,
// slot and root, each with its unsubscribe — as raw JSON (exact shapes and ids),
// through web3.js and through @solana/kit. Notifications must come exactly once,
// in order, at the subscriber's commitment, and stop on unsubscribe.
import assert from "node:assert/strict";
import { newKeypair } from "@ece/sdk/node";
import { address, createSolanaRpcSubscriptions, signature as kitSignature } from "@solana/kit";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_PROGRAM_ID,
  unpackAccount,
} from "@solana/spl-token";
import {
  type AccountInfo,
  type Connection,
  type Context,
  type KeyedAccountInfo,
  type Keypair,
  type Logs,
  PublicKey,
  type SignatureResult,
  type SlotInfo,
} from "@solana/web3.js";
import { type LocalnetProcess, localnetOnly, spawnLocalnet, WAIT_SCALE } from "../src/localnet.js";
import {
  type AccountJson,
  Blockhashes,
  type Commitment,
  getSlot,
  type KeyedAccountJson,
  type Notification,
  newKey,
  passSlots,
  send,
  sign,
  signedTransfer,
  sleep,
  statuses,
  tokenTransferIx,
  until,
  type WithContext,
  WsClient,
  waitForSlot,
} from "../src/localnet-client.js";

const SLOT_MS = 50;
const FINALITY = 3;
/** How long a wait that spans finalization may take (see WAIT_SCALE). */
const FINALIZED_MS = 10_000 * WAIT_SCALE;
/** Why a test that times slots and roots by FINALITY is not run on solana-test-validator. */
const FINALITY_ONLY = `it times notifications by the localnet's --finality ${FINALITY} (the validator finalizes ~32 slots later)`;
/** Why a test of the WebSocket upgrade on the HTTP port is not run on solana-test-validator. */
const UPGRADE_ONLY =
  "the WebSocket upgrade on the HTTP port is a localnet extension (Agave serves PubSub on port + 1 only)";
const SYSTEM = "11111111111111111111111111111111";
/** u64::MAX, which Agave sends as rentEpoch and JSON.parse rounds. */
const RENT_EPOCH_TEXT = "18446744073709551615";
const TRANSFER_LOGS = [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`];

/** Resolves once web3.js has the server's id for client subscription `id`. */
function subscribed(connection: Connection, id: number): Promise<void> {
  const c = connection as unknown as {
    _subscriptionHashByClientSubscriptionId: Record<number, string>;
    _subscriptionsByHash: Record<string, { state: string }>;
    _onSubscriptionStateChange(id: number, cb: (state: string) => void): () => void;
  };
  const hash = c._subscriptionHashByClientSubscriptionId[id];
  if (hash && c._subscriptionsByHash[hash]?.state === "subscribed") return Promise.resolve();
  return new Promise((resolve) => {
    const dispose = c._onSubscriptionStateChange(id, (state) => {
      if (state === "subscribed") {
        dispose();
        resolve();
      }
    });
  });
}

/** Drains an async iterable (kit's subscriptions) into an array in the background. */
function collect<T>(iterable: AsyncIterable<T>): T[] {
  const out: T[] = [];
  void (async () => {
    try {
      for await (const item of iterable) out.push(item);
    } catch {
      // Aborted: the subscription is over.
    }
  })();
  return out;
}

/**
 * Account, signature (with receivedSignature) and slot subscriptions as raw JSON:
 * the core that must hold on any node (and on solana-test-validator, through
 * npm run test:test-validator).
 */
async function sharedChecks(rpcUrl: string, wsUrl: string, payer: Keypair): Promise<void> {
  const ws = await WsClient.connect(wsUrl);
  try {
    const target = newKey();
    const blockhash = await new Blockhashes(rpcUrl).get();
    const tx = signedTransfer(payer, target, 1_000_000, blockhash);
    const account = await ws.subscribe("accountSubscribe", [
      target.toBase58(),
      { commitment: "confirmed", encoding: "base64" },
    ]);
    const sig = await ws.subscribe("signatureSubscribe", [
      tx.signature,
      { commitment: "confirmed", enableReceivedNotification: true },
    ]);
    const slot = await ws.subscribe("slotSubscribe");
    assert.equal(new Set([account, sig, slot]).size, 3, "distinct subscription ids");
    await send(rpcUrl, tx);

    const sigs = await ws.waitForNotifications<WithContext<unknown>>(sig, 2);
    const [status] = await statuses(rpcUrl, [tx.signature]);
    assert.ok(status);
    assert.equal(sigs[0]?.params.result.value, "receivedSignature");
    assert.deepEqual(sigs[1], {
      jsonrpc: "2.0",
      method: "signatureNotification",
      params: { result: { context: { slot: status.slot }, value: { err: null } }, subscription: sig },
    });
    const [changed] = await ws.waitForNotifications<WithContext<AccountJson>>(account, 1);
    assert.equal(changed?.method, "accountNotification");
    assert.equal(changed?.params.result.context.slot, status.slot);
    assert.equal(changed?.params.result.value.lamports, 1_000_000);
    assert.deepEqual(changed?.params.result.value.data, ["", "base64"]);
    assert.equal(changed?.params.result.value.owner, SYSTEM);

    const [slotInfo] = await ws.waitForNotifications<{ slot: number; parent: number; root: number }>(slot, 1);
    const info = slotInfo?.params.result;
    assert.ok(info && info.slot > info.parent && info.root <= info.parent, JSON.stringify(info));

    const bad = await ws.request("signatureUnsubscribe", [sig]);
    assert.deepEqual(bad.error, { code: -32602, message: "Invalid subscription id." }, "removed after it fired");
    assert.equal((await ws.request("accountUnsubscribe", [account])).result, true);
    assert.equal((await ws.request("slotUnsubscribe", [slot])).result, true);
  } finally {
    await ws.close();
  }
}

describe("localnet WebSocket subscriptions", function () {
  this.timeout(30_000 * WAIT_SCALE);
  let node: LocalnetProcess;
  let url: string;
  let alice: Keypair;
  let mint: PublicKey;
  let blockhashes: Blockhashes;
  /** Default transfer amounts, apart from the explicit ones, so no two transfers are the same transaction. */
  let lamports = 50_000_000;
  const sockets: WsClient[] = [];

  const connect = async (wsUrl = node.wsUrl) => {
    const ws = await WsClient.connect(wsUrl);
    sockets.push(ws);
    return ws;
  };
  /** A signed SOL transfer from alice, each one distinct. */
  const transfer = async (to: PublicKey, amount = lamports++) =>
    signedTransfer(alice, to, amount, await blockhashes.get());

  before(async () => {
    node = await spawnLocalnet({ slotMs: SLOT_MS, finality: FINALITY });
    url = node.rpcUrl;
    alice = node.wallet("alice");
    mint = new PublicKey(node.usdcMint);
    blockhashes = new Blockhashes(url);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  after(async () => {
    assert.equal(await node.stop(), 0);
  });

  describe("raw JSON over the WebSocket", () => {
    it("serves the API on the dedicated port and through an upgrade on the HTTP port", async function () {
      localnetOnly(this, UPGRADE_ONLY);
      for (const wsUrl of [node.wsUrl, node.rpcUrl.replace(/^http/, "ws")]) {
        const ws = await connect(wsUrl);
        const sub = await ws.subscribe("slotSubscribe");
        const [n] = await ws.waitForNotifications<{ slot: number; parent: number; root: number }>(sub, 1);
        assert.deepEqual(Object.keys(n?.params.result ?? {}).sort(), ["parent", "root", "slot"], wsUrl);
        assert.deepEqual(await ws.request("slotUnsubscribe", [sub]), { jsonrpc: "2.0", result: true, id: ws.lastId });
      }
      assert.notEqual(new URL(node.wsUrl).port, new URL(node.rpcUrl).port, "the dedicated port is another port");
    });

    it("accountSubscribe: exact reply and notification JSON, one per change, none after unsubscribe", async () => {
      const ws = await connect();
      const target = newKey();
      ws.sendText(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "accountSubscribe",
          params: [target.toBase58(), { encoding: "base64", commitment: "processed" }],
        }),
      );
      const { message, text } = await ws.reply(1);
      const sub = message.result as number;
      assert.ok(Number.isSafeInteger(sub) && sub >= 0);
      assert.equal(text, `{"jsonrpc":"2.0","result":${sub},"id":1}`);

      const first = await transfer(target, 2_500_000);
      await send(url, first);
      const [n1] = await ws.waitForNotifications<WithContext<AccountJson>>(sub, 1);
      const [status] = await statuses(url, [first.signature]);
      assert.deepEqual(n1, {
        jsonrpc: "2.0",
        method: "accountNotification",
        params: {
          result: {
            context: { slot: status?.slot },
            value: {
              lamports: 2_500_000,
              data: ["", "base64"],
              owner: SYSTEM,
              executable: false,
              rentEpoch: Number(RENT_EPOCH_TEXT),
              space: 0,
            },
          },
          subscription: sub,
        },
      });
      assert.ok(ws.texts[ws.indexOf(sub, 0)]?.includes(`"rentEpoch":${RENT_EPOCH_TEXT}`), "u64::MAX written exactly");

      await send(url, await transfer(target, 1_000));
      const both = await ws.waitForNotifications<WithContext<AccountJson>>(sub, 2);
      assert.equal(both[1]?.params.result.value.lamports, 2_501_000);
      await passSlots(url, 3);
      assert.equal(ws.notifications(sub).length, 2, "exactly one notification per change");

      assert.deepEqual(await ws.request("accountUnsubscribe", [sub]), { jsonrpc: "2.0", result: true, id: ws.lastId });
      await send(url, await transfer(target, 2_000));
      await passSlots(url, 3);
      assert.equal(ws.notifications(sub).length, 2, "nothing after unsubscribe");
      assert.deepEqual(await ws.request("accountUnsubscribe", [sub]), {
        jsonrpc: "2.0",
        error: { code: -32602, message: "Invalid subscription id." },
        id: ws.lastId,
      });
    });

    it("accountSubscribe at processed, confirmed and finalized: in that order, each with the state of its slot", async function () {
      localnetOnly(this, FINALITY_ONLY);
      const ws = await connect();
      const target = newKey();
      const slots = await ws.subscribe("slotSubscribe");
      const subs = {} as Record<Commitment, number>;
      for (const c of ["processed", "confirmed", "finalized"] as const) {
        subs[c] = await ws.subscribe("accountSubscribe", [target.toBase58(), { commitment: c, encoding: "base64" }]);
      }
      await send(url, await transfer(target, 1_000_000));
      const [a] = await ws.waitForNotifications<WithContext<AccountJson>>(subs.processed, 1);
      const slotA = a?.params.result.context.slot as number;
      // The second change in a later slot, before the first is finalized.
      await waitForSlot(url, slotA + 1);
      await send(url, await transfer(target, 2_000_000));
      const processed = await ws.waitForNotifications<WithContext<AccountJson>>(subs.processed, 2);
      const slotB = processed[1]?.params.result.context.slot as number;
      assert.ok(slotB > slotA);
      await ws.waitForNotifications(subs.finalized, 2);

      const expected = [
        [slotA, 1_000_000],
        [slotB, 3_000_000],
      ];
      for (const c of ["processed", "confirmed", "finalized"] as const) {
        const got = ws
          .notifications<WithContext<AccountJson>>(subs[c])
          .map((n) => [n.params.result.context.slot, n.params.result.value.lamports]);
        assert.deepEqual(got, expected, `${c}: the state at each notified slot`);
      }
      // When each level fires: closing slot S opens S + 1 (its slot notification comes
      // first) and confirms S; S is finalized when S + 1 + FINALITY opens.
      const slotNotice = (s: number) =>
        ws.messages.findIndex((m) => {
          const n = m as Notification<{ slot: number }>;
          return n.params?.subscription === slots && n.params.result.slot === s;
        });
      /** `index` comes after the notification of slot `s` and before that of slot `s + 1` (when that one has come). */
      const during = (index: number, s: number, what: string, openedSeen = true) => {
        const opened = slotNotice(s);
        const next = slotNotice(s + 1);
        if (openedSeen) assert.ok(opened >= 0 && opened < index, `${what}: after slot ${s} opened`);
        assert.ok(next === -1 || index < next, `${what}: before slot ${s + 1} opened`);
      };
      for (const [i, s] of [slotA, slotB].entries()) {
        const p = ws.indexOf(subs.processed, i);
        const c = ws.indexOf(subs.confirmed, i);
        const f = ws.indexOf(subs.finalized, i);
        assert.ok(p < c && c < f, `processed < confirmed < finalized for change ${i}`);
        // (The first slot may have opened before slotSubscribe.)
        during(p, s, `processed ${i}`, i > 0);
        during(c, s + 1, `confirmed ${i}`);
        during(f, s + 1 + FINALITY, `finalized ${i}`);
      }
      await passSlots(url, FINALITY + 2);
      for (const c of ["processed", "confirmed", "finalized"] as const) {
        assert.equal(ws.notifications(subs[c]).length, 2, `${c}: exactly once`);
        assert.equal((await ws.request("accountUnsubscribe", [subs[c]])).result, true);
      }
    });

    it("accountSubscribe defaults: finalized, and Agave's legacy binary encoding (a bare base58 string)", async () => {
      const ws = await connect();
      const target = newKey();
      const byDefault = await ws.subscribe("accountSubscribe", [target.toBase58()]);
      const processed = await ws.subscribe("accountSubscribe", [target.toBase58(), { commitment: "processed" }]);
      await send(url, await transfer(target, 1_234_567));
      const [fast] = await ws.waitForNotifications<WithContext<AccountJson>>(processed, 1);
      const [slow] = await ws.waitForNotifications<WithContext<AccountJson>>(byDefault, 1, FINALIZED_MS);
      assert.equal(fast?.params.result.value.data, "");
      assert.equal(slow?.params.result.value.data, "");
      assert.equal(slow?.params.result.value.lamports, 1_234_567);
      assert.ok(ws.indexOf(processed, 0) < ws.indexOf(byDefault, 0));
      assert.ok((await getSlot(url, "finalized")) >= (slow?.params.result.context.slot as number));
    });

    it("programSubscribe with dataSize and memcmp filters: only matching accounts, jsonParsed", async () => {
      const ws = await connect();
      const owner = newKeypair().publicKey;
      const ata = getAssociatedTokenAddressSync(mint, owner);
      const aliceAta = getAssociatedTokenAddressSync(mint, alice.publicKey);
      const program = TOKEN_PROGRAM_ID.toBase58();
      const ofOwner = await ws.subscribe("programSubscribe", [
        program,
        {
          commitment: "processed",
          encoding: "jsonParsed",
          filters: [{ dataSize: 165 }, { memcmp: { offset: 32, bytes: owner.toBase58() } }],
        },
      ]);
      const nobody = await ws.subscribe("programSubscribe", [
        program,
        { commitment: "processed", filters: [{ memcmp: { offset: 32, bytes: newKey().toBase58() } }] },
      ]);
      const wrongSize = await ws.subscribe("programSubscribe", [
        program,
        { commitment: "processed", filters: [{ dataSize: 82 }, { memcmp: { offset: 32, bytes: owner.toBase58() } }] },
      ]);
      const ofMint = await ws.subscribe("programSubscribe", [
        program,
        {
          commitment: "confirmed",
          encoding: "base64",
          filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: mint.toBase58() } }],
        },
      ]);
      const create = sign(
        [
          createAssociatedTokenAccountIdempotentInstruction(alice.publicKey, ata, owner, mint),
          tokenTransferIx(mint, alice.publicKey, owner, 5_000_000n),
        ],
        alice,
        await blockhashes.get(),
      );
      await send(url, create);
      const [status] = await statuses(url, [create.signature]);
      const [n] = await ws.waitForNotifications<WithContext<KeyedAccountJson>>(ofOwner, 1);
      assert.equal(n?.method, "programNotification");
      assert.equal(n?.params.result.context.slot, status?.slot);
      const value = n?.params.result.value;
      assert.equal(value?.pubkey, ata.toBase58());
      assert.equal(value?.account.owner, program);
      assert.equal(value?.account.space, 165);
      const parsed = value?.account.data as {
        program: string;
        parsed: { type: string; info: Record<string, unknown> };
      };
      assert.equal(parsed.program, "spl-token");
      assert.equal(parsed.parsed.type, "account");
      assert.equal(parsed.parsed.info.owner, owner.toBase58());
      assert.equal(parsed.parsed.info.mint, mint.toBase58());
      assert.equal((parsed.parsed.info.tokenAmount as { amount: string }).amount, "5000000");

      // In a later slot, so that the confirmed subscription sees two blocks.
      await waitForSlot(url, (status?.slot as number) + 1);
      await send(
        url,
        sign([tokenTransferIx(mint, alice.publicKey, owner, 1_000_000n)], alice, await blockhashes.get()),
      );
      const mintWide = await ws.waitForNotifications<WithContext<KeyedAccountJson>>(ofMint, 4);
      const owned = await ws.waitForNotifications<WithContext<KeyedAccountJson>>(ofOwner, 2);
      type Parsed = { parsed: { info: { tokenAmount: { amount: string } } } };
      const amount = (n: Notification<WithContext<KeyedAccountJson>> | undefined) =>
        (n?.params.result.value.account.data as Parsed | undefined)?.parsed.info.tokenAmount.amount;
      assert.equal(amount(owned[1]), "6000000");
      // Confirmed, base64: both token accounts of each transfer, decoded.
      const decoded = mintWide.map((m) => {
        const { pubkey, account } = m.params.result.value;
        const data = Buffer.from((account.data as [string, string])[0], "base64");
        const info = unpackAccount(new PublicKey(pubkey), {
          ...account,
          data,
          owner: TOKEN_PROGRAM_ID,
          lamports: account.lamports,
        });
        return `${pubkey}:${info.amount}`;
      });
      const aliceAfter1 = decoded.find((d) => d.startsWith(`${aliceAta.toBase58()}:`));
      assert.ok(aliceAfter1, "alice's token account is notified on the mint-wide subscription");
      assert.ok(decoded.includes(`${ata.toBase58()}:5000000`));
      assert.ok(decoded.includes(`${ata.toBase58()}:6000000`));
      await passSlots(url, 3);
      assert.equal(ws.notifications(ofOwner).length, 2, "exactly once per change");
      assert.equal(ws.notifications(ofMint).length, 4);
      assert.equal(ws.notifications(nobody).length, 0, "a filter no account matches: nothing");
      assert.equal(ws.notifications(wrongSize).length, 0, "all filters must match");
      for (const sub of [ofOwner, nobody, wrongSize, ofMint]) {
        assert.equal((await ws.request("programUnsubscribe", [sub])).result, true);
      }
      await send(url, sign([tokenTransferIx(mint, alice.publicKey, owner, 1n)], alice, await blockhashes.get()));
      await passSlots(url, 3);
      assert.equal(ws.notifications(ofOwner).length, 2, "nothing after unsubscribe");
      assert.equal(ws.notifications(ofMint).length, 4);
    });

    it("signatureSubscribe: receivedSignature, then the result once at each commitment, then removed", async () => {
      const ws = await connect();
      const target = newKey();
      const tx = await transfer(target);
      const received = await ws.subscribe("signatureSubscribe", [
        tx.signature,
        { commitment: "confirmed", enableReceivedNotification: true },
      ]);
      const processed = await ws.subscribe("signatureSubscribe", [tx.signature, { commitment: "processed" }]);
      await send(url, tx);
      // Subscribed after it was processed, before it is finalized: still exactly one notification.
      const finalized = await ws.subscribe("signatureSubscribe", [tx.signature]);
      const [status] = await statuses(url, [tx.signature]);
      const slot = status?.slot as number;

      const r = await ws.waitForNotifications(received, 2);
      assert.deepEqual(
        r.map((n) => n.params.result),
        [
          { context: { slot }, value: "receivedSignature" },
          { context: { slot }, value: { err: null } },
        ],
      );
      const [p] = await ws.waitForNotifications(processed, 1);
      assert.deepEqual(p, {
        jsonrpc: "2.0",
        method: "signatureNotification",
        params: { result: { context: { slot }, value: { err: null } }, subscription: processed },
      });
      const [f] = await ws.waitForNotifications(finalized, 1, FINALIZED_MS);
      assert.deepEqual(f?.params.result, { context: { slot }, value: { err: null } });
      assert.ok(
        ws.indexOf(processed, 0) < ws.indexOf(received, 1) && ws.indexOf(received, 1) < ws.indexOf(finalized, 0),
      );
      assert.ok((await getSlot(url, "finalized")) >= slot);
      await passSlots(url, FINALITY + 2);
      assert.deepEqual(
        [received, processed, finalized].map((s) => ws.notifications(s).length),
        [2, 1, 1],
        "exactly once each",
      );
      for (const sub of [received, processed, finalized]) {
        const reply = await ws.request("signatureUnsubscribe", [sub]);
        assert.deepEqual(reply.error, { code: -32602, message: "Invalid subscription id." }, "removed after firing");
      }

      // A transaction that lands and fails: the notification carries its error.
      const poor = newKeypair();
      await send(url, await transfer(poor.publicKey, 1_000_000));
      const failing = signedTransfer(poor, target, 999_999_999, await blockhashes.get());
      const failed = await ws.subscribe("signatureSubscribe", [failing.signature, { commitment: "processed" }]);
      await send(url, failing, { skipPreflight: true });
      const [e] = await ws.waitForNotifications<WithContext<{ err: unknown }>>(failed, 1);
      assert.deepEqual(e?.params.result.value, { err: { InstructionError: [0, { Custom: 1 }] } });

      // Unsubscribed before it lands: never notified.
      const late = await transfer(target);
      const cancelled = await ws.subscribe("signatureSubscribe", [late.signature, { commitment: "processed" }]);
      assert.equal((await ws.request("signatureUnsubscribe", [cancelled])).result, true);
      await send(url, late);
      await passSlots(url, 2);
      assert.equal(ws.notifications(cancelled).length, 0);
    });

    it("logsSubscribe: 20 sequential transfers give 20 notifications in send order, at processed and confirmed", async () => {
      const ws = await connect();
      const target = newKey();
      const other = newKey();
      const all = await ws.subscribe("logsSubscribe", ["all", { commitment: "processed" }]);
      const mentions = await ws.subscribe("logsSubscribe", [
        { mentions: [target.toBase58()] },
        { commitment: "processed" },
      ]);
      const mentionsConfirmed = await ws.subscribe("logsSubscribe", [
        { mentions: [target.toBase58()] },
        { commitment: "confirmed" },
      ]);
      const sent: string[] = [];
      let unrelated = "";
      for (let i = 0; i < 20; i++) {
        sent.push(await send(url, await transfer(target, 1_000_000 + i)));
        if (i === 9) unrelated = await send(url, await transfer(other, 1_000_000));
      }
      type LogsValue = WithContext<{ signature: string; err: unknown; logs: string[] }>;
      const processed = await ws.waitForNotifications<LogsValue>(mentions, 20);
      const confirmed = await ws.waitForNotifications<LogsValue>(mentionsConfirmed, 20);
      const ours = new Set([...sent, unrelated]);
      await ws.until(
        () => ws.notifications<LogsValue>(all).filter((n) => ours.has(n.params.result.value.signature)).length >= 21,
        "21 notifications on all",
      );
      await passSlots(url, 3);

      const signatures = (list: Array<Notification<LogsValue>>) => list.map((n) => n.params.result.value.signature);
      const slotsOf = (list: Array<Notification<LogsValue>>) => list.map((n) => n.params.result.context.slot);
      assert.deepEqual(signatures(ws.notifications(mentions)), sent, "processed: all 20, once each, in send order");
      assert.deepEqual(signatures(ws.notifications(mentionsConfirmed)), sent, "confirmed: the same");
      const allOurs = ws.notifications<LogsValue>(all).filter((n) => ours.has(n.params.result.value.signature));
      assert.deepEqual(signatures(allOurs), [...sent.slice(0, 10), unrelated, ...sent.slice(10)]);
      for (const list of [processed, confirmed]) {
        const s = slotsOf(list);
        assert.ok(
          s.every((slot, i) => i === 0 || slot >= (s[i - 1] as number)),
          `slots never go back: ${s.join(",")}`,
        );
      }
      assert.deepEqual(slotsOf(confirmed), slotsOf(processed), "the same slot at both levels");
      const st = await statuses(url, sent);
      assert.deepEqual(
        slotsOf(processed),
        st.map((x) => x?.slot),
      );
      assert.deepEqual(processed[0]?.params.result.value, { signature: sent[0], err: null, logs: TRANSFER_LOGS });
      assert.ok(ws.indexOf(mentions, 19) < ws.indexOf(mentionsConfirmed, 19), "confirmed comes after processed");

      for (const sub of [all, mentions, mentionsConfirmed]) {
        assert.equal((await ws.request("logsUnsubscribe", [sub])).result, true);
      }
      const counts = [all, mentions, mentionsConfirmed].map((s) => ws.notifications(s).length);
      await send(url, await transfer(target));
      await passSlots(url, 3);
      assert.deepEqual(
        [all, mentions, mentionsConfirmed].map((s) => ws.notifications(s).length),
        counts,
        "nothing after unsubscribe",
      );
      assert.deepEqual(
        (await ws.request("logsSubscribe", [{ mentions: [target.toBase58(), other.toBase58()] }])).error,
        {
          code: -32602,
          message: "Invalid Request: Only 1 address supported",
        },
      );
    });

    it("slotSubscribe and rootSubscribe: every slot once, in order, with parent and root; roots follow", async function () {
      localnetOnly(this, FINALITY_ONLY);
      const ws = await connect();
      const slot = await ws.subscribe("slotSubscribe");
      const root = await ws.subscribe("rootSubscribe");
      const slots = await ws.waitForNotifications<{ slot: number; parent: number; root: number }>(slot, 8);
      const roots = await ws.waitForNotifications<number>(root, 6);
      const infos = slots.map((n) => n.params.result);
      infos.forEach((info, i) => {
        assert.deepEqual(info, { parent: info.slot - 1, root: info.slot - 1 - FINALITY, slot: info.slot });
        if (i > 0) assert.equal(info.slot, (infos[i - 1]?.slot as number) + 1, "consecutive");
      });
      const rootValues = roots.map((n) => n.params.result);
      rootValues.forEach((r, i) => {
        if (i > 0) assert.equal(r, (rootValues[i - 1] as number) + 1, "consecutive roots");
        const rootIndex = ws.indexOf(root, i);
        const announcing = ws.messages.findIndex(
          (m) =>
            (m as Notification).params?.subscription === slot &&
            (m as Notification<{ root: number }>).params.result.root === r,
        );
        assert.ok(announcing >= 0 && announcing < rootIndex, `root ${r} is announced with its slot notification`);
      });
      assert.equal((await ws.request("slotUnsubscribe", [slot])).result, true);
      assert.equal((await ws.request("rootUnsubscribe", [root])).result, true);
      const counts = [ws.notifications(slot).length, ws.notifications(root).length];
      await sleep(SLOT_MS * 4);
      assert.deepEqual([ws.notifications(slot).length, ws.notifications(root).length], counts);
    });

    it("rejects bad unsubscribes and unknown methods with Agave's errors; ids are per connection", async () => {
      const ws = await connect();
      const otherWs = await connect();
      const invalid = { code: -32602, message: "Invalid subscription id." };
      for (const method of ["accountUnsubscribe", "programUnsubscribe", "signatureUnsubscribe", "logsUnsubscribe"]) {
        assert.deepEqual(await ws.request(method, [987_654_321]), {
          jsonrpc: "2.0",
          error: invalid,
          id: ws.lastId,
        });
      }
      const theirs = await otherWs.subscribe("slotSubscribe");
      assert.deepEqual((await ws.request("slotUnsubscribe", [theirs])).error, invalid, "not this connection's");
      const before = otherWs.notifications(theirs).length;
      await otherWs.waitForNotifications(theirs, before + 1);
      assert.equal((await otherWs.request("slotUnsubscribe", [theirs])).result, true);
      // Unknown, and (as on an Agave node without the extra flags) block and vote subscriptions.
      for (const method of ["getBlockSubscribe", "blockSubscribe", "voteSubscribe"]) {
        assert.deepEqual(
          await ws.request(method, method === "blockSubscribe" ? ["all"] : undefined),
          { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: ws.lastId },
          method,
        );
      }
      // A string id is echoed as sent.
      ws.sendText(JSON.stringify({ jsonrpc: "2.0", id: "req-1", method: "slotSubscribe" }));
      const { message } = await ws.reply("req-1");
      assert.equal(typeof message.result, "number");
      const ids = new Set([theirs, message.result]);
      assert.equal(ids.size, 2, "subscription ids are unique across connections");
    });

    it("runs the checks shared with solana-test-validator", async () => {
      await sharedChecks(url, node.wsUrl, node.wallet("bob"));
    });
  });

  describe("through web3.js", () => {
    it("onAccountChange at processed and finalized; removeAccountChangeListener stops it", async () => {
      const connection = node.connection("processed");
      const target = newKey();
      const events: Array<[string, number, number]> = [];
      const fast = connection.onAccountChange(
        target,
        (info: AccountInfo<Buffer>, ctx: Context) => events.push(["processed", ctx.slot, info.lamports]),
        { commitment: "processed" },
      );
      const slow = connection.onAccountChange(
        target,
        (info: AccountInfo<Buffer>, ctx: Context) => events.push(["finalized", ctx.slot, info.lamports]),
        { commitment: "finalized" },
      );
      await Promise.all([subscribed(connection, fast), subscribed(connection, slow)]);
      const tx = await transfer(target, 3_000_000);
      await send(url, tx);
      const [status] = await statuses(url, [tx.signature]);
      await until("both notifications", () => events.length === 2, FINALIZED_MS);
      assert.deepEqual(events, [
        ["processed", status?.slot, 3_000_000],
        ["finalized", status?.slot, 3_000_000],
      ]);
      await connection.removeAccountChangeListener(fast);
      await connection.removeAccountChangeListener(slow);
      await send(url, await transfer(target, 1_000));
      await passSlots(url, FINALITY + 2);
      assert.equal(events.length, 2, "nothing after removing the listeners");
    });

    it("onProgramAccountChange with filters; removeProgramAccountChangeListener stops it", async () => {
      const connection = node.connection("processed");
      const owner = newKeypair().publicKey;
      const ata = getAssociatedTokenAddressSync(mint, owner);
      const seen: KeyedAccountInfo[] = [];
      const id = connection.onProgramAccountChange(TOKEN_PROGRAM_ID, (keyed) => seen.push(keyed), {
        commitment: "confirmed",
        filters: [{ dataSize: 165 }, { memcmp: { offset: 32, bytes: owner.toBase58() } }],
      });
      await subscribed(connection, id);
      await send(
        url,
        sign(
          [
            createAssociatedTokenAccountIdempotentInstruction(alice.publicKey, ata, owner, mint),
            tokenTransferIx(mint, alice.publicKey, owner, 7n),
          ],
          alice,
          await blockhashes.get(),
        ),
      );
      await until("the program notification", () => seen.length === 1);
      assert.ok(seen[0]?.accountId.equals(ata));
      const token = unpackAccount(ata, seen[0]?.accountInfo as AccountInfo<Buffer>);
      assert.equal(token.amount, 7n);
      assert.ok(token.owner.equals(owner));
      await passSlots(url, 3);
      assert.equal(seen.length, 1);
      await connection.removeProgramAccountChangeListener(id);
      await send(url, sign([tokenTransferIx(mint, alice.publicKey, owner, 1n)], alice, await blockhashes.get()));
      await passSlots(url, 3);
      assert.equal(seen.length, 1, "nothing after removing the listener");
    });

    it("onSignature and onSignatureWithOptions (receivedSignature); listeners are removed after firing", async () => {
      const connection = node.connection("processed");
      const tx = await transfer(newKey());
      const results: Array<[string, unknown, number]> = [];
      const confirmedId = connection.onSignature(
        tx.signature,
        (result: SignatureResult, ctx: Context) => results.push(["confirmed", result, ctx.slot]),
        "confirmed",
      );
      // web3.js removes an onSignatureWithOptions listener after its first callback,
      // so the received notification ends that listener: a second one gets the status.
      const received = connection.onSignatureWithOptions(
        tx.signature,
        (notification, ctx) => results.push(["received", notification, ctx.slot]),
        { commitment: "processed", enableReceivedNotification: true },
      );
      const withOptions = connection.onSignatureWithOptions(
        tx.signature,
        (notification, ctx) => results.push(["options", notification, ctx.slot]),
        { commitment: "processed" },
      );
      const ids = [confirmedId, received, withOptions];
      await Promise.all(ids.map((id) => subscribed(connection, id)));
      await send(url, tx);
      const [status] = await statuses(url, [tx.signature]);
      await until("three notifications", () => results.length === 3).catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(results)}`);
      });
      assert.deepEqual(results, [
        ["received", { type: "received" }, status?.slot],
        ["options", { type: "status", result: { err: null } }, status?.slot],
        ["confirmed", { err: null }, status?.slot],
      ]);
      await passSlots(url, FINALITY + 1);
      assert.equal(results.length, 3);
      const internal = connection as unknown as { _subscriptionHashByClientSubscriptionId: Record<number, string> };
      for (const id of ids)
        assert.equal(internal._subscriptionHashByClientSubscriptionId[id], undefined, "listener gone");
    });

    it("onLogs for one address and for all; removeOnLogsListener stops it", async () => {
      const connection = node.connection("processed");
      const target = newKey();
      const mine: Array<[string, number]> = [];
      const every: string[] = [];
      const one = connection.onLogs(
        target,
        (logs: Logs, ctx: Context) => mine.push([logs.signature, ctx.slot]),
        "processed",
      );
      const all = connection.onLogs("all", (logs: Logs) => every.push(logs.signature), "confirmed");
      await Promise.all([subscribed(connection, one), subscribed(connection, all)]);
      const sent: string[] = [];
      for (let i = 0; i < 5; i++) sent.push(await send(url, await transfer(target)));
      const unrelated = await send(url, await transfer(newKey()));
      await until("all logs", () => every.includes(unrelated) && sent.every((s) => every.includes(s)));
      assert.deepEqual(
        mine.map(([s]) => s),
        sent,
      );
      assert.deepEqual(
        every.filter((s) => s === unrelated || sent.includes(s)),
        [...sent, unrelated],
      );
      await connection.removeOnLogsListener(one);
      await connection.removeOnLogsListener(all);
      const counts = [mine.length, every.length];
      await send(url, await transfer(target));
      await passSlots(url, 3);
      assert.deepEqual([mine.length, every.length], counts);
    });

    it("onSlotChange and onRootChange; removing them stops them", async function () {
      localnetOnly(this, FINALITY_ONLY);
      const connection = node.connection("processed");
      const slots: SlotInfo[] = [];
      const roots: number[] = [];
      const slotId = connection.onSlotChange((info) => slots.push(info));
      const rootId = connection.onRootChange((root) => roots.push(root));
      await until("slot and root notifications", () => slots.length >= 4 && roots.length >= 3);
      for (let i = 1; i < slots.length; i++) assert.equal(slots[i]?.slot, (slots[i - 1]?.slot as number) + 1);
      for (const info of slots)
        assert.deepEqual(info, { slot: info.slot, parent: info.slot - 1, root: info.slot - 1 - FINALITY });
      for (let i = 1; i < roots.length; i++) assert.equal(roots[i], (roots[i - 1] as number) + 1);
      await connection.removeSlotChangeListener(slotId);
      await connection.removeRootChangeListener(rootId);
      const counts = [slots.length, roots.length];
      await sleep(SLOT_MS * 4);
      assert.deepEqual([slots.length, roots.length], counts);
    });
  });

  describe("through @solana/kit", () => {
    it("accountNotifications, signatureNotifications and slotNotifications; aborting unsubscribes", async () => {
      const subscriptions = createSolanaRpcSubscriptions(node.wsUrl);
      const target = newKey();
      const tx = await transfer(target, 4_000_000);
      const abort = new AbortController();
      const accounts = collect(
        await subscriptions
          .accountNotifications(address(target.toBase58()), { commitment: "processed", encoding: "base64" })
          .subscribe({ abortSignal: abort.signal }),
      );
      const finalizedAccounts = collect(
        await subscriptions
          .accountNotifications(address(target.toBase58()), { commitment: "finalized", encoding: "base64" })
          .subscribe({ abortSignal: abort.signal }),
      );
      const signatures = collect(
        await subscriptions
          .signatureNotifications(kitSignature(tx.signature), {
            commitment: "confirmed",
            enableReceivedNotification: true,
          })
          .subscribe({ abortSignal: abort.signal }),
      );
      const slots = collect(await subscriptions.slotNotifications().subscribe({ abortSignal: abort.signal }));
      await send(url, tx);
      const [status] = await statuses(url, [tx.signature]);
      const slot = BigInt(status?.slot as number);
      await until(
        "kit notifications",
        () => accounts.length === 1 && finalizedAccounts.length === 1 && signatures.length === 2 && slots.length >= 3,
        FINALIZED_MS,
      );
      const [account] = accounts;
      assert.equal(account?.context.slot, slot);
      assert.equal(account?.value.lamports, 4_000_000n);
      assert.deepEqual(account?.value.data, ["", "base64"]);
      assert.equal(account?.value.owner, SYSTEM);
      assert.equal(account?.value.space, 0n);
      assert.equal(
        (account?.value as unknown as { rentEpoch: bigint } | undefined)?.rentEpoch,
        BigInt(RENT_EPOCH_TEXT),
        "kit reads u64::MAX exactly",
      );
      assert.equal(finalizedAccounts[0]?.context.slot, slot);
      assert.deepEqual(signatures, [
        { context: { slot }, value: "receivedSignature" },
        { context: { slot }, value: { err: null } },
      ]);
      for (let i = 1; i < slots.length; i++) assert.equal(slots[i]?.slot, (slots[i - 1]?.slot as bigint) + 1n);
      assert.equal(slots[0]?.parent, (slots[0]?.slot as bigint) - 1n);

      abort.abort();
      await sleep(20);
      const counts = [accounts.length, finalizedAccounts.length, slots.length];
      await send(url, await transfer(target, 1_000));
      await passSlots(url, FINALITY + 2);
      assert.deepEqual([accounts.length, finalizedAccounts.length, slots.length], counts, "nothing after abort");
      assert.equal(accounts.length, 1);
    });

    it("a kit subscription on the HTTP port (upgrade) works the same", async function () {
      localnetOnly(this, UPGRADE_ONLY);
      const subscriptions = createSolanaRpcSubscriptions(node.rpcUrl.replace(/^http/, "ws"));
      const abort = new AbortController();
      const slots = collect(await subscriptions.slotNotifications().subscribe({ abortSignal: abort.signal }));
      const roots = collect(await subscriptions.rootNotifications().subscribe({ abortSignal: abort.signal }));
      await until("slots and roots", () => slots.length >= 2 && roots.length >= 2);
      assert.equal(roots[1], (roots[0] as bigint) + 1n);
      abort.abort();
    });
  });
});
