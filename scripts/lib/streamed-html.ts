/**
 * The final HTML of a streamed React server response, as the browser has it after React's
 * inline instructions ran: `$RS(segment, placeholder)` moves a late segment into its
 * `<template id="P:…">` hole, `$RC(boundary, segment)` replaces a Suspense fallback with its
 * content. A response streams more or less of its page in holes depending on what was ready
 * (a cache hit renders inline), so only the resolved HTML can be compared between responses.
 * Throws when the stream reports a server error in a boundary (`$RX`) or an instruction
 * points nowhere.
 */

/**
 * Removes the hidden element holding a late segment and returns its inner HTML. React picks
 * the element by context: `<div hidden id>`, `<table hidden><tbody id>` (rows), `<tr id>`,
 * `<svg … id>` …; the emptied `<table hidden>` wrapper is left behind (it has no text).
 */
function cutSegment(doc: string, id: string): { doc: string; content: string } {
  const open = new RegExp(`<([a-z]+)\\b[^>]*\\sid="${id}"[^>]*>`).exec(doc);
  if (!open) throw new Error(`streamed segment ${id} is missing`);
  const tag = open[1]!;
  const start = open.index;
  const inner = start + open[0].length;
  const tags = new RegExp(`<${tag}\\b|</${tag}>`, "g");
  tags.lastIndex = inner;
  let depth = 1;
  for (let m = tags.exec(doc); m; m = tags.exec(doc)) {
    depth += m[0] === `</${tag}>` ? -1 : 1;
    if (depth === 0) return { doc: doc.slice(0, start) + doc.slice(tags.lastIndex), content: doc.slice(inner, m.index) };
  }
  throw new Error(`streamed segment ${id} is not closed`);
}

/** The end (exclusive) of the Suspense boundary whose opening comment starts at `start`. */
function boundaryEnd(doc: string, start: number): number {
  const marks = /<!--\$[?!]?-->|<!--\/\$-->/g;
  marks.lastIndex = start;
  let depth = 0;
  for (let m = marks.exec(doc); m; m = marks.exec(doc)) {
    depth += m[0] === "<!--/$-->" ? -1 : 1;
    if (depth === 0) return marks.lastIndex;
  }
  throw new Error("a Suspense boundary is not closed");
}

export function resolveStreamedHtml(html: string): string {
  const ops = [...html.matchAll(/\$R([SCX])\("([^"]*)"(?:,"([^"]*)")?/g)];
  let doc = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
  for (const [, kind, a = "", b = ""] of ops) {
    if (kind === "X") throw new Error(`the server failed to render Suspense boundary ${a} (streamed error)`);
    const cut = cutSegment(doc, kind === "S" ? a : b);
    doc = cut.doc;
    if (kind === "S") {
      const hole = `<template id="${b}"></template>`;
      const at = doc.indexOf(hole);
      if (at < 0) throw new Error(`placeholder ${b} for streamed segment ${a} is missing`);
      doc = doc.slice(0, at) + cut.content + doc.slice(at + hole.length);
    } else {
      const at = doc.indexOf(`<!--$?--><template id="${a}"></template>`);
      if (at < 0) throw new Error(`Suspense boundary ${a} for streamed segment ${b} is missing`);
      doc = `${doc.slice(0, at)}<!--$-->${cut.content}<!--/$-->${doc.slice(boundaryEnd(doc, at))}`;
    }
  }
  return doc;
}
