import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** One element of the parsed SVG: its name, attributes and children, in document order. */
export interface Node {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Node[];
  readonly text: string;
}

type Ordered = Record<string, unknown>;

function toNode(entry: Ordered): Node | undefined {
  const name = Object.keys(entry).find((key) => key !== ':@');
  if (name === undefined || name === '#text') return undefined;
  const raw = (entry[':@'] ?? {}) as Record<string, unknown>;
  const attributes = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k.replace(/^@_/, ''), String(v)]),
  );
  const content = (entry[name] ?? []) as Ordered[];
  const children = content.map(toNode).filter((n): n is Node => n !== undefined);
  const text = content.map((c) => (c['#text'] === undefined ? '' : String(c['#text']))).join('');
  return { name, attributes, children, text };
}

/** Parses `svg` as XML (failing the test when it is not well-formed) and returns its root element. */
export function parseSvg(svg: string): Node {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
  });
  const [root] = (parser.parse(svg) as Ordered[]).map(toNode).filter((n): n is Node => n !== undefined);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element of the tree, depth first in document order. */
export function allNodes(node: Node): Node[] {
  return [node, ...node.children.flatMap(allNodes)];
}

/** All the text of the tree, concatenated. */
export function allText(node: Node): string {
  return node.text + node.children.map(allText).join('');
}
