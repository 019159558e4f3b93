/** `T` without `undefined` values: a property whose type includes `undefined` becomes optional instead. */
export type DefinedProperties<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * A copy of `value` without its `undefined` properties, for handing options to a library whose types
 * reject an explicit `undefined` under `exactOptionalPropertyTypes` (openid-client, the MCP SDK) or that
 * tells an absent key from an `undefined` one. Our own option types say `?: T | undefined` instead, so
 * this is needed only at such a boundary.
 *
 * @example
 * handler.fetch(request, definedProperties({ parsedBody, authInfo }));
 */
export function definedProperties<T extends object>(value: T): DefinedProperties<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as DefinedProperties<T>;
}
