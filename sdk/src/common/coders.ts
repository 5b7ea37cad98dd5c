import { BorshCoder, type Idl } from "@coral-xyz/anchor";

const coders = new WeakMap<Idl, BorshCoder>();

/** One Borsh coder per IDL: building one parses every type of the IDL. */
export function coderFor(idl: Idl): BorshCoder {
  let coder = coders.get(idl);
  if (!coder) {
    coder = new BorshCoder(idl);
    coders.set(idl, coder);
  }
  return coder;
}
