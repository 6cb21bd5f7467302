import { contract, mockClient } from "./support.js";

const client = mockClient();
const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: {} } as const;

contract("ping", (o) => client.ping(o));
contract("health", (o) => client.health(o));
contract("mcp", (o) => client.mcp(initialize, o));
