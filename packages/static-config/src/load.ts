import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { jsonErrorOffset, lineAndColumn } from './json-error-position.js';
import { configFileError, validateStaticConfig } from './schema.js';
import type { StaticConfig } from './types.js';

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text) ?? text.length);
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw configFileError(`Invalid JSON in static config ${path}:${line}:${column}: ${detail}`, path, cause);
  }
}

function parseYaml(text: string, path: string): unknown {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? '' : `:${pos.line}:${pos.col}`;
    // The pretty message carries a code frame after the first line; the position is already in `where`.
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw configFileError(`Invalid YAML in static config ${path}${where}: ${message}`, path, first);
  }
  return doc.toJS();
}

/**
 * Reads a static configuration from a JSON (`.json`) or YAML (`.yaml`, `.yml`) file, chosen by the
 * extension, and validates it with {@link validateStaticConfig}.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG`: the file cannot be read; the extension is unknown; a syntax
 *   error (`Invalid YAML in static config /etc/d.yaml:3:7: …`, with line and column); a schema error
 *   naming the key (`Invalid static config /etc/d.yaml: resources[2].issuer: …`).
 */
export async function loadStaticConfig(path: string): Promise<StaticConfig> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw configFileError(
      `Cannot load static config ${path}: unknown extension "${ext}", expected .json, .yaml or .yml`,
      path,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw configFileError(`Cannot read static config ${path}: ${detail}`, path, cause);
  }
  const data = ext === '.json' ? parseJson(text, path) : parseYaml(text, path);
  return validateStaticConfig(data, `static config ${path}`);
}
