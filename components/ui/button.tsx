import type { ButtonHTMLAttributes } from "react";
import styles from "./ui.module.css";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "default" | "primary" | "danger" | "ghost";
  size?: "md" | "sm";
  /** Square button holding only an icon; pass `title` (it doubles as the accessible name). */
  iconOnly?: boolean;
}

export function Button({ variant = "default", size = "md", iconOnly, className, type = "button", ...rest }: ButtonProps) {
  const classes = [
    styles.button,
    variant !== "default" && styles[variant],
    size === "sm" && styles.sm,
    iconOnly && styles.icon,
    className,
  ]
    .filter(Boolean)
    .join(" ");
  return <button type={type} className={classes} aria-label={iconOnly ? rest.title : undefined} {...rest} />;
}
