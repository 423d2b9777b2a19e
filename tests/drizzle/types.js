// node types.js FILE.ts [JSON]: the object types FILE exports (its $inferSelect / $inferInsert
// row types and JSON payload types), read with the TypeScript compiler in strict mode,
// as JSON: per type, per property, whether it is optional, whether it takes null, and
// its kind; a property of the any-JSON type (exported as JSON, default "Json") is of
// kind JSON. tests/test_export_drizzle.py compares them with the pydantic models.
const path = require("node:path");
const ts = require("typescript");

const [file, jsonName = "Json"] = process.argv.slice(2);
const config = ts.readConfigFile(path.join(__dirname, "tsconfig.json"), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, __dirname);
const program = ts.createProgram([file], { ...options, noEmit: true });
const errors = ts.getPreEmitDiagnostics(program);
if (errors.length) {
  console.error(ts.formatDiagnostics(errors, ts.createCompilerHost(options)));
  process.exit(1);
}
const checker = program.getTypeChecker();
const NOTHING = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
const source = program.getSourceFile(file);
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source));
const jsonAlias = exported.find((symbol) => symbol.name === jsonName);
const JSON_MEMBERS = new Set(jsonAlias ? checker.getDeclaredTypeOfSymbol(jsonAlias).types : []);

function isJson(members) {
  const defined = members.filter((m) => !(m.flags & ts.TypeFlags.Undefined));
  return defined.length === JSON_MEMBERS.size && defined.every((m) => JSON_MEMBERS.has(m));
}

function properties(type, depth) {
  return Object.fromEntries(
    checker.getPropertiesOfType(type).map((symbol) => [
      symbol.name,
      {
        optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
        ...describe(checker.getTypeOfSymbol(symbol), depth + 1),
      },
    ]),
  );
}

function describe(type, depth) {
  const members = type.isUnion() ? type.types : [type];
  const nullable = members.some((m) => m.flags & ts.TypeFlags.Null);
  if (JSON_MEMBERS.size && isJson(members)) return { nullable, kind: jsonName };
  const rest = members.filter((m) => !(m.flags & NOTHING));
  if (rest.every((m) => m.isStringLiteral())) {
    return { nullable, kind: "literals", values: rest.map((m) => m.value).sort() };
  }
  if (rest.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) return { nullable, kind: "boolean" };
  if (rest.length !== 1) return { nullable, kind: rest.map((m) => checker.typeToString(m)).join(" | ") };
  const [only] = rest;
  if (only.flags & ts.TypeFlags.String) return { nullable, kind: "string" };
  if (only.flags & ts.TypeFlags.Number) return { nullable, kind: "number" };
  if (only.flags & ts.TypeFlags.BigInt) return { nullable, kind: "bigint" };
  if (checker.isArrayType(only)) {
    return { nullable, kind: "array", items: describe(checker.getTypeArguments(only)[0], depth + 1) };
  }
  const name = only.symbol && only.symbol.name;
  if (name === "Date" || name === "Buffer") return { nullable, kind: name };
  const [index] = checker.getIndexInfosOfType(only);
  if (index && checker.getPropertiesOfType(only).length === 0) {
    return { nullable, kind: "record", value: describe(index.type, depth + 1) };
  }
  if (only.flags & ts.TypeFlags.Object && depth < 8) {
    const alias = only.aliasSymbol ? only.aliasSymbol.name : null;
    return { nullable, kind: "object", name: alias, properties: properties(only, depth) };
  }
  return { nullable, kind: checker.typeToString(only) };
}

const types = {};
for (const symbol of exported) {
  if (!(symbol.flags & ts.SymbolFlags.TypeAlias)) continue;
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  if (type.flags & ts.TypeFlags.Object) types[symbol.name] = properties(type, 0);
}
console.log(JSON.stringify(types));
