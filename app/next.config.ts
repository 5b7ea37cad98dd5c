import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The SDK is a workspace package shipped as TypeScript source (with the IDLs from programs/idl).
  transpilePackages: ["@ece/sdk"],
  // Built with webpack, not Turbopack: the SDK's NodeNext imports name `./x.js` for `./x.ts`,
  // which webpack maps with extensionAlias and Turbopack (Next 16.4) cannot yet.
  webpack(cfg: { resolve: { extensionAlias?: Record<string, string[]> } }) {
    cfg.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"] };
    return cfg;
  },
};

export default config;
