/** Ends every `switch` over a closed union: the build fails when a case is forgotten. */
export function missingCase(value: never): never {
  throw new Error(`missing case: ${JSON.stringify(value)}`);
}
