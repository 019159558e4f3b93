const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings forbid raw control characters (RFC 8259 §7)
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/**
 * Offset of the first JSON syntax error in `text` (RFC 8259 grammar), or `null` when it is valid JSON.
 * `JSON.parse` on Node 20 names no position for many errors; this finds one so a config error can say
 * `file:line:column`. Iterative (an explicit stack), so deep nesting cannot overflow.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const eat = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (re.exec(text) === null) return false;
    i = re.lastIndex;
    return true;
  };
  const ws = () => eat(WS);
  const stack: ('{' | '[')[] = [];

  for (;;) {
    // Expecting a value (or, right after an opening bracket, possibly its closing one).
    ws();
    const ch = text.charAt(i);
    if (ch === '{' || ch === '[') {
      i++;
      ws();
      if (text.charAt(i) === (ch === '{' ? '}' : ']')) {
        i++;
      } else {
        stack.push(ch);
        if (ch === '{') {
          if (!eat(STRING)) return i;
          ws();
          if (text.charAt(i) !== ':') return i;
          i++;
        }
        continue;
      }
    } else if (!eat(STRING) && !eat(LITERAL) && !eat(NUMBER)) {
      return i;
    }
    // After a value: a comma, a closing bracket, or the end.
    for (;;) {
      ws();
      const open = stack[stack.length - 1];
      if (open === undefined) return i === text.length ? null : i;
      const next = text.charAt(i);
      if (next === ',') {
        i++;
        if (open === '{') {
          ws();
          if (!eat(STRING)) return i;
          ws();
          if (text.charAt(i) !== ':') return i;
          i++;
        }
        break;
      }
      if (next !== (open === '{' ? '}' : ']')) return i;
      i++;
      stack.pop();
    }
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
