/**
 * An exit code with its explanation from the one exit-code module, shown on hover and on
 * keyboard focus (CSS only, so it works in server-rendered tables), and read by screen readers.
 */
import Link from "next/link";
import { explainExitCode } from "@/lib/exit-codes";

export function ExitCode({ code, at, link = true, href }: { code: number; at?: string; link?: boolean; href?: string }) {
  const text = explainExitCode(code, at);
  const id = `exit-${code}-${at ? at.slice(0, 10) : "now"}`;
  const label = link ? <Link href={href ?? `/errors/${code}`}>{code}</Link> : <span>{code}</span>;
  return (
    <span className="exit-code" tabIndex={link ? undefined : 0} aria-describedby={id} data-testid="exit-code">
      {label}
      <span role="tooltip" id={id} className="tip">
        {text}
      </span>
    </span>
  );
}
