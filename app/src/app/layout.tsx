import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { Providers } from "../components/providers";
import { serverConfig } from "../lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ECE", template: "%s · ECE" },
  description: "Collect company cards, trade them, vote in M&A battles; a multisig treasury pays companies weekly.",
};

export const viewport: Viewport = { themeColor: "#020617", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, so the deployment's addresses (not the build's) reach the browser.
  await connection();
  const config = JSON.stringify(serverConfig()).replace(/</g, "\\u003c");
  return (
    <html lang="en">
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: our own JSON, with "<" escaped */}
        <script dangerouslySetInnerHTML={{ __html: `window.__ECE_CONFIG__=${config}` }} />
      </head>
      <body className="font-sans text-slate-200 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
