/** Release hygiene: the spec's version is the package's, and its license is the package's. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string; license: string };
const spec = parse(readFileSync(new URL("../../openapi/spacetimedb-v1.yaml", import.meta.url), "utf8")) as { info: { version: string; license: unknown } };

it("spec info.version equals the package version (semver)", () => {
  expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  expect(spec.info.version).toBe(pkg.version);
});

it("spec info.license is the package license, and the CHANGELOG has the version", () => {
  expect(spec.info.license).toMatchObject({ name: pkg.license, identifier: pkg.license });
  expect(readFileSync(new URL("../../CHANGELOG.md", import.meta.url), "utf8")).toContain(`## [${pkg.version}]`);
  expect(readFileSync(new URL("../../LICENSE", import.meta.url), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
});

it("runtime dependencies are ranges (a user's own openapi-fetch is shared, not copied); dev dependencies and the lock are exact", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as Record<string, Record<string, string>>;
  expect(manifest.dependencies).toEqual({ "openapi-fetch": expect.stringMatching(/^\^0\.17\.\d+$/), undici: expect.stringMatching(/^\^7\.\d+\.\d+$/) });
  for (const [name, version] of Object.entries(manifest.devDependencies!)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
  const lock = JSON.parse(readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8")) as { packages: Record<string, { version?: string }> };
  for (const name of Object.keys(manifest.dependencies!)) expect(lock.packages[`node_modules/${name}`]?.version).toMatch(/^\d+\.\d+\.\d+$/);
});
