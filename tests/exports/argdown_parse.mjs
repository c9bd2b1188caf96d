// Parses Argdown with @argdown/core and prints what its parser and model builder saw, as JSON:
// {statements: [{title, text, data, tags}], relations: [{from, to, type}], sections, lexerErrors,
// parserErrors, exceptions}.
//
//   node argdown_parse.mjs [FRONTEND_DIR] < map.argdown      one document in, one result out
//   node argdown_parse.mjs [FRONTEND_DIR] --lines            each input line a JSON string (a
//                                                            document), each output line its result
//
// The module is resolved from the front end's node_modules (FRONTEND_DIR, by default
// ../../frontend from this file), where `npm ci` installs it. --lines lets a test suite pay
// Node's and the parser's start-up once.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const lines = args.includes("--lines");
const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(args.find((a) => a !== "--lines") ?? resolve(here, "../../frontend"));
const entry = createRequire(resolve(frontend, "package.json")).resolve("@argdown/core");
const { ArgdownApplication, ParserPlugin, DataPlugin, ModelPlugin, IEquivalenceClass } =
  await import(pathToFileURL(entry).href);

const app = new ArgdownApplication();
app.addPlugin(new ParserPlugin(), "parse-input");
app.addPlugin(new DataPlugin(), "build-model");
app.addPlugin(new ModelPlugin(), "build-model");

const messages = (errors) => (errors ?? []).map((e) => e.message ?? String(e));

function parse(input) {
  const response = app.run({ input, process: ["parse-input", "build-model"], logLevel: "none" });
  return {
    statements: Object.values(response.statements ?? {}).map((ec) => ({
      title: ec.title,
      text: IEquivalenceClass.getCanonicalMember(ec)?.text ?? null,
      data: ec.data ?? null,
      tags: ec.tags ?? [],
    })),
    relations: (response.relations ?? []).map((r) => ({
      from: r.from?.title ?? null,
      to: r.to?.title ?? null,
      type: r.relationType,
    })),
    sections: (response.sections ?? []).map((s) => s.title),
    lexerErrors: messages(response.lexerErrors),
    parserErrors: messages(response.parserErrors),
    exceptions: messages(response.exceptions),
  };
}

if (lines) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    process.stdout.write(JSON.stringify(parse(JSON.parse(line))) + "\n");
  }
} else {
  process.stdout.write(JSON.stringify(parse(readFileSync(0, "utf8"))) + "\n");
}
