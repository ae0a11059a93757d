// The annotated chart schemas shipped in `schemas/charts/`: one explicit list, imported as JSON
// so that esbuild inlines them into the server and the CLI (nothing is read from the extension
// folder at run time, and nothing from the network ever). A test checks that every file in
// `schemas/charts/` is listed here.
export interface ShippedChartSchema {
  /** Relative to the repository, as shown in messages and hovers. */
  path: string;
  schema: object;
}

export const SHIPPED_CHART_SCHEMAS: ShippedChartSchema[] = [];
