// GET /events/stream: Server-Sent Events of mirrored chain events and API events.
// Chain events carry `id: <seq>` so a client that reconnects with Last-Event-ID gets
// what it missed, exactly once; API events (sale.completed, …) are live only.
import type { ServerResponse } from "node:http";
import { Type } from "typebox";
import { badRequest } from "../../core/errors.js";
import { errors } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { acquireHub, chainEventsAfter, type LiveEvent, releaseHub } from "./bus.js";

const HEARTBEAT_MS = 15_000;
/** A client this far behind is cut off; it resumes from its Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const SEQ = /^[0-9]{1,19}$/;

export default async function eventsRoutes(app: App) {
  const { deps } = app;
  const hub = await acquireHub(deps);
  const open = new Set<ServerResponse>();
  // Open streams would keep the server from closing.
  app.addHook("preClose", async () => {
    for (const res of open) res.end();
  });
  app.addHook("onClose", async () => releaseHub(deps));

  app.get(
    "/events/stream",
    {
      schema: {
        tags: ["events"],
        summary: "Live events (Server-Sent Events): mirrored chain events and API events",
        description:
          "text/event-stream. Each event: `event: <type>` (chain event name such as Paused or PayoutPaid, or an API " +
          "event such as sale.completed) and `data: <JSON>`; chain events also carry `id: <seq>`, and a client that " +
          "reconnects with the Last-Event-ID header (or ?lastEventId=) receives every chain event after it, once. " +
          "A `: heartbeat` comment every 15 s keeps proxies from closing the stream. Public: chain events are public.",
        produces: ["text/event-stream"],
        querystring: Type.Object(
          {
            types: Type.Optional(
              Type.String({
                pattern: "^[A-Za-z0-9_.:*-]+(,[A-Za-z0-9_.:*-]+)*$",
                maxLength: 1000,
                description: "comma-separated event types to receive (default: all)",
              }),
            ),
            lastEventId: Type.Optional(
              Type.String({ pattern: SEQ.source, description: "as the Last-Event-ID header" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.String({ description: "an endless text/event-stream" }),
          ...errors(400, 401, 429),
        },
      },
    },
    async (req, reply) => {
      const types = req.query.types ? new Set(req.query.types.split(",")) : null;
      const header = req.headers["last-event-id"];
      const resume = req.query.lastEventId ?? (typeof header === "string" && header !== "" ? header : undefined);
      if (resume !== undefined && !SEQ.test(resume))
        throw badRequest("BAD_LAST_EVENT_ID", "Last-Event-ID must be an id this stream sent");

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      open.add(res);
      res.write("retry: 3000\n\n");

      let lastSeq = resume !== undefined ? BigInt(resume) : hub.lastSeq;
      let buffer: LiveEvent[] | null = [];
      let closed = false;

      const send = (e: LiveEvent) => {
        if (closed) return;
        if (e.source === "chain") {
          const seq = BigInt(e.seq as string);
          if (seq <= lastSeq) return; // already sent (backlog and live overlap)
          lastSeq = seq;
        }
        if (types && !types.has(e.type) && !types.has("*")) return;
        const id = e.source === "chain" ? `id: ${e.seq}\n` : "";
        res.write(`${id}event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      };
      // Listen first, then read the backlog: nothing falls between the two.
      const off = hub.on((e) => (buffer ? buffer.push(e) : send(e)));
      const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
      const cleanup = () => {
        closed = true;
        off();
        clearInterval(heartbeat);
        open.delete(res);
      };
      res.on("close", cleanup);

      try {
        if (resume !== undefined) {
          for (;;) {
            const backlog = await chainEventsAfter(deps.pool, lastSeq, 500);
            for (const e of backlog) send(e);
            if (backlog.length < 500 || closed) break;
          }
        }
      } catch (err) {
        req.log.warn({ err }, "event stream backlog");
        res.destroy();
        return;
      }
      const pending: LiveEvent[] = buffer;
      buffer = null;
      for (const e of pending) send(e);
    },
  );
}
