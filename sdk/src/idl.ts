import type { Idl } from "@coral-xyz/anchor";
import ecePauseJson from "../../programs/idl/ece_pause.json" with { type: "json" };
import eceTokenJson from "../../programs/idl/ece_token.json" with { type: "json" };
import eceTreasuryJson from "../../programs/idl/ece_treasury.json" with { type: "json" };

/** Anchor IDLs (spec 0.1.0), committed in programs/idl and checked against the
 * programs by the tests. */
export const ecePauseIdl = ecePauseJson as Idl;
export const eceTokenIdl = eceTokenJson as Idl;
export const eceTreasuryIdl = eceTreasuryJson as Idl;
