/**
 * An SVG image as GitHub's image proxy and an <img> take it: well-formed namespaced XML whose
 * root is <svg>, with no script, event handler, foreign object, embedded image, link, style
 * sheet or url() reference — nothing that runs or fetches. Throws naming the first problem;
 * returns the parsed tree. (Framework-free: unit and end-to-end tests share it.)
 */
import { parseXml, type XmlElement } from "./xml";

export function elements(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  out.push(el);
  for (const c of el.children) elements(c, out);
  return out;
}

const FORBIDDEN = ["script", "foreignObject", "image", "a", "use", "style", "iframe"];

export function selfContainedSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  if (root.name !== "svg" || root.ns !== "http://www.w3.org/2000/svg") throw new Error(`root is <${root.name}> in "${root.ns}", not an SVG`);
  if (/<!DOCTYPE|<!ENTITY|@import/i.test(svg)) throw new Error("a doctype, entity or @import");
  for (const e of elements(root)) {
    if (FORBIDDEN.includes(e.name)) throw new Error(`a <${e.name}> element`);
    for (const [name, value] of Object.entries(e.attrs)) {
      if (/^on|href$/i.test(name)) throw new Error(`attribute ${name} on <${e.name}>`);
      if (/url\(|javascript:|https?:\/\//.test(value) && !(name === "xmlns" && e === root)) throw new Error(`a reference in ${name}="${value}"`);
    }
  }
  return root;
}
