// node rows.js write SCHEMA.js DB ROWS.json | read SCHEMA.js DB
// Rows through a Drizzle schema compiled from an export (SCHEMA.js), by SQL table name.
// write: insert ROWS.json ({table: [row, ...]}, in order); read: print every row as
// Drizzle returns it. In the JSON, Dates are epoch milliseconds, bigints decimal text
// and Buffers hex, so Python can compare.
const fs = require("node:fs");
const path = require("node:path");
const Database = require("better-sqlite3");
const { drizzle } = require("drizzle-orm/better-sqlite3");
const { getTableColumns, getTableName, is } = require("drizzle-orm");
const { SQLiteTable } = require("drizzle-orm/sqlite-core");

const [command, schemaFile, file, rowsFile] = process.argv.slice(2);
const schema = require(path.resolve(schemaFile));
const tables = Object.fromEntries(
  Object.values(schema).filter((v) => is(v, SQLiteTable)).map((t) => [getTableName(t), t]),
);
const db = drizzle(new Database(file));

const FROM_JSON = {
  SQLiteTimestamp: (v) => new Date(v),
  SQLiteBigInt: (v) => BigInt(v),
  SQLiteNumericBigInt: (v) => BigInt(v),
  SQLiteBlobBuffer: (v) => Buffer.from(v, "hex"),
};

function fromJson(table, row) {
  const columns = getTableColumns(table);
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const convert = FROM_JSON[columns[key].columnType];
      return [key, value === null || !convert ? value : convert(value)];
    }),
  );
}

function toJson(row) {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      if (value instanceof Date) return [key, value.getTime()];
      if (typeof value === "bigint") return [key, value.toString()];
      if (Buffer.isBuffer(value)) return [key, value.toString("hex")];
      return [key, value];
    }),
  );
}

if (command === "write") {
  const rows = JSON.parse(fs.readFileSync(rowsFile, "utf8"));
  for (const [name, list] of Object.entries(rows)) {
    db.insert(tables[name]).values(list.map((row) => fromJson(tables[name], row))).run();
  }
} else if (command === "read") {
  const out = {};
  for (const [name, table] of Object.entries(tables)) {
    out[name] = db.select().from(table).all().map(toJson);
  }
  console.log(JSON.stringify(out));
} else {
  console.error("usage: node rows.js write SCHEMA.js DB ROWS.json | read SCHEMA.js DB");
  process.exit(2);
}
