"use client";
/** A read-only snippet with a copy button that says whether copying worked. */
import { useId, useState } from "react";

export function CopyBox({ label, text, rows = 3, testId }: { label: string; text: string; rows?: number; testId: string }) {
  const id = useId();
  const [status, setStatus] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Copied");
    } catch {
      setStatus("Copy failed: select the text and copy it by hand");
    }
    setTimeout(() => setStatus(""), 2500);
  }
  return (
    <div className="copy-box">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} readOnly rows={rows} value={text} data-testid={testId} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
      <div className="copy-row">
        <button type="button" onClick={copy}>
          Copy<span className="sr-only"> {label}</span>
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </div>
  );
}
