// Where the app finds the API and the cluster. The server reads them at request time
// (ECE_API_URL / ECE_RPC_URL, else the build's NEXT_PUBLIC_*, else the localnet defaults)
// and the root layout hands them to the browser, so one build serves any deployment.
export interface AppConfig {
  apiUrl: string;
  rpcUrl: string;
}

declare global {
  interface Window {
    __ECE_CONFIG__?: AppConfig;
  }
}

export function serverConfig(): AppConfig {
  return {
    apiUrl: (process.env.ECE_API_URL ?? process.env.NEXT_PUBLIC_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, ""),
    rpcUrl: process.env.ECE_RPC_URL ?? process.env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8899",
  };
}

const current = (): AppConfig =>
  typeof window !== "undefined" && window.__ECE_CONFIG__ ? window.__ECE_CONFIG__ : serverConfig();

export const apiUrl = (): string => current().apiUrl;
export const rpcUrl = (): string => current().rpcUrl;
