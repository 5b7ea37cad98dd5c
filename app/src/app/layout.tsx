import type { Metadata, Viewport } from "next";
import { Providers } from "../components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ECE", template: "%s · ECE" },
  description: "Collect company cards, trade them, vote in M&A battles; a multisig treasury pays companies weekly.",
};

export const viewport: Viewport = { themeColor: "#020617", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="font-sans text-slate-200 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
