import type { AccountLink } from "@spar/protocol";
import { useId, useRef, useState } from "react";

const expiryFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * What became of a new invitation or reset link: e-mailed to the person, or shown here for the
 * admin to pass on (also when the e-mail could not be sent, with the reason).
 */
export function AccountLinkResult({ link, name, email }: { link: AccountLink; name: string; email: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const [manual, setManual] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const what = link.purpose === "invitation" ? "Invitation" : "Password reset link";
  const expires = expiryFormat.format(new Date(link.expiresAt));
  if (link.delivery === "email") {
    return (
      <p className="notice success" role="status">
        {what} e-mailed to {email}. It works once and expires {expires}.
      </p>
    );
  }
  const copy = async () => {
    if (!link.url) return;
    try {
      // Only secure pages (https or localhost) may write to the clipboard.
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      field.current?.select();
      setCopied(false);
      setManual(true);
    }
  };
  return (
    <div className="notice" role="status">
      {link.mailError && <p className="form-error">The e-mail could not be sent: {link.mailError}</p>}
      <label htmlFor={id}>
        {what} for {name}: send it to them yourself. It works once and expires {expires}.
      </label>
      <div className="copy-row">
        <input
          ref={field}
          id={id}
          className="link-field"
          readOnly
          value={link.url ?? ""}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {manual && <p className="field-hint">This browser would not copy it: the link is selected, press Ctrl+C (⌘C).</p>}
    </div>
  );
}
