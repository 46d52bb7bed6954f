"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { LogoIcon } from "./icons";
import styles from "./ui.module.css";

const NAV = [
  { href: "/", label: "Pipelines", match: (p: string) => p === "/" || p.startsWith("/pipelines") },
  { href: "/runs", label: "Runs", match: (p: string) => p.startsWith("/runs") },
];

export function TopBar() {
  const pathname = usePathname() ?? "/";
  return (
    <header className={styles.topbar}>
      <Link href="/" className={styles.brand}>
        <span className={styles.brandMark}>
          <LogoIcon size={16} />
        </span>
        Pipeline Studio
      </Link>
      <nav className={styles.nav} aria-label="Main">
        {NAV.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            className={`${styles.navLink} ${item.match(pathname) ? styles.navActive : ""}`}
            aria-current={item.match(pathname) ? "page" : undefined}
          >
            {item.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
