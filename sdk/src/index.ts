import { idlMap } from "./common/errors.js";
import { ecePauseIdl } from "./idl.js";
import { PROGRAM_IDS } from "./ids.js";

export * from "./common/errors.js";
export * from "./common/events.js";
export * from "./idl.js";
export * from "./ids.js";
export * as pause from "./pause/index.js";

/** IDLs of every ECE program by program ID, for error and event decoding. */
export const ECE_IDLS = idlMap([[PROGRAM_IDS.localnet.ecePause, ecePauseIdl]]);
