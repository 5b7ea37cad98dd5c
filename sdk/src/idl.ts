import type { Idl } from "@coral-xyz/anchor";
import ecePauseJson from "../../programs/idl/ece_pause.json" with { type: "json" };

/** Anchor IDLs (spec 0.1.0), committed in programs/idl and checked against the
 * programs by the tests. */
export const ecePauseIdl = ecePauseJson as Idl;
