/** The widgets' HTML template: every interpolation escaped, hostile strings included. */
import { describe, expect, it } from "vitest";
import { escapeHtml, html, htmlText, trusted } from "../../lib/embed/html";

const HOSTILE = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `' onmouseover='alert(1)`,
  `</style><script>alert(1)</script>`,
  `&lt;already escaped&gt; & raw &amp;`,
  `javascript:alert(1)`,
  `\u2028\u2029 unicode ✓ 💥 \u0000`,
  `]]><!--`,
];

/** Undoes escapeHtml (the five entities it writes), to check nothing is lost. */
function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

describe("html template", () => {
  it("escapes text and attribute interpolations so no tag or attribute can be injected", () => {
    for (const s of HOSTILE) {
      const out = htmlText(html`<p title="${s}" data-x='${s}'>${s}</p>`);
      expect(out).not.toMatch(/<(script|img|\/style)/i);
      expect(out.match(/"/g)).toHaveLength(2); // only the template's own quotes around title
      expect(out.match(/'/g)).toHaveLength(2); // and around data-x
      const text = out.slice(out.indexOf(">") + 1, out.lastIndexOf("</p>"));
      expect(unescapeHtml(text)).toBe(s);
    }
  });

  it("escapes each of & < > \" ' and nothing else", () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e&#39;f");
    expect(escapeHtml("plain 12 % · ✓")).toBe("plain 12 % · ✓");
  });

  it("nests templates without escaping twice, joins arrays and drops null, undefined and false", () => {
    const inner = html`<b>${"<i>"}</b>`;
    const out = htmlText(html`<p>${inner}${["a", html`<br>`, 3]}${null}${undefined}${false}${0}</p>`);
    expect(out).toBe("<p><b>&lt;i&gt;</b>a<br>30</p>");
  });

  it("passes trusted constants through unchanged, and a string that only looks like markup does not", () => {
    expect(htmlText(html`<style>${trusted("a>b{color:red}")}</style>`)).toBe("<style>a>b{color:red}</style>");
    const fake = { toString: () => "<script>" } as unknown as string;
    expect(htmlText(html`${fake}`)).toBe("&lt;script&gt;");
  });
});
