// The compliance engine, shared by the API's compliance domain and the payout jobs.
export * from "./engine.js";
export * from "./rule-sets.js";
