/** The environment operations (servers 2.12+) and the publish environment headers, against the Prism mock. */
import { expect, it } from "vitest";
import { DATABASE, MODULE, contract, mockClient } from "./support.js";

const client = mockClient();
const HASH = "0x9a3c71e2b0f4d8856c1e7a2f03b9d4e6a15c8f7b2e0d9c4a6b3f8e1d7c2a5b90";

contract("setDatabaseEnvironment", (o) => client.setDatabaseEnvironment(DATABASE, { API_KEY: "new-key", MODE: "production" }, { ...o, expectedModuleHash: HASH }));
contract("updateDatabaseEnvironment", (o) => client.updateDatabaseEnvironment(DATABASE, { API_KEY: "rotated-key" }, { ...o, remove: ["OLD_KEY"], expectedModuleHash: HASH }));

it("publishDatabase with environment headers is accepted by the spec (Prism validates the header grammar)", async () => {
  const result = await client.publishDatabase(DATABASE, MODULE, { environment: { API_KEY: "abc123", GREETING: "hello, world", PEM: "line1\nline2" }, removeEnvironment: ["OLD_KEY"] });
  if (!result.ok) throw result.error;
  expect(result.data.Success.database_identity).toMatch(/^[0-9a-f]{64}$/);
});
