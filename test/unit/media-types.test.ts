/**
 * Which Content-Types the core reads as JSON (`isJsonType`) and which kind the spec gives a media type
 * (`kindFor`). isJsonType is written without a case-folding regex (its first use cost a cold start
 * 0.2 ms); it must accept exactly what that regex accepts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonType, kindFor } from "../../src/core/response.js";

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

describe("isJsonType", () => {
  it("accepts application/json and application/<name>+json, in any case, with parameters; nothing else", () => {
    const cases: [string, boolean][] = [
      ["application/json", true],
      ["Application/JSON; charset=utf-8", true],
      ["application/json ;x", true],
      ["application/vnd.spacetime.v1+json", true],
      ["application/problem+JSON", true],
      ["application/json\u00a0", true], // trailing white space, as \s
      [" application/json", false],
      ["\tapplication/vnd.a+json", false],
      ["application/+json", false],
      ["application/\u212a+json", false], // the Kelvin sign lowercases to k, but is not \w
      ["application/jsonx", false],
      ["application/json x", false],
      ["text/json", false],
      ["application/x-ndjson", false],
      ["", false],
    ];
    expect(cases.map(([type]) => [type, isJsonType(type)])).toEqual(cases);
    expect(cases.map(([type]) => [type, JSON_TYPE.test(type)])).toEqual(cases);
  });

  it("agrees with the regex on any text made of media-type pieces (property)", () => {
    const piece = fc.constantFrom("application", "APPLICATION", "Application", "text", "/", "json", "JSON", "+", "vnd.x", "a_b-c", ";", " ", "\t", "\u00a0", "charset=utf-8", "\u212a", "\u0130", "x", "");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 7 }).map((parts) => parts.join("")), fc.boolean(), (text, prefixed) => {
        const type = prefixed ? `application/${text}` : text;
        expect(isJsonType(type)).toBe(JSON_TYPE.test(type));
      }),
      { seed: 0x4a53, numRuns: 2000 },
    );
  });
});

describe("kindFor", () => {
  const kinds = { "text/plain; charset=utf-8": "text", "application/json": "json" } as const;
  it("matches the media type as the spec writes it, or by its type and subtype in any case, else the first listed", () => {
    expect(kindFor(kinds, "text/plain; charset=utf-8")).toBe("text");
    expect(kindFor(kinds, "Application/JSON; charset=utf-8")).toBe("json");
    expect(kindFor(kinds, "TEXT/plain")).toBe("text");
    expect(kindFor(kinds, "application/octet-stream")).toBe("text");
    expect(kindFor("json", "text/plain")).toBe("json");
    expect(kindFor({ constructor: "json" } as never, "toString")).toBe("json"); // an own key only, never the prototype's
  });
});
