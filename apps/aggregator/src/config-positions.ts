import { isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** A configuration file parsed with the positions of its nodes. */
export interface PositionedConfig {
  /** The plain value (as `JSON.parse` would give), `undefined` when the YAML itself is broken. */
  readonly value: unknown;
  /** Every YAML syntax error, each `line:column: message`. */
  readonly syntaxErrors: readonly string[];
  /**
   * `line:column` (1-based) of the node at a key path — the value when there is one, else the nearest
   * enclosing node that exists (where a missing key belongs).
   */
  locate(path: readonly PropertyKey[]): string | undefined;
}

/** Parses YAML (JSON is YAML too) keeping node positions for messages. */
export function parseWithPositions(text: string): PositionedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const syntaxErrors = document.errors.map(
    (error) => `${position(error.pos[0])}: ${error.message.split('\n')[0] ?? error.code}`,
  );
  return {
    value: syntaxErrors.length > 0 ? undefined : document.toJS(),
    syntaxErrors,
    locate(path) {
      let node: unknown = document.contents;
      let found: Node | undefined = isNode(node) ? node : undefined;
      for (const part of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === part);
          if (pair === undefined) break;
          node = pair.value;
          const here = isNode(pair.value) ? pair.value : isNode(pair.key) ? pair.key : undefined;
          if (here === undefined) break;
          found = here;
        } else if (isSeq(node) && typeof part === 'number') {
          node = node.items[part];
          if (!isNode(node)) break;
          found = node;
        } else break;
      }
      return found?.range ? position(found.range[0]) : undefined;
    },
  };
}
