import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import { TopBar } from "@/components/ui/top-bar";
// React Flow's base styles first, so globals.css can tune them.
import "@xyflow/react/dist/style.css";
import "./globals.css";

export const metadata: Metadata = {
  title: "Pipeline Studio",
  description: "A visual studio for machine-learning pipelines",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body>
        <Providers>
          <TopBar />
          <main className="app-main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
