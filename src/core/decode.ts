/** Success bodies, read by openapi-fetch as text, decoded by the kind the spec gives their status. */
import type { ResponseKind } from "./operation-table.js";
import { jsonSyntaxReason } from "./errors.js";

export type DecodedBody = { data: unknown } | { parseError: string; raw: string };

export const isJsonType = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

/** How openapi-fetch should read a success body of this kind. */
export const parseAsFor = (kind: ResponseKind | undefined): "text" | "arrayBuffer" => (kind === "binary" ? "arrayBuffer" : "text");

/** The data, or why it does not fit the spec's kind (with the raw text kept). */
export function decodeSuccess(body: unknown, kind: ResponseKind | undefined, contentType: string): DecodedBody {
  if (body instanceof ArrayBuffer) return { data: new Uint8Array(body) };
  if (body === undefined || body === "" || kind === "empty") return { data: undefined };
  const text = body as string;
  if (kind === "text" || kind === undefined || kind === "binary") return { data: text };
  if (kind === "ndjson") {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    for (let i = 0; i < lines.length; i++) {
      try {
        lines[i] = JSON.parse(lines[i]!) as never;
      } catch (e) {
        return { parseError: `line ${i + 1} of the ${contentType || "NDJSON"} body is ${jsonSyntaxReason(e)}`, raw: text };
      }
    }
    return { data: lines };
  }
  if (contentType !== "" && !isJsonType(contentType)) return { parseError: `expected a JSON body, got ${contentType}`, raw: text };
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (e) {
    return { parseError: `the body is ${jsonSyntaxReason(e)}`, raw: text };
  }
}
