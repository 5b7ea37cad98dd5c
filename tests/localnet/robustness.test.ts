// Malformed input over HTTP and WebSocket: every bad request gets the JSON-RPC
// error Agave gives (code and, where clients match on it, message), and after
// each one the node still answers and still lands transactions.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Keypair, PublicKey } from "@solana/web3.js";
import WebSocket from "ws";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";
import {
  Blockhashes,
  base58,
  base64,
  call,
  newKey,
  postRaw,
  type RpcResponse,
  rpc,
  send,
  sendRaw,
  signatureOf,
  signedTransfer,
  sleep,
  statuses,
  WsClient,
} from "../src/localnet-client.js";

const TX_TYPE = "solana_transaction::versioned::VersionedTransaction";
const MAX_BODY = 50 * 1024;

describe("localnet robustness: malformed input", function () {
  this.timeout(30_000);
  let node: LocalnetProcess;
  let url: string;
  let alice: Keypair;
  let sink: PublicKey;
  let blockhashes: Blockhashes;
  let amount = 1_000_000;

  /** A fresh, valid, signed transfer. */
  const transfer = async () => signedTransfer(alice, sink, amount++, await blockhashes.get());

  /** The node answers, and a transaction still lands. */
  async function assertServes(): Promise<void> {
    assert.equal(await rpc(url, "getHealth"), "ok");
    const tx = await transfer();
    await send(url, tx);
    const [status] = await statuses(url, [tx.signature]);
    assert.equal(status?.err, null, "a transfer after the bad input landed without error");
  }

  /** `signature` never landed: no status, even searching the history. */
  async function assertNeverLanded(signature: string, message?: string): Promise<void> {
    const [status] = await statuses(url, [signature]);
    assert.equal(status, null, message);
  }

  function expectError(response: RpcResponse | undefined, code: number, message?: string | RegExp): void {
    assert.ok(response, "a response");
    assert.equal(response.result, undefined, `no result: ${JSON.stringify(response)}`);
    assert.equal(response.error?.code, code, JSON.stringify(response));
    if (typeof message === "string") assert.equal(response.error?.message, message);
    else if (message) assert.match(response.error?.message ?? "", message);
  }

  before(async () => {
    node = await spawnLocalnet({ slotMs: 50, finality: 2 });
    url = node.rpcUrl;
    alice = node.wallet("alice");
    sink = newKey();
    blockhashes = new Blockhashes(url);
  });
  after(async () => {
    assert.equal(await node.stop(), 0, "clean exit on SIGTERM");
  });
  afterEach(async function () {
    if (this.currentTest?.state === "passed") await assertServes();
  });

  describe("over HTTP", () => {
    it("answers invalid JSON with -32700 Parse error and id null", async () => {
      for (const body of [
        "{",
        '{"jsonrpc":"2.0","id":1,"method":"getSlot"',
        "not json",
        "",
        "[1,",
        Buffer.from([0xff, 0xfe, 0x00]),
      ]) {
        const reply = await postRaw(url, body);
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.json, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
      }
    });

    it("answers an empty batch and requests that are not request objects with -32600", async () => {
      const invalid = { jsonrpc: "2.0", error: { code: -32600, message: "Invalid request" }, id: null };
      assert.deepEqual((await postRaw(url, "[]")).json, invalid, "an empty batch is one error, not an empty array");
      for (const body of ["5", '"getSlot"', "null", "true"]) {
        assert.deepEqual((await postRaw(url, body)).json, invalid, body);
      }
      assert.deepEqual((await postRaw(url, '[1,"a",null]')).json, [invalid, invalid, invalid]);
      // Well-formed JSON, not a valid request: the id is echoed when it is a valid id.
      const cases: Array<[unknown, unknown]> = [
        [{ jsonrpc: "1.0", id: 7, method: "getSlot" }, 7],
        [{ id: 8, method: "getSlot" }, 8],
        [{ jsonrpc: "2.0", id: "x", method: 5 }, "x"],
        [{ jsonrpc: "2.0", id: 9 }, 9],
        [{ jsonrpc: "2.0", id: { nested: 1 }, method: "getSlot" }, null],
      ];
      for (const [request, id] of cases) {
        const reply = await postRaw(url, JSON.stringify(request));
        assert.deepEqual(reply.json, { ...invalid, id }, JSON.stringify(request));
      }
    });

    it("answers wrong parameter types with -32602 and serde's wording", async () => {
      const key = sink.toBase58();
      expectError(
        await call(url, "getBalance", [123]),
        -32602,
        "Invalid params: invalid type: integer `123`, expected a string.",
      );
      expectError(
        await call(url, "getBalance", [true]),
        -32602,
        "Invalid params: invalid type: boolean, expected a string.",
      );
      expectError(await call(url, "getBalance", ["0OIl"]), -32602, "Invalid param: Invalid");
      expectError(await call(url, "getBalance", ["abc"]), -32602, "Invalid param: WrongSize");
      expectError(await call(url, "getBalance", []), -32602, /^Invalid params: invalid length 0/);
      expectError(await call(url, "getBalance", [key, "finalized"]), -32602, /^Invalid params: invalid type: string/);
      expectError(await call(url, "getBalance", [key, { commitment: "bogus" }]), -32602, /unknown variant `bogus`/);
      expectError(
        await call(url, "getBalance", [key, { minContextSlot: -1 }]),
        -32602,
        /^Invalid params: invalid type/,
      );
      expectError(await call(url, "getSignatureStatuses", ["not-a-list"]), -32602);
      expectError(await call(url, "getSignatureStatuses", [["short"]]), -32602, /^Invalid param/);
      expectError(await call(url, "getBlock", ["abc"]), -32602);
      expectError(
        await call(url, "getSignaturesForAddress", [key, { limit: 1001 }]),
        -32602,
        "Invalid limit; max 1000",
      );
      expectError(await call(url, "getAccountInfo", [key, { encoding: "hex" }]), -32602, /unknown variant `hex`/);
      expectError(await call(url, "requestAirdrop", [key, "lots"]), -32602);
    });

    it("answers object (named) params with -32602", async () => {
      for (const [method, params] of [
        ["getBalance", { pubkey: sink.toBase58() }],
        ["getSlot", {}],
        ["getLatestBlockhash", { commitment: "finalized" }],
      ] as const) {
        expectError(await call(url, method, params), -32602, /^Invalid params/);
      }
    });

    it("answers unknown methods with -32601 and the request id, including Object.prototype names", async () => {
      for (const method of ["getNothing", "", "constructor", "__proto__", "toString", "hasOwnProperty", "getslot"]) {
        const reply = await postRaw(url, JSON.stringify({ jsonrpc: "2.0", id: "m", method }));
        assert.deepEqual(
          reply.json,
          { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: "m" },
          method,
        );
      }
    });

    it("refuses a body over 50 KiB with HTTP 413 and a JSON-RPC error body; 50 KiB exactly is served", async () => {
      const request = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" });
      const atLimit = request + " ".repeat(MAX_BODY - request.length);
      assert.equal(Buffer.byteLength(atLimit), MAX_BODY);
      const ok = await postRaw(url, atLimit);
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json, { jsonrpc: "2.0", result: "ok", id: 1 });

      for (const size of [MAX_BODY + 1, 1024 * 1024, 4 * 1024 * 1024]) {
        const reply = await postRaw(url, request + " ".repeat(size - request.length));
        assert.equal(reply.status, 413, `${size} bytes`);
        const body = reply.json as RpcResponse;
        assert.equal(body.jsonrpc, "2.0");
        assert.equal(body.id, null);
        assert.equal(typeof body.error?.code, "number");
        assert.match(body.error?.message ?? "", /too large/i);
      }
      // A batch that large is refused the same way, not partly executed.
      const batch = JSON.stringify(
        Array.from({ length: 2000 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "getSlot" })),
      );
      assert.ok(batch.length > MAX_BODY);
      assert.equal((await postRaw(url, batch)).status, 413);
    });

    it("answers a batch mixing good and bad requests in order, one response per request with an id", async () => {
      const reply = await postRaw(
        url,
        JSON.stringify([
          { jsonrpc: "2.0", id: 1, method: "getHealth" },
          { jsonrpc: "2.0", id: 2, method: "noSuchMethod" },
          { jsonrpc: "2.0", id: 3 },
          { jsonrpc: "2.0", id: 4, method: "getBalance", params: [42] },
          { jsonrpc: "2.0", method: "getSlot" },
          5,
          { jsonrpc: "2.0", id: "six", method: "getBalance", params: [sink.toBase58(), { commitment: "processed" }] },
        ]),
      );
      assert.equal(reply.status, 200);
      const responses = reply.json as RpcResponse[];
      assert.ok(Array.isArray(responses));
      assert.deepEqual(
        responses.map((r) => r.id),
        [1, 2, 3, 4, null, "six"],
        "the notification (no id) gets no response",
      );
      assert.deepEqual(responses[0], { jsonrpc: "2.0", result: "ok", id: 1 });
      expectError(responses[1], -32601, "Method not found");
      expectError(responses[2], -32600, "Invalid request");
      expectError(responses[3], -32602);
      expectError(responses[4], -32600, "Invalid request");
      assert.equal(typeof (responses[5]?.result as { value: number } | undefined)?.value, "number");

      const onlyNotifications = await postRaw(url, JSON.stringify([{ jsonrpc: "2.0", method: "getSlot" }]));
      assert.equal(onlyNotifications.status, 200);
      assert.equal(onlyNotifications.text, "", "a batch of notifications gets no body");
    });

    it("answers other HTTP methods as Agave does: GET /health, OPTIONS (CORS), 405 otherwise", async () => {
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), "ok");
      const options = await fetch(url, { method: "OPTIONS" });
      assert.equal(options.status, 204);
      assert.equal(options.headers.get("access-control-allow-origin"), "*");
      for (const method of ["GET", "PUT", "DELETE"]) {
        const res = await fetch(url, { method });
        assert.equal(res.status, 405, method);
        assert.equal(((await res.json()) as RpcResponse).error?.code, -32600);
      }
    });
  });

  describe("garbage transactions", () => {
    /** 300 bytes that are not a transaction, the same on every run. */
    const garbage = (seed: string, length = 300) => {
      const out = Buffer.alloc(length);
      let block = createHash("sha256").update(seed).digest();
      for (let i = 0; i < length; i += 32) {
        block.copy(out, i);
        block = createHash("sha256").update(block).digest();
      }
      return out;
    };

    it("rejects bytes that are not a transaction: random, truncated, empty (-32602, failed to deserialize)", async () => {
      // 0x80 first: a signature count that needs a second byte, then a count no packet can hold.
      const random = garbage("ece-robustness");
      random[0] = 0x85;
      expectError(await sendRaw(url, base64(random)), -32602, new RegExp(`^failed to deserialize ${TX_TYPE}: `));

      const tx = await transfer();
      for (const cut of [1, 10, 40, tx.wire.length - 1]) {
        expectError(
          await sendRaw(url, base64(tx.wire.subarray(0, tx.wire.length - cut))),
          -32602,
          `failed to deserialize ${TX_TYPE}: io error: failed to fill whole buffer`,
        );
      }
      expectError(
        await sendRaw(url, ""),
        -32602,
        `failed to deserialize ${TX_TYPE}: io error: failed to fill whole buffer`,
      );
      // The same through simulateTransaction.
      expectError(
        await call(url, "simulateTransaction", [base64(tx.wire.subarray(0, 50)), { encoding: "base64" }]),
        -32602,
        `failed to deserialize ${TX_TYPE}: io error: failed to fill whole buffer`,
      );
      await assertNeverLanded(tx.signature, "the truncated transaction never landed");
    });

    it("rejects a signature count that does not match the message header as a sanitize failure (-32602)", async () => {
      const tx = await transfer();
      const message = tx.wire.subarray(65);
      const extra = Buffer.concat([Buffer.from([2]), tx.wire.subarray(1, 65), Buffer.alloc(64, 7), message]);
      const missing = Buffer.concat([Buffer.from([0]), message]);
      for (const wire of [extra, missing]) {
        expectError(
          await sendRaw(url, base64(wire)),
          -32602,
          "invalid transaction: Transaction failed to sanitize accounts offsets correctly",
        );
      }
      await assertNeverLanded(tx.signature);
    });

    it("rejects transactions over 1232 bytes, decoded or encoded, with Agave's size messages", async () => {
      const tx = await transfer();
      const padded = (size: number) => Buffer.concat([tx.wire, Buffer.alloc(size - tx.wire.length)]);
      expectError(
        await sendRaw(url, base64(padded(1233))),
        -32602,
        `decoded ${TX_TYPE} too large: 1233 bytes (max: 1232 bytes)`,
      );
      const big = base64(padded(1300));
      expectError(
        await sendRaw(url, big),
        -32602,
        `base64 encoded ${TX_TYPE} too large: ${big.length} bytes (max: encoded/raw 1644/1232)`,
      );
      const big58 = base58(padded(1300));
      expectError(
        await call(url, "sendTransaction", [big58]),
        -32602,
        `base58 encoded ${TX_TYPE} too large: ${big58.length} bytes (max: encoded/raw 1683/1232)`,
      );
    });

    it("rejects invalid base58 and base64 with the decoder's error, as Agave prints it", async () => {
      const tx = await transfer();
      const text58 = base58(tx.wire);
      expectError(
        await call(url, "sendTransaction", [`${text58.slice(0, 10)}0${text58.slice(11)}`]),
        -32602,
        "invalid base58 encoding: InvalidCharacter { character: '0', index: 10 }",
      );
      expectError(
        await call(url, "sendTransaction", ["l"]),
        -32602,
        "invalid base58 encoding: InvalidCharacter { character: 'l', index: 0 }",
      );
      const text64 = tx.base64;
      const cases: Array<[string, string]> = [
        [`!${text64.slice(1)}`, "InvalidByte(0, 33)"],
        [`${text64.slice(0, 20)}*${text64.slice(21)}`, "InvalidByte(20, 42)"],
        [text64.replace(/=+$/, ""), "InvalidPadding"],
        ["QUJD=", "InvalidByte(4, 61)"],
        ["QUJDRQ===", "InvalidByte(6, 61)"],
        ["QUJDRQ=", "InvalidPadding"],
        ["QUJDR", "InvalidLength(5)"],
        ["QR==", "InvalidLastSymbol(1, 82)"],
      ];
      assert.ok(text64.endsWith("="), "the sample transfer's base64 is padded");
      for (const [text, debug] of cases) {
        expectError(await sendRaw(url, text), -32602, `invalid base64 encoding: ${debug}`);
      }
      expectError(await sendRaw(url, text64, { encoding: "hex" }), -32602, /unknown variant `hex`/);
      expectError(
        await call(url, "sendTransaction", [123]),
        -32602,
        "Invalid params: invalid type: integer `123`, expected a string.",
      );
      await assertNeverLanded(tx.signature);
    });

    it("rejects a bad signature with -32003 and never lands it", async () => {
      const tx = await transfer();
      const forged = Buffer.from(tx.wire);
      forged[5] = (forged[5] as number) ^ 0x01;
      expectError(await sendRaw(url, base64(forged)), -32003, "Transaction signature verification failure");
      // Signed by the wrong key: a valid signature, of someone else.
      const bob = node.wallet("bob");
      const wrongKey = Buffer.from(tx.wire);
      const bobSigned = signedTransfer(bob, sink, 1, await blockhashes.get());
      Buffer.from(bobSigned.wire.subarray(1, 65)).copy(wrongKey, 1);
      expectError(await sendRaw(url, base64(wrongKey)), -32003, "Transaction signature verification failure");
      // simulateTransaction verifies only when asked to.
      expectError(
        await call(url, "simulateTransaction", [base64(forged), { encoding: "base64", sigVerify: true }]),
        -32003,
        "Transaction signature verification failure",
      );
      const simulated = await call<{ value: { err: unknown } }>(url, "simulateTransaction", [
        base64(forged),
        { encoding: "base64" },
      ]);
      assert.equal(simulated.result?.value.err, null, "without sigVerify the forged transfer simulates");
      const forgedSignature = signatureOf(forged);
      // Without preflight Agave does not check signatures in the RPC: the signature
      // is returned and the leader drops the transaction.
      const skipped = await sendRaw(url, base64(forged), { skipPreflight: true });
      assert.equal(skipped.result, forgedSignature);
      await sleep(300);
      assert.deepEqual(await statuses(url, [tx.signature, forgedSignature]), [null, null]);
      // The genuine one still goes through afterwards.
      await send(url, tx);
    });
  });

  describe("over WebSocket", () => {
    let ws: WsClient;
    beforeEach(async () => {
      ws = await WsClient.connect(node.wsUrl);
    });
    afterEach(async () => {
      await ws.close();
    });

    it("answers malformed messages with the JSON-RPC error and keeps the connection", async () => {
      const parseError = { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null };
      const invalid = { jsonrpc: "2.0", error: { code: -32600, message: "Invalid request" }, id: null };
      const expectNext = async (send: () => void, expected: unknown) => {
        const from = ws.messages.length;
        send();
        await ws.until(() => ws.messages.length > from, "a reply");
        assert.deepEqual(ws.messages[from], expected);
      };
      await expectNext(() => ws.sendText("{"), parseError);
      await expectNext(() => ws.sendText("not json"), parseError);
      await expectNext(() => ws.socket.send(Buffer.from([1, 2, 3]), { binary: true }), parseError);
      await expectNext(() => ws.sendText("[]"), invalid);
      await expectNext(() => ws.sendText("5"), invalid);
      await expectNext(() => ws.sendText("null"), invalid);
      await expectNext(() => ws.sendText(JSON.stringify({ jsonrpc: "1.0", id: 3, method: "slotSubscribe" })), {
        ...invalid,
        id: 3,
      });

      expectError(await ws.request("noSuchMethod"), -32601, "Method not found");
      expectError(await ws.request("getBalance", [sink.toBase58()]), -32601, "Method not found");
      expectError(await ws.request("fooUnsubscribe", [0]), -32601, "Method not found");
      expectError(await ws.request("toStringUnsubscribe", [0]), -32601, "Method not found");
      expectError(await ws.request("accountSubscribe", { pubkey: sink.toBase58() }), -32602, /^Invalid params/);
      expectError(
        await ws.request("accountSubscribe", [123]),
        -32602,
        "Invalid params: invalid type: integer `123`, expected a string.",
      );
      expectError(await ws.request("accountSubscribe", ["0OIl"]), -32602, "Invalid Request: Invalid pubkey provided");
      expectError(
        await ws.request("signatureSubscribe", ["abc"]),
        -32602,
        "Invalid Request: Invalid signature provided",
      );
      expectError(
        await ws.request("logsSubscribe", [{ mentions: ["nope"] }]),
        -32602,
        "Invalid Request: Invalid mentions provided",
      );
      expectError(await ws.request("accountSubscribe", []), -32602);
      expectError(
        await ws.request("accountSubscribe", [sink.toBase58(), { commitment: "bogus" }]),
        -32602,
        /unknown variant `bogus`/,
      );
      expectError(await ws.request("programSubscribe", [sink.toBase58(), { filters: [{ nonsense: 1 }] }]), -32602);
      expectError(await ws.request("slotUnsubscribe", ["1"]), -32602);

      // Still serving on the same connection.
      const sub = await ws.subscribe("slotSubscribe");
      await ws.waitForNotifications(sub, 1);
      assert.deepEqual(await ws.request("slotUnsubscribe", [sub]), { jsonrpc: "2.0", result: true, id: ws.lastId });
    });

    it("answers a batch mixing good and bad requests in order", async () => {
      const from = ws.messages.length;
      ws.sendText(
        JSON.stringify([
          { jsonrpc: "2.0", id: 1, method: "slotSubscribe" },
          { jsonrpc: "2.0", id: 2, method: "nope" },
          { jsonrpc: "2.0", id: 3, method: "accountSubscribe", params: ["bad"] },
          7,
        ]),
      );
      await ws.until(() => ws.messages.slice(from).some(Array.isArray), "the batch reply");
      const replies = ws.messages.slice(from).find(Array.isArray) as RpcResponse[];
      assert.deepEqual(
        replies.map((r) => r.id),
        [1, 2, 3, null],
      );
      assert.equal(typeof replies[0]?.result, "number");
      expectError(replies[1], -32601);
      expectError(replies[2], -32602);
      expectError(replies[3], -32600);
      await ws.waitForNotifications(replies[0]?.result as number, 2);
    });

    it("closes only the connection that sends a frame over the 1 MiB limit", async () => {
      const other = await WsClient.connect(node.wsUrl);
      const sub = await other.subscribe("slotSubscribe");
      const closed = new Promise<number>((resolve) => ws.socket.once("close", (code) => resolve(code)));
      ws.sendText(`"${"x".repeat(1024 * 1024 + 10)}"`);
      assert.equal(await closed, 1009, "message too big");
      const before = other.notifications(sub).length;
      await other.waitForNotifications(sub, before + 2);
      await other.close();
    });

    it("survives clients that drop their connection mid-subscription; the others keep their notifications", async () => {
      const target = newKey();
      const keeper = await WsClient.connect(node.wsUrl);
      const keeperSub = await keeper.subscribe("accountSubscribe", [
        target.toBase58(),
        { commitment: "processed", encoding: "base64" },
      ]);
      const keeperLogs = await keeper.subscribe("logsSubscribe", [
        { mentions: [target.toBase58()] },
        { commitment: "processed" },
      ]);
      // Clients that subscribe to the same things, then vanish in different ways.
      const droppers: WsClient[] = [];
      for (let i = 0; i < 30; i++) {
        const c = await WsClient.connect(i % 2 ? node.wsUrl : node.rpcUrl.replace(/^http/, "ws"));
        await c.subscribe("accountSubscribe", [target.toBase58(), { commitment: i % 3 ? "processed" : "confirmed" }]);
        await c.subscribe("logsSubscribe", ["all"]);
        await c.subscribe("slotSubscribe");
        droppers.push(c);
      }
      const sent: string[] = [];
      for (const [i, c] of droppers.entries()) {
        if (i % 3 === 0) c.socket.terminate();
        else if (i % 3 === 1) (c.socket as unknown as { _socket: { destroy(): void } })._socket.destroy();
        else c.socket.close();
        if (i % 5 === 0) {
          const tx = signedTransfer(alice, target, 1_000_000 + i, await blockhashes.get());
          sent.push(await send(url, tx));
        }
      }
      const logs = await keeper.waitForNotifications<{ value: { signature: string } }>(keeperLogs, sent.length);
      assert.deepEqual(
        logs.map((n) => n.params.result.value.signature),
        sent,
      );
      const accounts = await keeper.waitForNotifications<{ value: { lamports: number } }>(keeperSub, sent.length);
      assert.equal(accounts.length, sent.length);
      await keeper.close();
      // A raw socket that disappears while the server is writing to it.
      const raw = new WebSocket(node.wsUrl);
      await new Promise((resolve) => raw.once("open", resolve));
      raw.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "logsSubscribe", params: ["all"] }));
      raw.once("message", () => raw.terminate());
      await send(url, await transfer());
    });
  });

  it("answers 200 concurrent HTTP requests, each with its own id, and lands the transfers among them", async () => {
    const blockhash = await blockhashes.get();
    const transfers = Array.from({ length: 50 }, (_, i) => signedTransfer(alice, sink, 2_000_000 + i, blockhash));
    const methods: Array<(i: number) => unknown> = [
      (i) => ({ jsonrpc: "2.0", id: i, method: "getSlot", params: [{ commitment: "processed" }] }),
      (i) => ({ jsonrpc: "2.0", id: i, method: "getBalance", params: [alice.publicKey.toBase58()] }),
      (i) => ({ jsonrpc: "2.0", id: i, method: "getHealth" }),
      (i) => ({
        jsonrpc: "2.0",
        id: i,
        method: "sendTransaction",
        params: [transfers[i / 4 - 0.75]?.base64, { encoding: "base64" }],
      }),
    ];
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postRaw(url, JSON.stringify((methods[i % 4] as (i: number) => unknown)(i))),
      ),
    );
    replies.forEach((reply, i) => {
      assert.equal(reply.status, 200, `request ${i}`);
      const response = reply.json as RpcResponse;
      assert.equal(response.id, i);
      assert.equal(response.error, undefined, `request ${i}: ${reply.text}`);
    });
    const landed = await statuses(
      url,
      transfers.map((t) => t.signature),
    );
    assert.ok(
      landed.every((s) => s !== null && s.err === null),
      "all 50 transfers landed",
    );
  });
});
