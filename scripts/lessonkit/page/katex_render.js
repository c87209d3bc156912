// Renders batches of TeX to HTML for the build: one JSON array of
// {tex, display} per input line, one JSON array of {html} or {error} per output line.
// The first argument is the KaTeX package folder: the site's own, not this script's.
"use strict";
const readline = require("readline");
let katex;
try {
  katex = require(process.argv[2]);
} catch (err) {
  process.stderr.write(`KaTeX is not installed at ${process.argv[2]}: run \`npm ci\` in the project root.\n`);
  process.exit(3);
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const batch = JSON.parse(line);
  const rendered = batch.map(({ tex, display }) => {
    try {
      return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true }) };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify(rendered) + "\n");
});
