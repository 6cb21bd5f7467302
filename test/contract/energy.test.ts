import { IDENTITY, contract, mockClient } from "./support.js";

const client = mockClient();

contract("getEnergyBalance", (o) => client.getEnergyBalance(IDENTITY, o));
contract("setEnergyBalance", (o) => client.setEnergyBalance(IDENTITY, 1_000_000n, o));
contract("addEnergy", (o) => client.addEnergy(IDENTITY, "5000", o));
