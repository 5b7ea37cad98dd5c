import { idlMap } from "./common/errors.js";
import { ecePauseIdl, eceTokenIdl, eceTreasuryIdl } from "./idl.js";
import { PROGRAM_IDS } from "./ids.js";

export * as cards from "./cards.js";
export * from "./cluster.js";
export * from "./common/errors.js";
export * from "./common/events.js";
export * from "./confirm.js";
export * from "./idl.js";
export * from "./ids.js";
export * as marketplace from "./marketplace.js";
export * as pause from "./pause/index.js";
export * from "./rpc/backoff.js";
export * from "./rpc/breaker.js";
export * as token from "./token/index.js";
export * as treasury from "./treasury/index.js";

/** IDLs of every ECE program by program ID, for error and event decoding. */
export const ECE_IDLS = idlMap([
  [PROGRAM_IDS.localnet.ecePause, ecePauseIdl],
  [PROGRAM_IDS.localnet.eceToken, eceTokenIdl],
  [PROGRAM_IDS.localnet.eceTreasury, eceTreasuryIdl],
]);
export * from "./common/instructions.js";
export * from "./common/json.js";
export * from "./spl-token.js";
export * from "./token-balances.js";
