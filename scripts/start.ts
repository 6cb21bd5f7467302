/**
 * `npm start`: runs examples/quickstart.ts against a Prism mock of the spec, started here in this
 * process from a fresh bundle (static examples, request validation on) and stopped afterwards.
 * With SPACETIMEDB_URL set it runs against that server instead and starts no mock.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleSpec, startMock, type MockServer } from "../test/helpers/mock-server.js";

let mock: MockServer | undefined;
const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-start-"));
try {
  if (process.env.SPACETIMEDB_URL) {
    console.log(`Using SPACETIMEDB_URL=${process.env.SPACETIMEDB_URL} (no mock started)`);
  } else {
    const spec = await bundleSpec({ output: join(dir, "spacetimedb-v1.yaml") });
    mock = await startMock(spec);
    process.env.SPACETIMEDB_URL = mock.url;
    console.log(`Prism mock of openapi/spacetimedb-v1.yaml at ${mock.url} (answers with the spec's examples)`);
  }
  await import("../examples/quickstart.js");
} finally {
  if (mock) {
    await mock.close();
    console.log("\nmock stopped");
  }
  await rm(dir, { recursive: true, force: true });
}
