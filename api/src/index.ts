export { buildApp } from "./app.js";
export { type ApiConfig, readConfig } from "./config.js";
export { type ApiDeps, createDeps } from "./deps.js";
export { type Platform, platformFromManifest } from "./platform.js";
