/**
 * A strict XML parse for tests (saxes: well-formedness, namespaces, forbidden characters) into a
 * small tree, so a test can check a document is XML before reading what it says.
 */
import { SaxesParser } from "saxes";

export interface XmlElement {
  /** Local name. */
  name: string;
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Throws with the parser's first error when the text is not well-formed namespaced XML. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let error: Error | null = null;
  parser.on("error", (e) => (error ??= e));
  parser.on("opentag", (tag) => {
    const el: XmlElement = { name: tag.local, ns: tag.uri, attrs: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value])), children: [], text: "" };
    stack[stack.length - 1]?.children.push(el);
    root ??= el;
    stack.push(el);
  });
  parser.on("text", (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on("closetag", () => stack.pop());
  parser.write(text).close();
  if (error) throw error;
  if (!root) throw new Error("no root element");
  return root;
}

/** Child elements named `name`. */
export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement {
  const c = children(el, name)[0];
  if (!c) throw new Error(`<${el.name}> has no <${name}>`);
  return c;
}
