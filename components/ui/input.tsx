import { forwardRef, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import styles from "./ui.module.css";

type Invalid = { invalid?: boolean };

function cls(base: string, invalid: boolean | undefined, extra: string | undefined) {
  return [base, invalid && styles.invalid, extra].filter(Boolean).join(" ");
}

export const TextInput = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & Invalid>(
  function TextInput({ invalid, className, ...rest }, ref) {
    return <input ref={ref} className={cls(styles.input, invalid, className)} aria-invalid={invalid || undefined} {...rest} />;
  },
);

export function Select({ invalid, className, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & Invalid) {
  return <select className={cls(styles.select, invalid, className)} aria-invalid={invalid || undefined} {...rest} />;
}

export function TextArea({ invalid, className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & Invalid) {
  return <textarea className={cls(styles.textarea, invalid, className)} aria-invalid={invalid || undefined} {...rest} />;
}

export function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className={styles.kbd}>{children}</kbd>;
}
