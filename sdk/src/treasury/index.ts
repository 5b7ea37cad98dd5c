export * from "./instructions.js";
export * from "./pda.js";
export * from "./state.js";
export * from "./types.js";
