/** The browser test's page: runs the calls against `?api=<url>` and writes the reports into the page. */
import { runCalls } from "./calls.js";

const output = document.getElementById("results")!;
const api = new URLSearchParams(location.search).get("api") ?? "";
runCalls(api).then(
  (reports) => {
    output.textContent = JSON.stringify(reports);
    document.body.dataset.state = "done";
  },
  (error: unknown) => {
    output.textContent = String(error);
    document.body.dataset.state = "failed";
  },
);
