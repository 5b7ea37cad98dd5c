// Where the app finds the API and the cluster; both are baked in at build time (NEXT_PUBLIC_*).
export const API_URL = (process.env.NEXT_PUBLIC_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
export const RPC_URL = process.env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8899";
