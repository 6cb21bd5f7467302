import { IDENTITY, contract, mockClient } from "./support.js";

const client = mockClient();

contract("setEnergyBalance", (o) => client.setEnergyBalance(IDENTITY, 1_000_000n, o));
